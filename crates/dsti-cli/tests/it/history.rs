//! `dsti history` and `dsti stats` on a generated 2.1 upload (with invalid records mixed in),
//! checked against an independent computation over the raw JSON here, and the HTML page of
//! `dsti stats` in headless Chromium.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{Months, NaiveDate};
use dsti::ident::IdDocument;
use dsti::privacy::{DigestAlgorithm, DigestKey};
use serde_json::{json, Value};

use crate::{root, scratch};

const NOW: &str = "2026-06-01T12:00:00+08:00";
const KEY: &[u8] = b"history test key";

fn dsti(args: &[&str]) -> Output {
    let out = crate::dsti_in(root(), args);
    assert!(
        out.status.success(),
        "dsti {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A generated 2.1 mixed upload, the courses moved to the end (so that completions come
/// before their courses), with invalid records added: they must be skipped.
fn upload(dir: &Path, count: &str) -> (PathBuf, Vec<Value>) {
    let out = dsti(&[
        "generate",
        "--kind",
        "mixed",
        "--count",
        count,
        "--version",
        "2.1",
        "--seed",
        "15",
    ]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let (courses, others): (Vec<&str>, Vec<&str>) = text
        .lines()
        .partition(|l| l.contains("\"kind\":\"course\""));
    let mut lines: Vec<String> = others.iter().map(|s| (*s).to_owned()).collect();
    // Invalid: a completion whose id is not a UUID, and one that is not JSON.
    let completion = others
        .iter()
        .find(|l| l.contains("\"kind\":\"completion\"") && l.contains("\"completed\""))
        .expect("a completion");
    let mut bad: Value = serde_json::from_str(completion).expect("json");
    bad["id"] = json!("not-a-uuid");
    lines.push(bad.to_string());
    lines.push("{\"kind\":\"completion\",".to_owned());
    lines.extend(courses.iter().map(|s| (*s).to_owned()));
    let path = dir.join("upload.ndjson");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write upload");
    let valid: Vec<Value> = others
        .iter()
        .chain(courses.iter())
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    (path, valid)
}

fn s(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

/// The independent model: who each person reference is (their digest under KEY).
struct Model {
    persons: HashMap<String, String>,
    courses: HashMap<String, Value>,
}

impl Model {
    fn new(records: &[Value]) -> Self {
        let mut persons = HashMap::new();
        let mut courses = HashMap::new();
        for r in records {
            match r["kind"].as_str() {
                Some("person") => {
                    persons.insert(s(&r["id"]).expect("id"), digest(&r["document"]));
                }
                Some("course") => {
                    courses.insert(s(&r["id"]).expect("id"), r.clone());
                }
                _ => {}
            }
        }
        Model { persons, courses }
    }

    fn who(&self, person_ref: &Value) -> String {
        if !person_ref["document"].is_null() {
            return digest(&person_ref["document"]);
        }
        if let Some(d) = s(&person_ref["documentDigest"]) {
            return d;
        }
        let id = s(&person_ref["personId"]).expect("some reference");
        self.persons
            .get(&id)
            .cloned()
            .unwrap_or(format!("personId:{id}"))
    }
}

fn digest(document: &Value) -> String {
    let doc: IdDocument = serde_json::from_value(document.clone()).expect("document");
    doc.digest(&DigestKey::new(KEY), DigestAlgorithm::HmacSm3)
        .as_str()
        .to_owned()
}

fn province(org: &Value) -> Option<String> {
    org["region"].as_str().map(|r| r[..2].to_owned())
}

fn or_none(v: Option<String>) -> String {
    v.unwrap_or_else(|| "none".to_owned())
}

#[derive(Default, Debug, PartialEq)]
struct Counts {
    people: BTreeSet<String>,
    completions: u64,
    hours: f64,
    certificates: BTreeMap<String, u64>,
    entrants: BTreeSet<String>,
}

/// Statistics by programme, province, year, occupation and level, computed from the JSON.
fn expected_stats(records: &[Value], model: &Model) -> BTreeMap<Vec<String>, Counts> {
    let mut groups: BTreeMap<Vec<String>, Counts> = BTreeMap::new();
    for r in records {
        match r["kind"].as_str() {
            Some("completion") if r["status"] == "completed" => {
                let course = model.courses.get(r["course"]["id"].as_str().expect("id"));
                let get = |f: &dyn Fn(&Value) -> Option<String>| match course {
                    Some(c) => or_none(f(c)),
                    None => "unknown".to_owned(),
                };
                let key = vec![
                    get(&|c| s(&c["programmeKind"])),
                    or_none(
                        province(&r["provider"])
                            .or_else(|| course.and_then(|c| province(&c["provider"]))),
                    ),
                    r["completedAt"].as_str().expect("completedAt")[..4].to_owned(),
                    get(&|c| s(&c["occupation"]["code"])),
                    get(&|c| s(&c["targetLevel"])),
                ];
                let g = groups.entry(key).or_default();
                g.people.insert(model.who(&r["learner"]));
                g.completions += 1;
                g.hours += r["classHours"].as_f64().expect("hours");
            }
            Some("certificate") => {
                let key = vec![
                    "none".to_owned(),
                    or_none(province(&r["issuer"])),
                    r["issuedOn"].as_str().expect("issuedOn")[..4].to_owned(),
                    s(&r["occupation"]["code"]).expect("occupation"),
                    or_none(s(&r["level"])),
                ];
                let level = or_none(s(&r["level"]));
                *groups
                    .entry(key)
                    .or_default()
                    .certificates
                    .entry(level)
                    .or_default() += 1;
            }
            Some("competition") => {
                let e = &r["event"];
                let key = vec![
                    "none".to_owned(),
                    or_none(province(&e["organizer"])),
                    e["heldFrom"].as_str().expect("heldFrom")[..4].to_owned(),
                    s(&e["occupation"]["code"]).expect("occupation"),
                    or_none(s(&r["grantsLevel"])),
                ];
                groups
                    .entry(key)
                    .or_default()
                    .entrants
                    .insert(model.who(&r["participant"]));
            }
            _ => {}
        }
    }
    groups
}

#[test]
fn stats_equal_an_independent_count() {
    let dir = scratch("stats");
    let (path, records) = upload(&dir, "3000");
    let model = Model::new(&records);
    let key = dir.join("key");
    std::fs::write(&key, KEY).expect("key");
    let path = path.to_string_lossy().into_owned();
    let out = dsti(&[
        "stats",
        &path,
        "--by",
        "programme,province,year,occupation,level",
        "--now",
        NOW,
        "--digest-key-file",
        &key.to_string_lossy(),
    ]);
    let got: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(got["summary"]["invalid"], 2, "{}", got["summary"]);
    let expected = expected_stats(&records, &model);
    let groups = got["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), expected.len());
    for g in groups {
        let key: Vec<String> = ["programme", "province", "year", "occupation", "level"]
            .iter()
            .map(|d| s(&g["group"][*d]).expect("dimension"))
            .collect();
        let want = expected.get(&key).unwrap_or_else(|| panic!("{key:?}"));
        assert_eq!(g["people"], want.people.len(), "{key:?}");
        assert_eq!(g["completions"], want.completions, "{key:?}");
        let hours = g["classHours"].as_f64().expect("hours");
        assert!((hours - want.hours).abs() < 1e-6, "{key:?}");
        let by_level: BTreeMap<String, u64> =
            serde_json::from_value(g["certificatesByLevel"].clone()).expect("levels");
        assert_eq!(by_level, want.certificates, "{key:?}");
        assert_eq!(g["competitionEntrants"], want.entrants.len(), "{key:?}");
    }
    // The womens-federation programme shows up, with people in it.
    assert!(groups
        .iter()
        .any(|g| g["group"]["programme"] == "womens-federation" && g["people"].as_u64() > Some(0)));
    // Fewer dimensions merge groups: distinct people are not the sum of the finer groups'.
    let out = dsti(&["stats", &path, "--by", "year", "--now", NOW]);
    let coarse: Value = serde_json::from_slice(&out.stdout).expect("json");
    let total_completions: u64 = coarse["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["completions"].as_u64().expect("n"))
        .sum();
    assert_eq!(
        total_completions,
        expected.values().map(|c| c.completions).sum::<u64>()
    );
    // By programme, province, year and service category: the analyst's question ("distinct
    // people who completed maternity-care training under the Women's Federation programme in
    // province P in year Y"), for every group.
    let out = dsti(&[
        "stats",
        &path,
        "--by",
        "programme,province,year,category",
        "--now",
        NOW,
        "--digest-key-file",
        &key.to_string_lossy(),
    ]);
    let got: Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut want: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| r["kind"] == "completion" && r["status"] == "completed")
    {
        let Some(course) = model.courses.get(r["course"]["id"].as_str().expect("id")) else {
            continue;
        };
        for c in course["serviceCategories"].as_array().expect("categories") {
            let key = vec![
                or_none(s(&course["programmeKind"])),
                or_none(province(&r["provider"]).or_else(|| province(&course["provider"]))),
                r["completedAt"].as_str().expect("t")[..4].to_owned(),
                s(c).expect("category"),
            ];
            want.entry(key)
                .or_default()
                .insert(model.who(&r["learner"]));
        }
    }
    let mut seen = 0;
    for g in got["groups"].as_array().expect("groups") {
        let key: Vec<String> = ["programme", "province", "year", "category"]
            .iter()
            .map(|d| s(&g["group"][*d]).expect("dimension"))
            .collect();
        if let Some(people) = want.get(&key) {
            assert_eq!(g["people"], people.len(), "{key:?}");
            seen += 1;
        } else {
            assert_eq!(g["people"], 0, "{key:?}");
        }
    }
    assert_eq!(seen, want.len());
    assert!(want
        .keys()
        .any(|k| k[0] == "womens-federation" && k[3] == "maternity-care"));
    // CSV: a header and one line per group, the same numbers.
    let out = dsti(&[
        "stats", &path, "--by", "year", "--format", "csv", "--now", NOW,
    ]);
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .expect("header")
        .starts_with("year,people,completions,"));
    for (line, g) in lines.zip(coarse["groups"].as_array().expect("groups")) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[0], g["group"]["year"]);
        assert_eq!(fields[2], g["completions"].to_string());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Per person: category → (pre-job satisfied, last completion date, due date, overdue).
type Categories = BTreeMap<String, (bool, NaiveDate, NaiveDate, bool)>;

#[test]
fn history_equals_an_independent_computation() {
    let dir = scratch("history");
    let (path, records) = upload(&dir, "3000");
    let model = Model::new(&records);
    let key = dir.join("key");
    std::fs::write(&key, KEY).expect("key");
    let profile = dir.join("profile.json");
    std::fs::write(
        &profile,
        r#"{"profile":"t","preJobMinimumClassHours":{"maternity-care":60,"elderly-care":40},"retrainingIntervalMonths":18}"#,
    )
    .expect("profile");
    let now = chrono::DateTime::parse_from_rfc3339(NOW).expect("now");
    let today = now.date_naive();

    // Expected, from the JSON.
    let mut categories: BTreeMap<String, Categories> = BTreeMap::new();
    let mut certs: BTreeMap<String, usize> = BTreeMap::new();
    let mut competitions: BTreeMap<String, usize> = BTreeMap::new();
    let mut last: HashMap<(String, String), chrono::DateTime<chrono::FixedOffset>> = HashMap::new();
    for r in &records {
        match r["kind"].as_str() {
            Some("completion") if r["status"] == "completed" => {
                let who = model.who(&r["learner"]);
                let at = chrono::DateTime::parse_from_rfc3339(
                    r["completedAt"].as_str().expect("completedAt"),
                )
                .expect("time");
                if at > now {
                    continue;
                }
                categories.entry(who.clone()).or_default();
                let Some(course) = model.courses.get(r["course"]["id"].as_str().expect("id"))
                else {
                    continue;
                };
                let hours = r["classHours"].as_f64().expect("hours");
                for c in course["serviceCategories"].as_array().expect("categories") {
                    let c = s(c).expect("category");
                    let minimum = match c.as_str() {
                        "maternity-care" => 60.0,
                        "elderly-care" => 40.0,
                        _ => 0.0,
                    };
                    let pre = course["trainingType"] == "pre-job" && hours >= minimum;
                    let previous = last.get(&(who.clone(), c.clone())).copied();
                    let latest = previous.map_or(at, |p| p.max(at));
                    last.insert((who.clone(), c.clone()), latest);
                    let due = latest
                        .date_naive()
                        .checked_add_months(Months::new(18))
                        .expect("date");
                    let entry = categories
                        .get_mut(&who)
                        .expect("person")
                        .entry(c)
                        .or_insert((false, latest.date_naive(), due, false));
                    *entry = (entry.0 || pre, latest.date_naive(), due, today > due);
                }
            }
            Some("certificate") => {
                let who = model.who(&r["holder"]);
                let issued: NaiveDate = r["issuedOn"].as_str().expect("d").parse().expect("d");
                let until: Option<NaiveDate> =
                    r["validUntil"].as_str().map(|d| d.parse().expect("d"));
                let n = certs.entry(who).or_default();
                if r["status"] == "valid" && issued <= today && until.map_or(true, |u| u >= today) {
                    *n += 1;
                }
            }
            Some("competition") => {
                let who = model.who(&r["participant"]);
                let from: NaiveDate = r["event"]["heldFrom"]
                    .as_str()
                    .expect("d")
                    .parse()
                    .expect("d");
                if from <= today {
                    *competitions.entry(who).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    let people: BTreeSet<&String> = categories
        .keys()
        .chain(certs.keys())
        .chain(competitions.keys())
        .collect();

    let path = path.to_string_lossy().into_owned();
    let key = key.to_string_lossy().into_owned();
    let profile = profile.to_string_lossy().into_owned();
    let args = [
        "history",
        &path,
        "--now",
        NOW,
        "--profile",
        &profile,
        "--digest-key-file",
        &key,
        "--format",
        "ndjson",
    ];
    let out = dsti(&args);
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), people.len());
    let mut overdue = BTreeSet::new();
    for p in &lines {
        let who = s(&p["person"]).expect("person");
        let got: Categories = p["categories"]
            .as_array()
            .expect("categories")
            .iter()
            .map(|c| {
                let at =
                    chrono::DateTime::parse_from_rfc3339(c["lastCompleted"].as_str().expect("t"))
                        .expect("t");
                (
                    s(&c["serviceCategory"]).expect("category"),
                    (
                        c["preJobSatisfied"].as_bool().expect("bool"),
                        at.date_naive(),
                        c["retrainingDue"].as_str().expect("d").parse().expect("d"),
                        c["overdue"].as_bool().expect("bool"),
                    ),
                )
            })
            .collect();
        assert_eq!(
            got,
            categories.get(&who).cloned().unwrap_or_default(),
            "{who}"
        );
        assert_eq!(
            p["certificatesInForce"].as_array().expect("certs").len(),
            certs.get(&who).copied().unwrap_or(0),
            "{who}"
        );
        assert_eq!(
            p["competitions"].as_array().expect("competitions").len(),
            competitions.get(&who).copied().unwrap_or(0),
            "{who}"
        );
        if got.values().any(|c| c.3) {
            overdue.insert(who);
        }
    }
    // Some are overdue and some are not: the test tells them apart.
    assert!(!overdue.is_empty() && overdue.len() < lines.len());
    let mut args = args.to_vec();
    args.push("--overdue");
    let out = dsti(&args);
    let shown: BTreeSet<String> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| s(&serde_json::from_str::<Value>(l).expect("json")["person"]).expect("p"))
        .collect();
    assert_eq!(shown, overdue);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The document numbers of `records`: their own (`""`) and their `people`'s.
fn document_numbers(records: &[Value], people: &[&str]) -> HashSet<String> {
    records
        .iter()
        .flat_map(|r| {
            people
                .iter()
                .map(|p| if p.is_empty() { r } else { &r[*p] })
                .filter_map(|person| s(&person["document"]["number"]))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Without a digest key, people are shown masked: no document number of the input appears
/// whole in any format.
#[test]
fn history_never_shows_a_document_number() {
    let dir = scratch("history-mask");
    let (path, records) = upload(&dir, "400");
    let numbers = document_numbers(&records, &["", "learner", "holder", "participant"]);
    assert!(numbers.len() > 50);
    let path = path.to_string_lossy().into_owned();
    for format in ["text", "json", "ndjson"] {
        let out = dsti(&["history", &path, "--now", NOW, "--format", format]);
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains("*************"), "{format}");
        for n in &numbers {
            assert!(
                !text.contains(n.as_str()),
                "{format} shows a document number"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The HTML page renders in headless Chromium with a silent console; its screenshot is kept
/// under target/ for people to look at. Runs when /usr/bin/chromium exists; under CI it must.
#[test]
fn the_stats_page_renders_in_chromium() {
    let dir = scratch("stats-html");
    let (path, _) = upload(&dir, "2000");
    let path = path.to_string_lossy().into_owned();
    let out = dsti(&[
        "stats",
        &path,
        "--by",
        "programme,year",
        "--format",
        "html",
        "--now",
        NOW,
    ]);
    let page = dir.join("stats.html");
    std::fs::write(&page, &out.stdout).expect("page");
    let html = String::from_utf8(out.stdout).expect("utf-8");
    assert!(html.contains("<svg") && !html.contains("<script"));
    assert!(
        !html.contains(" src=") && !html.contains("href="),
        "nothing fetched"
    );
    let Some(chromium) = crate::browser::chromium() else {
        return;
    };
    let shot = root().join("target").join("stats-page.png");
    let stderr = crate::browser::render_at(
        chromium,
        &page,
        &shot,
        &dir.join("profile"),
        "--window-size=1100,1400",
    );
    let console = crate::browser::console_messages(&stderr);
    assert!(console.is_empty(), "{console:?}");
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(png.len() > 1000 && png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--by` with a name that is no dimension is a usage error (exit 2).
#[test]
fn a_bad_dimension_is_a_usage_error() {
    let out = crate::dsti_in(
        root(),
        &["stats", "examples/upload.ndjson", "--by", "county"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown dimension"));
}

/// `dsti export --to parquet`: one file per kind with one row per valid record of the kind,
/// and no document number of the input in any column (they are `documentDigest`s, equal to
/// the library's keyed digest).
#[test]
fn parquet_export_has_every_valid_record_and_no_document_number() {
    use arrow_array::{Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    let dir = scratch("parquet");
    let (path, records) = upload(&dir, "1500");
    let key = dir.join("key");
    std::fs::write(&key, KEY).expect("key");
    let out = dir.join("out");
    dsti(&[
        "export",
        "--to",
        "parquet",
        "--out",
        &out.to_string_lossy(),
        "--digest-key-file",
        &key.to_string_lossy(),
        &path.to_string_lossy(),
    ]);
    let numbers = document_numbers(&records, &["", "learner", "holder"]);
    let mut digests = HashSet::new();
    for kind in [
        "person",
        "course",
        "completion",
        "certificate",
        "competition",
    ] {
        let file = std::fs::File::open(out.join(format!("{kind}.parquet"))).expect("file");
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .expect("parquet")
            .build()
            .expect("reader");
        let mut rows = 0;
        let mut ids = BTreeSet::new();
        for batch in reader {
            let batch = batch.expect("batch");
            rows += batch.num_rows();
            for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
                let Some(strings) = column.as_any().downcast_ref::<StringArray>() else {
                    continue;
                };
                for v in strings.iter().flatten() {
                    assert!(
                        !numbers.contains(v),
                        "{kind}.{} holds a document number",
                        field.name()
                    );
                    if field.name() == "id" {
                        ids.insert(v.to_owned());
                    }
                    if field.name().ends_with("Digest") {
                        assert!(v.starts_with("hmac-sm3:"), "{v}");
                        digests.insert(v.to_owned());
                    }
                }
            }
        }
        let want: BTreeSet<String> = records
            .iter()
            .filter(|r| r["kind"] == kind)
            .map(|r| s(&r["id"]).expect("id"))
            .collect();
        assert_eq!(rows, want.len(), "{kind}");
        assert_eq!(ids, want, "{kind}");
    }
    // The digests are the standard's: those of the person records' documents appear.
    let model = Model::new(&records);
    assert!(model.persons.values().all(|d| digests.contains(d)));
    let _ = std::fs::remove_dir_all(&dir);
}
