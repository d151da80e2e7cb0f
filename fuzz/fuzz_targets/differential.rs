//! The typed API against the committed JSON Schema, on JSON values biased toward record
//! shapes: typed accepts ⇒ schema accepts; schema rejects ⇒ typed rejects; the fast path
//! (typed from bytes) and the slow path (from a value) agree. On the raw bytes, whatever they
//! are, the validator's fast-path parse reads what `serde_json::from_slice` reads.
//!
//! Input: bytes that are JSON are checked as they are (so the seed corpus and regression
//! files are plain JSON that the stable replay in `tests/it/corpus.rs` can read). Other bytes
//! drive `arbitrary`: pick a test vector, then mutate it at random paths with values chosen
//! for being near the edges of the standard.
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[path = "../common/checks.rs"]
mod checks;

/// Single records of the test vectors (batches contribute their records).
fn seeds() -> &'static [Value] {
    static S: OnceLock<Vec<Value>> = OnceLock::new();
    S.get_or_init(|| {
        let mut out = Vec::new();
        for dir in ["2.0/valid", "2.0/invalid", "2.1/valid", "2.1/invalid"] {
            let dir = format!("{}/../tests/vectors/{dir}", env!("CARGO_MANIFEST_DIR"));
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            paths.sort();
            for path in paths {
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
                    continue;
                };
                if let Some(records) = value.get("records").and_then(Value::as_array) {
                    out.extend(records.iter().cloned());
                }
                if value.get("kind").is_some() {
                    out.push(value);
                }
            }
        }
        if out.is_empty() {
            out.push(json!({"kind": "person", "schemaVersion": "2.0"}));
        }
        out
    })
}

/// Values near the edges of the standard's types and patterns.
fn edge_value(u: &mut Unstructured<'_>) -> Result<Value> {
    const STRINGS: &[&str] = &[
        "",
        " ",
        "2.0",
        "2.1",
        "1.0",
        "competition",
        "person",
        "course",
        "completion",
        "certificate",
        "batch",
        "zh-CN",
        "en",
        "11010519491231002X",
        "11010519491231002x",
        "110105194912310021",
        "440524188001010014",
        "810000199001011234",
        "H12345678",
        "ABC123456789012",
        "91440101MA5CYUF35N",
        "91350100M000100Y43",
        "13812345678",
        "+8613812345678",
        "张三",
        "买买提·艾力",
        "买买提•艾力",
        "4-10-01-06",
        "4-10-01-05",
        "9-99-99-99",
        "440100",
        "659000",
        "000000",
        "2026-03-01T09:00:00+08:00",
        "2026-03-01T09:00:00",
        "2026-03-01T09:00:00Z",
        "2026-02-30T09:00:00+08:00",
        "2026-03-01",
        "2026-02-29",
        "2024-02-29",
        "0b6f2a52-3c7e-4d0a-9d6e-2f7c1a9b8e11",
        "0B6F2A52-3C7E-4D0A-9D6E-2F7C1A9B8E11",
        "hmac-sm3:0000000000000000000000000000000000000000000000000000000000000000",
        "https://example.com/c/1",
        "http://example.com/c/1",
        "Y000044010000012651000001",
        "S00004401000001265100000",
        "acme.example:note",
        "440100:note",
        "junior",
        "technician",
        "senior-technician",
        "resident-id-card",
        "passport",
        "CHN",
        "chn",
        "\u{0}",
        "\u{3000}",
        "a\nb",
    ];
    Ok(match u.int_in_range(0..=13u8)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<u32>()?),
        3 => json!(u.arbitrary::<i64>()?),
        4 => json!(u.arbitrary::<u64>()?),
        5 => {
            let f: f64 = u.arbitrary()?;
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        6 => json!(*u.choose(&[0.0, -0.0, 11.0, 0.5, 1e-7, 1e300, 4294967296.0, -1.0])?),
        7..=9 => Value::String((*u.choose(STRINGS)?).to_owned()),
        10 => Value::String(u.arbitrary()?),
        11 => Value::Array(Vec::new()),
        12 => Value::Object(Map::new()),
        _ => {
            // A subtree of another seed.
            let other = u.choose(seeds())?;
            random_subtree(u, other)?.clone()
        }
    })
}

