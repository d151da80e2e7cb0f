//! The reference site: every field of every schema is documented in both languages, and every
//! page renders in a real browser without console errors.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use dsti::{schema, Version};
use serde_json::Value;

use crate::browser::{chromium, console_messages, render_at};
use crate::{root, scratch};

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

/// A phone's window (the size the reference is checked at first).
const PHONE: &str = "--window-size=390,844";
/// A desktop's window.
const DESKTOP: &str = "--window-size=1366,900";

/// Renders `page` in headless Chromium at a phone's size into `shot`; its stderr.
fn render(chromium: &Path, page: &Path, shot: &Path, profile: &Path) -> String {
    render_at(chromium, page, shot, profile, PHONE)
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

/// Open every page in headless Chromium at a phone's size, and the current version's kind
/// pages at a desktop's too: it renders (a non-empty PNG) and its console stays silent. The
/// person page's screenshots are kept under `target/` for people to look at. Runs when
/// `/usr/bin/chromium` exists; under `CI` it must.
#[test]
fn every_page_renders_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("docs-browser");
    let site = dir.join("site");
    let written = dsti_cli::docs::write_site(&site).expect("site");
    let kinds: Vec<String> = schema::kinds(Version::CURRENT)
        .iter()
        .flat_map(|k| ["zh", "en"].map(|l| format!("{}/{l}/{k}.html", Version::CURRENT)))
        .collect();
    let mut kept = Vec::new();
    for (i, page) in written.iter().enumerate() {
        let rel = page
            .strip_prefix(&site)
            .expect("inside the site")
            .to_string_lossy()
            .into_owned();
        let sizes: &[(&str, &str)] = if kinds.contains(&rel) {
            &[("phone", PHONE), ("desktop", DESKTOP)]
        } else {
            &[("phone", PHONE)]
        };
        for (name, size) in sizes {
            let shot = dir.join(format!("shot-{i}-{name}.png"));
            let profile = dir.join(format!("profile-{i}-{name}"));
            let stderr = render_at(chromium, page, &shot, &profile, size);
            let messages = console_messages(&stderr);
            assert!(messages.is_empty(), "{rel} at {size}: {messages:?}");
            let png = std::fs::read(&shot).expect("screenshot written");
            assert!(
                png.len() > 1000 && png.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{rel} at {size}: empty screenshot"
            );
            if let Some(lang) = ["zh", "en"]
                .into_iter()
                .find(|l| rel == format!("{}/{l}/person.html", Version::CURRENT))
            {
                let keep = root().join(format!("target/docs-person-{lang}-{name}.png"));
                std::fs::write(&keep, &png).expect("keep screenshot");
                if lang == "zh" && *name == "phone" {
                    std::fs::write(root().join("target/docs-screenshot.png"), &png)
                        .expect("keep screenshot");
                }
                kept.push(keep);
            }
        }
    }
    assert_eq!(
        kept.len(),
        4,
        "the person page in both languages at both sizes: {kept:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `html` without its `<details>…</details>` blocks: what a reader sees before unfolding.
fn unfolded(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<details") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</details>")
            .map_or("", |end| &rest[start + end + "</details>".len()..]);
    }
    out.push_str(rest);
    out
}

/// The text of an escaped HTML fragment.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The contents of every `<pre class="record"><code>…</code></pre>` of a page, as JSON text.
fn records(html: &str) -> Vec<String> {
    html.split("<pre class=\"record\"><code>")
        .skip(1)
        .filter_map(|part| part.split("</code></pre>").next())
        .map(unescape)
        .collect()
}

/// The names of the top-level fields in a page's field table, in order.
fn top_level_rows(html: &str) -> Vec<String> {
    html.split("<td class=\"name\"><span class=\"depth\"></span>")
        .skip(1)
        .filter_map(|part| part.split("</td>").next())
        .map(unescape)
        .collect()
}

/// The keys of a JSON object text, in the order written.
fn keys_in_order(text: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(text).expect("json");
    let mut keys: Vec<(usize, String)> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(|k| {
            let at = text
                .find(&format!("\n  \"{k}\":"))
                .expect("a top-level key");
            (at, k.clone())
        })
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, k)| k).collect()
}

#[test]
fn kind_pages_read_for_a_clerk() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00+08:00").expect("now");
    let pages = dsti_cli::docs::pages();
    let root_page = pages.iter().find(|p| p.path == "index.html").expect("root");
    assert!(
        root_page.html.contains("<html lang=\"zh-CN\">"),
        "the landing page is Chinese"
    );
    let mut kinds_checked = 0;
    for version in Version::ALL {
        for &kind in schema::kinds(version) {
            for lang in ["zh", "en"] {
                let path = format!("{version}/{lang}/{kind}.html");
                let page = pages.iter().find(|p| p.path == path).expect("kind page");
                let seen = unfolded(&page.html);
                // No regular expression is the text a reader sees first.
                assert!(
                    !seen.contains("(?!"),
                    "{path}: a raw pattern outside <details>"
                );
                assert!(
                    !seen.contains("[0-9]{"),
                    "{path}: a raw pattern outside <details>"
                );
                assert!(
                    page.html.contains("(?!\\n)"),
                    "{path}: the exact patterns are kept"
                );
                if lang == "zh" {
                    assert!(page.html.contains("18 位"), "{path}: identifiers in words");
                }
                // A kind the generator does not make yet has no example; every kind of 1.0 and
                // 2.0 has (counted below).
                if kind.record().is_none() || !page.html.contains("id=\"example\"") {
                    continue;
                }
                // A complete valid record, accepted without a finding, and a typical invalid
                // one whose findings are the validator's own.
                let found = records(&page.html);
                assert_eq!(found.len(), 2, "{path}: a valid and an invalid record");
                let validator =
                    dsti::validate::Validator::new(dsti::validate::Options::default().now(now));
                let valid = validator.validate_str(&found[0]);
                assert!(valid.issues.is_empty(), "{path}: {:?}", valid.issues);
                let invalid = validator.validate_str(&found[1]);
                assert!(!invalid.is_valid(), "{path}");
                for f in &invalid.issues {
                    assert!(
                        page.html
                            .contains(&format!("href=\"codes.html#{}\"", f.code.as_str())),
                        "{path}: finding {} not shown",
                        f.code.as_str()
                    );
                }
                // Fields in the order of the record.
                let written = keys_in_order(&found[0]);
                let rows: Vec<String> = top_level_rows(&page.html)
                    .into_iter()
                    .filter(|r| written.contains(r))
                    .collect();
                assert_eq!(rows, written, "{path}: fields not in record order");
                kinds_checked += 1;
            }
        }
    }
    // Four kinds of 1.0 and of 2.0, in two languages.
    assert!(kinds_checked >= 16, "{kinds_checked}");
}
