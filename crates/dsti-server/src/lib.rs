//! `dsti serve`: the exchange service a province runs between the training platforms that
//! upload records and its own registry.
//!
//! It stores nothing, so any number of replicas run behind an ordinary load balancer. An
//! [`App`] is built from a [`Config`](config::Config) (the senders' token hashes, the named
//! profiles); [`App::router`] is its axum router, [`serve()`] runs it on a listener and drains
//! on a signal, and [`run`] is the whole of `dsti serve`. The `dsti` library stays free of any
//! async runtime: the validator runs on blocking threads, fed through bounded channels.
//!
//! | method, path | auth | answer |
//! | --- | --- | --- |
//! | `POST /v2/uploads?profile=NAME` | bearer | NDJSON verdicts as `dsti validate --format ndjson` writes them, streamed |
//! | `POST /v2/validate?profile=NAME` | bearer | one verdict object |
//! | `POST /v2/migrate?to=VERSION` | bearer | NDJSON: a line per record, migrated or refused, then a summary |
//! | `GET /schemas/index.json`, `/schemas/{version}/{kind}.json` | none | the schemas, with ETag and 304 |
//! | `GET /docs/…` | none | the reference site |
//! | `GET /openapi.json` | none | OpenAPI 3.1 |
//! | `GET /healthz`, `/readyz`, `/metrics` | none | alive, ready, Prometheus text |
//!
//! The README's "Running the exchange service" section shows a configuration and a deployment.

mod app;
mod bridge;
pub mod config;
mod metrics;
pub mod openapi;
mod problem;
mod serve;
mod upload;

pub use app::{App, Settings};
pub use metrics::Metrics;
pub use problem::Problem;
pub use serve::{run, serve};

/// Why the service could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration, the tokens file or a profile.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// Binding the address, or the runtime.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
