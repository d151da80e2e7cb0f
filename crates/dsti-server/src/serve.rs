//! Running the service: the connection loop (HTTP/1.1 with a header-read timeout), draining
//! on SIGTERM, and the JSON log.

use std::future::Future;
use std::io;
use std::time::{Duration, Instant};

use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::app::{App, Settings};

/// The most one connection reads at a time (and so the largest frame of a request body).
const READ_BUF_BYTES: usize = 64 << 10;

/// Serve `app` on `listener` until `shutdown` completes, then drain: `/readyz` and new uploads
/// answer 503 while uploads in flight finish (at most the configured grace), then the
/// connections close and this returns.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let router = app.router();
    let header_timeout = Duration::from_secs(app.inner.config.header_timeout_secs);
    let grace = Duration::from_secs(app.inner.config.drain_grace_secs);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    // hyper's read buffer grows to ~400 KB by default, and the body's frames share it: with a
    // few frames queued per upload that was ~2 MB a connection. 64 KB reads keep each upload's
    // buffers small (the input's read-ahead is bounded in bytes by the upload handler).
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(READ_BUF_BYTES)
        .keep_alive(true);
    app.set_ready(true);
    tokio::pin!(shutdown);
    let mut drain_started: Option<Instant> = None;
    loop {
        let tick = tokio::time::sleep(Duration::from_millis(50));
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of descriptors and the like: let the condition pass.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let service = router
                    .clone()
                    .map_request(|r: Request<Incoming>| r.map(axum::body::Body::new));
                let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut shutdown, if drain_started.is_none() => {
                tracing::info!(in_flight = app.uploads_in_flight(), "draining");
                app.start_draining();
                drain_started = Some(Instant::now());
            }
            () = tick, if drain_started.is_some() => {
                let waited = drain_started.map_or(Duration::ZERO, |s| s.elapsed());
                if app.uploads_in_flight() == 0 || waited >= grace {
                    break;
                }
            }
        }
    }
    drop(listener);
    let left = grace.saturating_sub(drain_started.map_or(Duration::ZERO, |s| s.elapsed()));
    // Answers still being sent get what is left of the grace, and at least a few seconds.
    let _ = tokio::time::timeout(left.max(Duration::from_secs(5)), graceful.shutdown()).await;
    tracing::info!("stopped");
    Ok(())
}

/// Run `dsti serve`: JSON logs on stderr, listen on the configured address, drain on SIGTERM
/// or Ctrl-C. Blocks until the service stopped.
pub fn run(settings: Settings) -> Result<(), crate::Error> {
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_writer(io::stderr)
        .try_init();
    limit_malloc_arenas();
    let listen = settings.config.listen;
    let http_threads = settings
        .config
        .http_threads
        .unwrap_or_else(default_http_threads);
    let app = App::new(settings)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(http_threads)
        .enable_all()
        .build()?;
    runtime.spawn(give_back_freed_memory(app.clone()));
    runtime.block_on(async move {
        let listener = TcpListener::bind(listen).await?;
        tracing::info!(
            address = %listener.local_addr()?,
            senders = app.inner.senders.len(),
            "listening"
        );
        serve(listener, app, terminated()).await
    })?;
    Ok(())
}

/// The connection threads by default: half the cores, at least one. An upload alone is judged
/// by one validator thread per core (`jobs`), besides its reading and ordering threads; the
/// connection threads only move its bytes. With as many connection threads as cores, on two
/// cores, the two woke each other for every piece of a body (a third of the context switches
/// of an upload) and lost the cores to the validators they fed.
fn default_http_threads() -> usize {
    (std::thread::available_parallelism().map_or(1, usize::from) / 2).max(1)
}

/// Give glibc's allocator four arenas per core instead of its default eight, unless the
/// operator chose (`MALLOC_ARENA_MAX`, `GLIBC_TUNABLES`). Each upload's duplicate-id index
/// grows in many small steps on its own thread; spread over sixteen arenas on two cores, the
/// memory freed by those steps stayed scattered and the peak under 64 concurrent 100 MB
/// uploads grew from one round to the next (244 MiB, then 265 MiB). One arena per core kept
/// it at about 234 MiB, but one upload runs four busy threads (reading, two validators,
/// ordering) besides the connections': on two arenas they waited for each other's arena lock
/// (about a third more futex calls per upload than with eight arenas). Four per core is
/// enough for one upload's threads and keeps the peak below the limit. Call it before any
/// thread starts.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some()
        || std::env::var_os("GLIBC_TUNABLES").is_some()
    {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let arenas = libc::c_int::try_from(cores.saturating_mul(4)).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets a parameter of the allocator, which takes any value (or
    // refuses it, returning 0); no memory is touched.
    let _ = unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// While uploads are in flight, once a second, hand the pages glibc's allocator holds free
/// back to the system (`malloc_trim`): the duplicate-id indexes of many uploads grow side by
/// side in small steps, and the memory their steps free is otherwise kept, counted in the
/// service's resident size, until something of the same size asks for it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
async fn give_back_freed_memory(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut busy = false;
    loop {
        tick.tick().await;
        // Once more after the last upload ends: what it freed goes back too.
        let now = app.uploads_in_flight() > 0;
        if now || busy {
            // SAFETY: malloc_trim only returns free memory to the system; it takes the
            // allocator's own locks and touches no memory in use.
            let _ = tokio::task::spawn_blocking(|| unsafe { libc::malloc_trim(0) }).await;
        }
        busy = now;
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
async fn give_back_freed_memory(_app: App) {}

/// SIGTERM or Ctrl-C.
async fn terminated() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
