//! The service's state and router: which handler answers which path, the access log, and the
//! small endpoints (health, readiness, metrics, schemas, the reference site, OpenAPI).

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use chrono::{DateTime, FixedOffset};
use dsti::validate::Profile;
use dsti::{schema, Version};
use tokio::sync::Semaphore;

use crate::config::{sha256_hex, Config, ConfigError, Senders};
use crate::metrics::Metrics;
use crate::problem::Problem;

/// What `dsti serve` runs with: the configuration, a fixed clock for tests, and where the
/// rendered reference site lies.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Settings {
    /// The configuration.
    pub config: Config,
    /// Judge as if it were this time (`--now`); the clock when `None`.
    pub now: Option<DateTime<FixedOffset>>,
    /// A directory holding the rendered reference site, served under `/docs/`.
    pub docs_dir: Option<PathBuf>,
}

impl Settings {
    /// Settings with the clock and no reference site.
    pub fn new(config: Config) -> Self {
        Settings {
            config,
            now: None,
            docs_dir: None,
        }
    }

    /// Judge as if it were `now`.
    pub fn now(mut self, now: DateTime<FixedOffset>) -> Self {
        self.now = Some(now);
        self
    }

    /// Serve the site under `dir` at `/docs/`.
    pub fn docs_dir(mut self, dir: PathBuf) -> Self {
        self.docs_dir = Some(dir);
        self
    }
}

/// The service: its configuration loaded (senders, profiles, schemas) and its counters.
/// Cheap to clone.
#[derive(Clone, Debug)]
pub struct App {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) now: Option<DateTime<FixedOffset>>,
    pub(crate) senders: Senders,
    pub(crate) profiles: BTreeMap<String, Profile>,
    pub(crate) uploads: Arc<Semaphore>,
    /// Request body read ahead of the validators, shared by the uploads in flight.
    pub(crate) read_ahead: Arc<Semaphore>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) ready: AtomicBool,
    pub(crate) draining: AtomicBool,
    pub(crate) jobs: usize,
    schemas: Schemas,
    docs_dir: Option<PathBuf>,
    openapi: Bytes,
}

/// The committed schemas, generated once, with the catalogue's digest as their ETag.
#[derive(Debug)]
struct Schemas {
    index: Bytes,
    files: HashMap<String, Bytes>,
    etag: HeaderValue,
}

impl Schemas {
    fn generate() -> Schemas {
        let index = schema::to_file_bytes(&schema::index(schema::DEFAULT_BASE_URI));
        let mut files = HashMap::new();
        for version in Version::ALL {
            for &kind in schema::kinds(version) {
                let bytes = schema::to_file_bytes(&schema::generate(
                    version,
                    kind,
                    schema::DEFAULT_BASE_URI,
                ));
                files.insert(format!("{version}/{kind}.json"), Bytes::from(bytes));
            }
        }
        let etag = HeaderValue::from_str(&format!("\"{}\"", sha256_hex(&index)))
            .unwrap_or(HeaderValue::from_static("\"\""));
        Schemas {
            index: Bytes::from(index),
            files,
            etag,
        }
    }
}

impl App {
    /// Load the senders and profiles the configuration names.
    pub fn new(settings: Settings) -> Result<App, ConfigError> {
        let senders = Senders::load(&settings.config.tokens)?;
        let profiles = settings.config.load_profiles()?;
        let jobs = settings
            .config
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1);
        let openapi = serde_json::to_vec_pretty(&crate::openapi::document(
            settings.config.public_base_url.as_deref(),
            &profiles,
        ))
        .unwrap_or_default();
        Ok(App {
            inner: Arc::new(Inner {
                uploads: Arc::new(Semaphore::new(settings.config.max_concurrent_uploads)),
                read_ahead: crate::bridge::read_ahead_pool(),
                config: settings.config,
                now: settings.now,
                senders,
                profiles,
                metrics: Arc::new(Metrics::default()),
                ready: AtomicBool::new(false),
                draining: AtomicBool::new(false),
                jobs,
                schemas: Schemas::generate(),
                docs_dir: settings.docs_dir,
                openapi: Bytes::from(openapi),
            }),
        })
    }

    /// The axum router of every endpoint.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/v2/uploads", post(crate::upload::upload))
            .route("/v2/validate", post(crate::upload::validate_one))
            .route("/v2/migrate", post(crate::upload::migrate))
            .route("/schemas/index.json", get(schema_index))
            .route("/schemas/{version}/{file}", get(schema_file))
            .route("/docs", get(docs_root))
            .route("/docs/", get(docs_index))
            .route("/docs/{*path}", get(docs_file))
            .route("/openapi.json", get(openapi))
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz))
            .route("/metrics", get(metrics))
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                access_log,
            ))
            .with_state(self.clone())
    }

    /// The counters, rendered as `/metrics` renders them.
    pub fn metrics_text(&self) -> String {
        self.inner.metrics.render()
    }

    /// Mark the service ready (`/readyz` 200).
    pub fn set_ready(&self, ready: bool) {
        self.inner.ready.store(ready, Ordering::SeqCst);
    }

    /// Start draining: `/readyz` 503, new uploads 503.
    pub fn start_draining(&self) {
        self.inner.draining.store(true, Ordering::SeqCst);
    }

    /// Uploads and migrations being judged now.
    pub fn uploads_in_flight(&self) -> usize {
        self.inner
            .config
            .max_concurrent_uploads
            .saturating_sub(self.inner.uploads.available_permits())
    }

    pub(crate) fn draining(&self) -> bool {
        self.inner.draining.load(Ordering::SeqCst)
    }

    pub(crate) fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.inner.config.request_timeout_secs)
    }
}

