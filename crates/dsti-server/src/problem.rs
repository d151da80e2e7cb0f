//! RFC 9457 problem details (`application/problem+json`) with a DSTI `code`: every error the
//! service answers before an answer starts streaming.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A problem: the HTTP status, a stable DSTI code, and what went wrong for people. Details
/// never carry a token or a value from a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code, e.g. `auth.unauthorized`.
    pub code: &'static str,
    /// What went wrong.
    pub detail: String,
    /// Seconds after which to try again (429, 503).
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: &'a str,
    code: &'a str,
}

impl Problem {
    /// A problem without `Retry-After`.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            code,
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// 401: no token, or one no sender has.
    pub fn unauthorized() -> Self {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "auth.unauthorized",
            "a bearer token of a known sender is required",
        )
    }

    /// 404.
    pub fn not_found() -> Self {
        Problem::new(
            StatusCode::NOT_FOUND,
            "request.not-found",
            "no such resource",
        )
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, code, detail)
    }

    /// 413: the declared or actual body is over the limit.
    pub fn too_large(limit: u64) -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too-large",
            format!("the body is larger than the limit of {limit} bytes"),
        )
    }

    /// 503 while the service starts or drains.
    pub fn draining() -> Self {
        Problem {
            retry_after: Some(5),
            ..Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service.draining",
                "the service is shutting down; try another replica",
            )
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let body = Body {
            kind: format!("urn:dsti:problem:{}", self.code),
            title,
            status: self.status.as_u16(),
            detail: &self.detail,
            code: self.code,
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (self.status, bytes).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"dsti\""),
            );
        }
        response
    }
}
