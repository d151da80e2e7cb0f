//! Integration tests of the exchange service over real HTTP on a loopback port: one test
//! binary, a server per test (each on its own port, with its own configuration).

mod client;
mod endpoints;
mod faults;
mod uploads;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use dsti_server::config::{new_token, Config};
use dsti_server::{App, Settings};

/// The repository root, where the vectors and samples are.
pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The sender of token A.
pub const SENDER_A: &str = "91440101MA5CYUF35N";
/// The sender of token B (the sender named by the batch vectors).
pub const SENDER_B: &str = "52440101MJ00001238";
/// The instant every vector is judged at.
pub const NOW: &str = "2026-11-28T12:00:00+08:00";

/// A service on a loopback port, stopped (and drained) when dropped.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The service (its counters).
    pub app: App,
    /// A token of [`SENDER_A`].
    pub token_a: String,
    /// A token of [`SENDER_B`].
    pub token_b: String,
    /// Its configuration, tokens and profile files.
    pub dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// `Authorization` of token A.
    pub fn auth_a(&self) -> String {
        format!("Bearer {}", self.token_a)
    }

    /// `Authorization` of token B.
    pub fn auth_b(&self) -> String {
        format!("Bearer {}", self.token_b)
    }

    /// Stop: drain and wait for the service to return.
    pub fn stop(mut self) -> std::io::Result<()> {
        self.stop_inner()
    }

    /// Ask the service to drain, without waiting.
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    fn stop_inner(&mut self) -> std::io::Result<()> {
        self.signal_stop();
        match self.thread.take() {
            Some(t) => t.join().expect("server thread"),
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.stop_inner();
    }
}

/// Start a service; `extra` is appended to its TOML configuration.
pub fn start(extra: &str) -> TestServer {
    start_with(extra, |s| s)
}

/// Start a service with its settings adjusted.
pub fn start_with(extra: &str, adjust: impl FnOnce(Settings) -> Settings) -> TestServer {
    let dir = tempfile::tempdir().expect("tempdir");
    let (token_a, entry_a) = new_token(&SENDER_A.parse().expect("uscc"), "A").expect("token");
    let (token_b, entry_b) = new_token(&SENDER_B.parse().expect("uscc"), "B").expect("token");
    std::fs::write(
        dir.path().join("tokens.json"),
        serde_json::to_vec(&[entry_a, entry_b]).expect("json"),
    )
    .expect("tokens");
    std::fs::write(
        dir.path().join("strict.json"),
        r#"{"profile":"strict","preJobMinimumClassHours":{"maternity-care":80}}"#,
    )
    .expect("profile");
    let toml = format!(
        "listen = \"127.0.0.1:0\"\ntokens = \"tokens.json\"\njobs = 2\ndrain_grace_secs = 20\n{extra}\n[profiles]\nstrict = \"strict.json\"\n"
    );
    let path = dir.path().join("serve.toml");
    std::fs::write(&path, toml).expect("config");
    let config = Config::load(&path).expect("config");
    let now = chrono::DateTime::parse_from_rfc3339(NOW).expect("now");
    let settings = adjust(Settings::new(config).now(now));
    let app = App::new(settings).expect("app");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let served = app.clone();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            addr_tx
                .send(listener.local_addr()?)
                .map_err(|_| std::io::Error::other("test gone"))?;
            dsti_server::serve(listener, served, async {
                let _ = stopped.await;
            })
            .await
        })
    });
    let addr = addr_rx.recv().expect("server address");
    TestServer {
        addr,
        app,
        token_a,
        token_b,
        dir,
        stop: Some(stop),
        thread: Some(thread),
    }
}

/// A file of the repository.
pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `.json` file directly inside `dir` (relative to the root), sorted.
pub fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.ends_with("manifest.json"))
        .collect();
    out.sort();
    out
}

/// What the library's report writer says of `bytes`: the lines `dsti validate --format
/// ndjson` prints, judged at [`NOW`] as an upload of `sender`.
pub fn expected_report(bytes: &[u8], format: dsti::validate::InputFormat, sender: &str) -> String {
    use dsti::report::{Format, ReportWriter};
    use dsti::validate::{Lang, Options, Validator};
    let options = Options::default()
        .now(chrono::DateTime::parse_from_rfc3339(NOW).expect("now"))
        .expected_sender(sender.parse().expect("uscc"));
    let validator = Validator::new(options);
    let mut out = Vec::new();
    let mut report =
        ReportWriter::new(&mut out, Format::Ndjson, Lang::En, "default").expect("writer");
    for event in validator.validate_reader(bytes, format) {
        report.write_event(&event.expect("event")).expect("write");
    }
    report.finish().expect("finish");
    String::from_utf8(out).expect("utf-8")
}
