//! The OpenAPI 3.1 description of every endpoint (`GET /openapi.json`). Tests hold it to the
//! router: every documented operation is answered, with a documented status and media type,
//! and every route is documented.

use std::collections::BTreeMap;

use dsti::validate::Profile;
use dsti::{Code, Kind, Version};
use serde_json::{json, Value};

/// Every (method, path template) the router answers, as the document names them.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("post", "/v2/uploads"),
    ("post", "/v2/validate"),
    ("post", "/v2/migrate"),
    ("get", "/schemas/index.json"),
    ("get", "/schemas/{version}/{file}"),
    ("get", "/docs/{path}"),
    ("get", "/openapi.json"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
];

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

fn problems(statuses: &[(u16, &str)]) -> serde_json::Map<String, Value> {
    statuses
        .iter()
        .map(|(status, what)| (status.to_string(), problem(what)))
        .collect()
}

/// The document. `base_url` is where clients reach the service; `profiles` the names
/// `?profile=` takes.
pub fn document(base_url: Option<&str>, profiles: &BTreeMap<String, Profile>) -> Value {
    let versions: Vec<&str> = Version::ALL.iter().map(|v| v.as_str()).collect();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    let profile_names: Vec<&str> = profiles.keys().map(String::as_str).collect();
    let bearer = json!([{"bearer": []}]);
    let profile_param = json!({
        "name": "profile", "in": "query", "required": false,
        "description": "A configured profile; `default` always exists.",
        "schema": {"type": "string", "enum": profile_names, "default": "default"}
    });
    let lang_param = json!({
        "name": "lang", "in": "query", "required": false,
        "description": "Language of messages.",
        "schema": {"type": "string", "enum": ["en", "zh"], "default": "en"}
    });
    let encoding_param = json!({
        "name": "Content-Encoding", "in": "header", "required": false,
        "schema": {"type": "string", "enum": ["gzip", "identity"]}
    });
    let upload_body = json!({
        "required": true,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/json": {"schema": {}}
        }
    });
    let mut upload_responses = problems(&[
        (400, "Malformed query or unknown profile"),
        (401, "No token, or one no sender has"),
        (413, "Declared length over the limit"),
        (
            415,
            "Neither NDJSON nor JSON, or a content coding other than gzip",
        ),
        (429, "Too many uploads at once (see Retry-After)"),
        (503, "Draining"),
    ]);
    upload_responses.insert("200".into(), json!({
        "description": "One line per record, `{\"envelope\":…}` for a batch envelope, then `{\"summary\":…}`; a cut answer ends with `{\"error\":…}` and no summary. The same lines as `dsti validate --format ndjson`.",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}}
    }));
    let mut migrate_responses = upload_responses.clone();
    migrate_responses.insert("200".into(), json!({
        "description": "`{\"index\":i,\"record\":{…},\"notes\":[…]}` or `{\"index\":i,\"refused\":{\"code\",\"message\"}}` per record, then `{\"summary\":{\"total\",\"migrated\",\"refused\"}}`; a cut answer ends with `{\"error\":…}`.",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}}
    }));
    let mut validate_responses = problems(&[
        (400, "Malformed query, unknown profile or unreadable body"),
        (401, "No token, or one no sender has"),
        (408, "The body took longer than the request timeout"),
        (413, "Declared length over the record limit"),
        (415, "Not JSON, or a content coding other than gzip"),
        (503, "Draining"),
    ]);
    validate_responses.insert(
        "200".into(),
        json!({
            "description": "The verdict on the record.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verdict"}}}
        }),
    );
    let schema_headers = json!({
        "ETag": {"description": "SHA-256 of the schema catalogue", "schema": {"type": "string"}},
        "Cache-Control": {"schema": {"type": "string"}}
    });
    let if_none_match = json!({
        "name": "If-None-Match", "in": "header", "required": false, "schema": {"type": "string"}
    });
    let files: Vec<String> = std::iter::once("batch".to_owned())
        .chain(kinds.iter().map(|k| (*k).to_owned()))
        .map(|k| format!("{k}.json"))
        .collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "DSTI exchange service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Uploads of domestic-service training records, judged as they stream: the service a province runs between the platforms that upload and its registry. It stores nothing.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"}
        },
        "servers": [{"url": base_url.unwrap_or("/")}],
        "paths": {
            "/v2/uploads": {"post": {
                "operationId": "upload", "summary": "Validate an upload, streamed",
                "security": bearer,
                "parameters": [profile_param, lang_param, encoding_param],
                "requestBody": upload_body,
                "responses": upload_responses
            }},
            "/v2/validate": {"post": {
                "operationId": "validateRecord", "summary": "Validate one record",
                "security": bearer,
                "parameters": [profile_param, lang_param, encoding_param],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {}}}},
                "responses": validate_responses
            }},
            "/v2/migrate": {"post": {
                "operationId": "migrate", "summary": "Migrate records to another version, streamed",
                "security": bearer,
                "parameters": [
                    {"name": "to", "in": "query", "required": true, "schema": {"type": "string", "enum": versions}},
                    lang_param, encoding_param
                ],
                "requestBody": upload_body,
                "responses": migrate_responses
            }},
            "/schemas/index.json": {"get": {
                "operationId": "schemaIndex", "summary": "The schema catalogue",
                "parameters": [if_none_match],
                "responses": {
                    "200": {"description": "The catalogue", "headers": schema_headers,
                            "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                    "304": {"description": "Not modified", "headers": schema_headers}
                }
            }},
            "/schemas/{version}/{file}": {"get": {
                "operationId": "schema", "summary": "One schema (immutable)",
                "parameters": [
                    {"name": "version", "in": "path", "required": true, "schema": {"type": "string", "enum": versions}},
                    {"name": "file", "in": "path", "required": true, "schema": {"type": "string", "enum": files}},
                    if_none_match
                ],
                "responses": {
                    "200": {"description": "The schema", "headers": schema_headers,
                            "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                    "304": {"description": "Not modified", "headers": schema_headers},
                    "404": problem("No such schema")
                }
            }},
            "/docs/{path}": {"get": {
                "operationId": "docs", "summary": "The bilingual reference site",
                "parameters": [{"name": "path", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "A page", "content": {"text/html": {"schema": {"type": "string"}}}},
                    "404": problem("No such page")
                }
            }},
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }},
            "/healthz": {"get": {
                "operationId": "healthz", "summary": "Alive",
                "responses": {"200": {"description": "Alive", "content": {"text/plain": {"schema": {"type": "string"}}}}}
            }},
            "/readyz": {"get": {
                "operationId": "readyz", "summary": "Ready for traffic",
                "responses": {
                    "200": {"description": "Ready", "content": {"text/plain": {"schema": {"type": "string"}}}},
                    "503": problem("Starting or draining")
                }
            }},
            "/metrics": {"get": {
                "operationId": "metrics", "summary": "Prometheus metrics",
                "responses": {"200": {"description": "Text exposition format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}}
            }}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                "description": "A sender's token (`dsti serve token --sender USCC`)."}},
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "code"],
                    "properties": {
                        "type": {"type": "string"}, "title": {"type": "string"},
                        "status": {"type": "integer"}, "detail": {"type": "string"},
                        "code": {"type": "string"}
                    }
                },
                "Finding": {
                    "type": "object",
                    "required": ["code", "severity", "path", "message"],
                    "properties": {
                        "code": {"type": "string", "enum": codes},
                        "severity": {"type": "string", "enum": ["error", "warning"]},
                        "path": {"type": "string"}, "message": {"type": "string"}
                    }
                },
                "Verdict": {
                    "type": "object",
                    "required": ["index", "line", "kind", "id", "valid", "issues"],
                    "properties": {
                        "index": {"type": "integer", "minimum": 0},
                        "line": {"type": "integer", "minimum": 1},
                        "kind": {"type": ["string", "null"]},
                        "id": {"type": ["string", "null"]},
                        "valid": {"type": "boolean"},
                        "issues": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}
                    }
                }
            }
        }
    })
}
