//! The reference site: every field of every schema is documented in both languages, and every
//! page renders in a real browser without console errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use dsti::{schema, Version};
use serde_json::Value;

use crate::root;

/// A fresh directory under the target dir (no tempfile crate).
fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join("target")
        .join("test-scratch")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// Every key of every `properties` map anywhere in a schema.
fn property_names(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            map.values().for_each(|c| property_names(c, out));
        }
        Value::Array(items) => items.iter().for_each(|c| property_names(c, out)),
        _ => {}
    }
}

#[test]
fn every_property_appears_on_its_kind_page_in_both_languages() {
    let dir = scratch("docs");
    let written = dsti_cli::docs::write_site(&dir).expect("site");
    assert!(dir.join("index.html").is_file());
    let mut checked = 0;
    for version in Version::ALL {
        for &kind in schema::kinds(version) {
            let s = schema::generate(version, kind, schema::DEFAULT_BASE_URI);
            let mut names = BTreeSet::new();
            property_names(&s, &mut names);
            for lang in ["zh", "en"] {
                let page = dir.join(format!("{version}/{lang}/{kind}.html"));
                assert!(written.contains(&page), "{} not written", page.display());
                let html = std::fs::read_to_string(&page).expect("read page");
                for name in &names {
                    let escaped = name.replace('&', "&amp;").replace('<', "&lt;");
                    assert!(
                        html.contains(&escaped),
                        "{version}/{lang}/{kind}.html lacks {name}"
                    );
                }
                let other = if lang == "zh" { "en" } else { "zh" };
                assert!(
                    html.contains(&format!("href=\"../{other}/{kind}.html\"")),
                    "{version}/{lang}/{kind}.html has no language switch"
                );
                assert!(html.contains("name=\"viewport\""));
                checked += 1;
            }
        }
        for page in ["index", "codes", "profile", "migration"] {
            for lang in ["zh", "en"] {
                if !schema::kinds(version).is_empty() {
                    let path = dir.join(format!("{version}/{lang}/{page}.html"));
                    assert!(path.is_file(), "{} missing", path.display());
                }
            }
        }
    }
    assert!(checked >= 10);
    let codes = std::fs::read_to_string(dir.join("2.0/en/codes.html")).expect("codes");
    for code in dsti::Code::ALL {
        assert!(codes.contains(code.as_str()), "codes page lacks {code}");
        assert!(
            codes.contains(code.summary_zh()),
            "codes page lacks {code}'s zh message"
        );
    }
    // The decided readings and the levels per occupation, from the occupation table.
    assert!(codes.contains("id=\"decided\"") && codes.contains("1850-01-01"));
    for o in dsti::ident::occupations() {
        assert!(codes.contains(o.code), "codes page lacks {}", o.code);
        let levels: Vec<String> = o
            .levels
            .iter()
            .map(|l| format!("<code>{}</code>", l.as_str()))
            .collect();
        assert!(codes.contains(&levels.join(", ")), "levels of {}", o.code);
    }
    // Nothing external, nothing scripted.
    for path in &written {
        let html = std::fs::read_to_string(path).expect("read");
        assert!(!html.contains("<script"), "{}", path.display());
        assert!(!html.contains("<link"), "{}", path.display());
        assert!(!html.contains("src=\"http"), "{}", path.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_writes_the_same_site() {
    let dir = scratch("docs-cli");
    let status = Command::new(env!("CARGO_BIN_EXE_dsti"))
        .args(["docs", "--out"])
        .arg(&dir)
        .status()
        .expect("run dsti");
    assert!(status.success());
    for page in dsti_cli::docs::pages() {
        let on_disk = std::fs::read_to_string(dir.join(&page.path)).expect("page");
        assert_eq!(on_disk, page.html, "{}", page.path);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Renders `page` in headless Chromium at a phone's size into `shot`; its stderr.
fn render(chromium: &Path, page: &Path, shot: &Path, profile: &Path) -> String {
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
            "--window-size=412,915",
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
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// Chromium under CI: required, not skipped.
fn chromium() -> Option<&'static Path> {
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

/// The console filter catches faults on this machine's Chromium: a page with a
/// `console.error`, an uncaught exception and a missing image gives three messages.
#[test]
fn the_console_filter_sees_a_faulty_page() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("docs-faulty");
    let page = dir.join("faulty.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><img src=\"missing.png\"><script>\
         console.error(\"fault one\"); undefinedFunction();</script></body></html>",
    )
    .expect("write page");
    let stderr = render(chromium, &page, &dir.join("shot.png"), &dir.join("profile"));
    let messages = console_messages(&stderr);
    assert!(
        messages.iter().any(|l| l.contains("fault one"))
            && messages.iter().any(|l| l.contains("undefinedFunction")),
        "{messages:?}\n{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Open every page in headless Chromium at a phone's size: it renders (a non-empty PNG) and
/// its console stays silent. Runs when `/usr/bin/chromium` exists; under `CI` it must.
#[test]
fn every_page_renders_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("docs-browser");
    let site = dir.join("site");
    let written = dsti_cli::docs::write_site(&site).expect("site");
    let keep = root().join("target/docs-screenshot.png");
    for (i, page) in written.iter().enumerate() {
        let shot = dir.join(format!("shot-{i}.png"));
        let stderr = render(chromium, page, &shot, &dir.join(format!("profile-{i}")));
        let messages = console_messages(&stderr);
        assert!(messages.is_empty(), "{}: {messages:?}", page.display());
        let png = std::fs::read(&shot).expect("screenshot written");
        assert!(
            png.len() > 1000 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{}: empty screenshot",
            page.display()
        );
        if page.ends_with("2.0/zh/person.html") {
            std::fs::write(&keep, &png).expect("keep screenshot");
        }
    }
    assert!(keep.is_file(), "no screenshot of 2.0/zh/person.html kept");
    let _ = std::fs::remove_dir_all(&dir);
}
