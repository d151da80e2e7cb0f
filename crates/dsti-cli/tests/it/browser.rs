//! Headless Chromium for the tests of pages (the reference site, the stats page): required
//! under CI, skipped on a machine without it.

use std::path::Path;
use std::process::Command;

/// Renders `page` in headless Chromium with the window `size` into `shot`; its stderr.
pub(crate) fn render_at(
    chromium: &Path,
    page: &Path,
    shot: &Path,
    profile: &Path,
    size: &str,
) -> String {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--hide-scrollbars",
            size,
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "{}: chromium failed: {stderr}",
        page.display()
    );
    stderr
}

/// The page's console messages in Chromium's log. Chromium logs every console message,
/// `console.error` and uncaught exceptions included, at INFO (`INFO:CONSOLE`), so the level
/// says nothing: the pages have no script, so any console message at all is a fault.
pub(crate) fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// Chromium under CI: required, not skipped.
pub(crate) fn chromium() -> Option<&'static Path> {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "/usr/bin/chromium is missing under CI (apt-get install -y chromium fonts-noto-cjk)"
        );
        println!("SKIPPED browser rendering: /usr/bin/chromium is not installed");
        return None;
    }
    Some(chromium)
}