/// The sender of a request, for the access log (set by handlers that authenticate).
#[derive(Debug, Clone)]
pub(crate) struct LogSender(pub(crate) String);

/// Set on a streamed answer: its handler writes the access log line when the stream ends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoggedAtEnd;

/// One access-log line. Only the route's template is logged, never the path a client sent, so
/// no value from a request reaches the log.
#[allow(clippy::too_many_arguments)]
pub(crate) fn log_request(
    method: &str,
    route: &str,
    status: u16,
    sender: Option<&str>,
    records: Option<u64>,
    bytes: Option<u64>,
    took: Duration,
) {
    tracing::info!(
        method,
        path = route,
        status,
        sender = sender.unwrap_or(""),
        records = records.unwrap_or(0),
        bytes = bytes.unwrap_or(0),
        duration_ms = took.as_secs_f64() * 1000.0,
        "request"
    );
}

/// The route template of a request (`/schemas/{version}/{file}`), or `(unmatched)`.
pub(crate) fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |m| m.as_str().to_owned())
}

async fn access_log(State(app): State<App>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = method_name(request.method());
    let route = route_of(&request);
    app.inner.metrics.request();
    let response = next.run(request).await;
    if response.extensions().get::<LoggedAtEnd>().is_none() {
        let sender = response
            .extensions()
            .get::<LogSender>()
            .map(|s| s.0.clone());
        log_request(
            method,
            &route,
            response.status().as_u16(),
            sender.as_deref(),
            None,
            None,
            start.elapsed(),
        );
    }
    response
}

async fn not_found() -> Problem {
    Problem::not_found()
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "request.method-not-allowed",
        "this method is not allowed here",
    )
}

/// The method's name for the log: a standard one, or `OTHER` (a client may send any token as
/// a method, a document number too).
fn method_name(method: &Method) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method.as_str())
        .unwrap_or("OTHER")
}

async fn healthz() -> Response {
    text_response("text/plain; charset=utf-8", Bytes::from_static(b"ok\n"))
}

async fn readyz(State(app): State<App>) -> Response {
    if app.draining() || !app.inner.ready.load(Ordering::SeqCst) {
        return Problem {
            retry_after: Some(5),
            ..Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service.not-ready",
                "the service is starting or draining",
            )
        }
        .into_response();
    }
    text_response("text/plain; charset=utf-8", Bytes::from_static(b"ready\n"))
}

async fn metrics(State(app): State<App>) -> Response {
    text_response(
        "text/plain; version=0.0.4; charset=utf-8",
        Bytes::from(app.inner.metrics.render()),
    )
}

async fn openapi(State(app): State<App>) -> Response {
    text_response("application/json", app.inner.openapi.clone())
}

fn text_response(content_type: &'static str, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn matches_etag(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == etag)
}

fn schema_response(
    app: &App,
    headers: &HeaderMap,
    bytes: Option<Bytes>,
    immutable: bool,
) -> Response {
    let Some(bytes) = bytes else {
        return Problem::not_found().into_response();
    };
    let etag = app.inner.schemas.etag.clone();
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300, must-revalidate"
    };
    let mut response = if matches_etag(headers, &etag) {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r
    } else {
        text_response("application/schema+json", bytes)
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn schema_index(State(app): State<App>, headers: HeaderMap) -> Response {
    let bytes = app.inner.schemas.index.clone();
    schema_response(&app, &headers, Some(bytes), false)
}

async fn schema_file(
    State(app): State<App>,
    axum::extract::Path((version, file)): axum::extract::Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let bytes = app
        .inner
        .schemas
        .files
        .get(&format!("{version}/{file}"))
        .cloned();
    schema_response(&app, &headers, bytes, true)
}

async fn docs_root() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/docs/"));
    response
}

async fn docs_index(State(app): State<App>) -> Response {
    serve_doc(&app, "").await
}

async fn docs_file(
    State(app): State<App>,
    axum::extract::Path(path): axum::extract::Path<String>,
) -> Response {
    serve_doc(&app, &path).await
}

/// A file of the reference site; `path` must stay inside its directory.
async fn serve_doc(app: &App, path: &str) -> Response {
    let Some(root) = &app.inner.docs_dir else {
        return Problem::not_found().into_response();
    };
    let relative = Path::new(path);
    if path.contains('\\')
        || !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return Problem::not_found().into_response();
    }
    let mut file = root.join(relative);
    if path.is_empty()
        || path.ends_with('/')
        || tokio::fs::metadata(&file).await.is_ok_and(|m| m.is_dir())
    {
        file = file.join("index.html");
    }
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => {
            let mut response = text_response(content_type, Bytes::from(bytes));
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            response
        }
        Err(_) => Problem::not_found().into_response(),
    }
}
