//! The committed schemas are what the code generates, and they are valid 2020-12 schemas.

use dsti::{schema, Version};

use crate::root;

/// Set `DSTI_BLESS=1` to rewrite `schemas/` from the code instead of comparing.
#[test]
fn committed_schemas_equal_generated() {
    let bless = crate::bless();
    let dir = root().join("schemas");
    let mut stale = Vec::new();
    for version in Version::ALL {
        for &kind in schema::kinds(version) {
            let generated =
                schema::to_file_bytes(&schema::generate(version, kind, schema::DEFAULT_BASE_URI));
            let path = dir.join(version.as_str()).join(format!("{kind}.json"));
            if bless {
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(&path, &generated).expect("write");
            } else if std::fs::read(&path).ok().as_deref() != Some(&generated[..]) {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas (rerun with DSTI_BLESS=1 cargo test): {stale:?}"
    );
}

#[test]
fn schemas_are_valid_2020_12() {
    for version in Version::ALL {
        for &kind in schema::kinds(version) {
            let s = schema::generate(version, kind, schema::DEFAULT_BASE_URI);
            assert!(
                jsonschema::meta::is_valid(&s),
                "{version} {kind} is not a valid schema"
            );
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&s)
                .unwrap_or_else(|e| panic!("{version} {kind}: {e}"));
        }
    }
}

/// Every property of every object schema has a bilingual description.
#[test]
fn every_property_is_described_in_both_languages() {
    fn walk(v: &serde_json::Value, at: &str, missing: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    for (name, prop) in props {
                        let described = prop
                            .get("description")
                            .and_then(|d| d.as_str())
                            .is_some_and(|d| {
                                d.contains(" / ") && d.chars().any(|c| c > '\u{2e80}')
                            });
                        // `kind` inside the if-branches of a batch's records is not a property.
                        let is_branch = prop.get("const").is_some()
                            && prop.as_object().is_some_and(|o| o.len() == 1);
                        if !described && !is_branch && !at.contains("/allOf/") {
                            missing.push(format!("{at}/properties/{name}"));
                        }
                    }
                }
                for (k, child) in map {
                    walk(child, &format!("{at}/{k}"), missing);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{at}/{i}"), missing);
                }
            }
            _ => {}
        }
    }
    for version in Version::ALL {
        for &kind in schema::kinds(version) {
            let s = schema::generate(version, kind, schema::DEFAULT_BASE_URI);
            let mut missing = Vec::new();
            walk(&s, "", &mut missing);
            assert!(
                missing.is_empty(),
                "{version} {kind}: undescribed {missing:?}"
            );
            assert!(s["title"].is_string(), "{version} {kind} has no title");
        }
    }
}

#[test]
fn base_uri_changes_only_the_id() {
    let a = schema::generate(
        Version::V2_0,
        dsti::Kind::Person,
        "https://hrss.gd.gov.cn/dsti",
    );
    assert_eq!(a["$id"], "https://hrss.gd.gov.cn/dsti/2.0/person.json");
}

/// The README lists every validation code.
#[test]
fn readme_lists_every_code() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    for code in dsti::Code::ALL {
        assert!(readme.contains(&format!("`{code}`")), "README lacks {code}");
    }
}

/// `schemas/index.json` is what [`dsti::schema::index`] generates (`DSTI_BLESS=1` rewrites it),
/// and its digests are those of the committed files.
#[test]
fn committed_index_equals_generated() {
    let path = root().join("schemas/index.json");
    let generated =
        dsti::schema::to_file_bytes(&dsti::schema::index(dsti::schema::DEFAULT_BASE_URI));
    if crate::bless() {
        std::fs::write(&path, &generated).expect("write index");
    }
    assert!(
        std::fs::read(&path).ok().as_deref() == Some(&generated[..]),
        "stale schemas/index.json (rerun with DSTI_BLESS=1 cargo test)"
    );
    let index: serde_json::Value = serde_json::from_slice(&generated).expect("json");
    for (version, kinds) in index["versions"].as_object().expect("versions") {
        for (kind, entry) in kinds.as_object().expect("kinds") {
            let file = root()
                .join("schemas")
                .join(entry["path"].as_str().expect("path"));
            assert!(
                file.is_file(),
                "{version}/{kind}: {} missing",
                file.display()
            );
            // The digest of the committed bytes, by an implementation other than ours.
            let out = std::process::Command::new("sha256sum")
                .arg(&file)
                .output()
                .expect("run sha256sum");
            let hex = String::from_utf8_lossy(&out.stdout);
            let hex = hex.split_whitespace().next().expect("a digest");
            assert_eq!(
                entry["sha256"], hex,
                "{version}/{kind}: digest of the committed file"
            );
        }
    }
}