fn random_subtree<'a>(u: &mut Unstructured<'_>, mut v: &'a Value) -> Result<&'a Value> {
    loop {
        if u.ratio(1, 3)? {
            return Ok(v);
        }
        v = match v {
            Value::Object(m) if !m.is_empty() => {
                let i = u.choose_index(m.len())?;
                m.values().nth(i).unwrap_or(v)
            }
            Value::Array(a) if !a.is_empty() => u.choose(a)?,
            _ => return Ok(v),
        };
    }
}

const KEYS: &[&str] = &[
    "kind",
    "schemaVersion",
    "id",
    "extensions",
    "name",
    "document",
    "type",
    "number",
    "issuingCountry",
    "gender",
    "birthDate",
    "phone",
    "region",
    "verification",
    "code",
    "title",
    "provider",
    "uscc",
    "occupation",
    "jobType",
    "serviceCategories",
    "trainingType",
    "deliveryMode",
    "classHours",
    "modules",
    "topic",
    "ethicsHours",
    "targetLevel",
    "credits",
    "validFrom",
    "validUntil",
    "learner",
    "personId",
    "documentDigest",
    "course",
    "status",
    "enrolledAt",
    "startedAt",
    "completedAt",
    "onlineLearning",
    "studyMinutes",
    "faceChecks",
    "passed",
    "total",
    "assessment",
    "score",
    "maxScore",
    "passScore",
    "assessedAt",
    "creditsEarned",
    "certificateType",
    "holder",
    "holderName",
    "level",
    "issuer",
    "issuedOn",
    "statusReason",
    "evidence",
    "verificationUrl",
    "proof",
    "credentialStatus",
    "programmeKind",
    "participant",
    "event",
    "certificate",
];

/// Mutate `v` at a random place.
fn mutate(u: &mut Unstructured<'_>, v: &mut Value) -> Result<()> {
    // Walk down a random path.
    if u.ratio(2, 3)? {
        match v {
            Value::Object(m) if !m.is_empty() => {
                let i = u.choose_index(m.len())?;
                if let Some(child) = m.values_mut().nth(i) {
                    return mutate(u, child);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let i = u.choose_index(a.len())?;
                if let Some(child) = a.get_mut(i) {
                    return mutate(u, child);
                }
            }
            _ => {}
        }
    }
    let here = v;
    match u.int_in_range(0..=5u8)? {
        0 | 1 => *here = edge_value(u)?,
        2 => {
            if let Value::Object(m) = here {
                if !m.is_empty() {
                    let i = u.choose_index(m.len())?;
                    if let Some(k) = m.keys().nth(i).cloned() {
                        m.remove(&k);
                    }
                }
            }
        }
        3 => {
            if let Value::Object(m) = here {
                let key = if u.ratio(3, 4)? {
                    (*u.choose(KEYS)?).to_owned()
                } else {
                    u.arbitrary()?
                };
                m.insert(key, edge_value(u)?);
            }
        }
        4 => {
            if let Value::Array(a) = here {
                if let Some(first) = a.first().cloned() {
                    a.push(first);
                } else {
                    a.push(edge_value(u)?);
                }
            } else {
                let inner = std::mem::take(here);
                *here = Value::Array(vec![inner]);
            }
        }
        _ => {
            if let Value::String(s) = here {
                let cut = u.choose_index(s.len() + 1)?;
                if s.is_char_boundary(cut) {
                    s.truncate(cut);
                }
                s.push_str(u.arbitrary::<&str>()?);
            }
        }
    }
    Ok(())
}

fn build(data: &[u8]) -> Result<Value> {
    let mut u = Unstructured::new(data);
    let mut v = u.choose(seeds())?.clone();
    for _ in 0..u.int_in_range(1..=6u8)? {
        mutate(&mut u, &mut v)?;
    }
    Ok(v)
}

fuzz_target!(|data: &[u8]| {
    // The fast path's parse against serde_json's on the raw bytes, whatever they are.
    checks::check_fast_path(data);
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        checks::check_differential(&value);
    } else if let Ok(value) = build(data) {
        if std::env::var_os("DSTI_FUZZ_PRINT").is_some() {
            println!("{value}");
        }
        checks::check_differential(&value);
    }
});
