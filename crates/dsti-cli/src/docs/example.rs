//! The example records of a kind's page: a complete valid record (the most complete of the
//! generator's first records that the validator accepts without a finding), a typical invalid
//! one made from it (a wrong check character, a required field left out) with the findings the
//! validator gives it, and the order of the record's fields, read from the records themselves.
//!
//! Records keep their fields in the order they are written ([`Ordered`]), which a
//! `serde_json::Value` does not.

use std::collections::BTreeMap;
use std::fmt;

use dsti::validate::{Finding, Lang, Options, Validator};
use dsti::{Kind, Version};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// The instant examples are judged at, so that a page is the same on any day.
const NOW: &str = "2026-11-28T12:00:00+08:00";

/// How many generated records are looked at per kind.
const CANDIDATES: u64 = 40;

/// A JSON value whose objects keep their keys in the order written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ordered {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Ordered, E> {
                Ok(Ordered::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Ordered, E> {
                Ok(Ordered::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Ordered, E> {
                Ok(Ordered::Number(n.into()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Ordered, E> {
                serde_json::Number::from_f64(n)
                    .map(Ordered::Number)
                    .ok_or_else(|| E::custom("not a finite number"))
            }
            fn visit_str<E>(self, s: &str) -> Result<Ordered, E> {
                Ok(Ordered::String(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Ordered, E> {
                Ok(Ordered::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    entries.push((k, v));
                }
                Ok(Ordered::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Ordered::Null => s.serialize_unit(),
            Ordered::Bool(b) => s.serialize_bool(*b),
            Ordered::Number(n) => n.serialize(s),
            Ordered::String(v) => s.serialize_str(v),
            Ordered::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Ordered::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl Ordered {
    /// Compact JSON.
    pub(crate) fn compact(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Indented JSON, two spaces, the fields in record order.
    pub(crate) fn pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The number of scalar values inside: how complete a record is.
    fn leaves(&self) -> usize {
        match self {
            Ordered::Array(items) => items.iter().map(Ordered::leaves).sum(),
            Ordered::Object(entries) => entries.iter().map(|(_, v)| v.leaves()).sum(),
            _ => 1,
        }
    }

    /// The value at a field path as the field table writes it (`document.number`,
    /// `modules[].title`; `[]` is the first item).
    pub(crate) fn at(&self, path: &str) -> Option<&Ordered> {
        let mut here = self;
        for part in path.split('.') {
            let (name, items) = match part.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (part, false),
            };
            let Ordered::Object(entries) = here else {
                return None;
            };
            here = &entries.iter().find(|(k, _)| k == name)?.1;
            if items {
                let Ordered::Array(list) = here else {
                    return None;
                };
                here = list.first()?;
            }
        }
        Some(here)
    }
}

/// The order of the fields of a record kind, by field-table path (`""` the record,
/// `document`, `modules[]`): each object's keys in the order records write them.
#[derive(Debug, Default, Clone)]
pub(crate) struct FieldOrder(BTreeMap<String, Vec<String>>);

impl FieldOrder {
    /// Merge the key order of `value` at `path` into this one: a key not seen before goes right
    /// after the key that precedes it in `value`.
    fn learn(&mut self, path: &str, value: &Ordered) {
        match value {
            Ordered::Object(entries) => {
                let known = self.0.entry(path.to_owned()).or_default();
                let mut after: Option<usize> = None;
                for (key, _) in entries {
                    match known.iter().position(|k| k == key) {
                        Some(i) => after = Some(i),
                        None => {
                            let at = after.map_or(0, |i| i + 1);
                            known.insert(at, key.clone());
                            after = Some(at);
                        }
                    }
                }
                for (key, child) in entries {
                    let child_path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    self.learn(&child_path, child);
                }
            }
            Ordered::Array(items) => {
                for item in items {
                    self.learn(&format!("{path}[]"), item);
                }
            }
            _ => {}
        }
    }

    /// The rank of `key` in the object at `path`: its position, or after every known key.
    pub(crate) fn rank(&self, path: &str, key: &str) -> usize {
        self.0
            .get(path)
            .and_then(|keys| keys.iter().position(|k| k == key))
            .unwrap_or(usize::MAX)
    }
}

/// What a kind's page shows of example records.
#[derive(Debug, Clone)]
pub(crate) struct Examples {
    /// A complete valid record.
    pub(crate) valid: Ordered,
    /// A typical invalid record and what the validator finds in it.
    pub(crate) invalid: Option<(Ordered, Vec<Finding>)>,
    /// The order of the fields.
    pub(crate) order: FieldOrder,
}

/// Records of `kind` in `version` from the generator, as written: the version's own generator,
/// or the current version's records migrated to `version`.
fn generated(version: Version, kind: Kind) -> Vec<Ordered> {
    // The generator makes the kinds of 1.0 and 2.0; a kind added later has no example yet.
    let source = if version == Version::V1_0 {
        Version::V1_0
    } else {
        Version::V2_0
    };
    if !dsti::schema::kinds(source).contains(&kind.into()) {
        return Vec::new();
    }
    let mut ndjson = Vec::new();
    let made = if version == Version::V1_0 {
        dsti::synth::v1::write_ndjson_v1(&mut ndjson, Some(kind), CANDIDATES, 1)
    } else {
        dsti::synth::write_ndjson(&mut ndjson, Some(kind), CANDIDATES, 1)
    };
    if made.is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&ndjson);
    text.lines()
        .filter_map(|line| {
            if version == Version::V1_0 || version == Version::V2_0 {
                return serde_json::from_str(line).ok();
            }
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            let record = dsti::migrate::migrate(&value, version).record?;
            serde_json::from_str(&serde_json::to_string(&record).ok()?).ok()
        })
        .collect()
}

fn validator(lang: Lang) -> Validator {
    let mut options = Options::default().lang(lang);
    if let Ok(now) = chrono::DateTime::parse_from_rfc3339(NOW) {
        options = options.now(now);
    }
    Validator::new(options)
}

/// `record` with the last character of its first check-charactered identifier changed: what
/// a slip of the keyboard does.
fn wrong_check_character(record: &mut Ordered) -> bool {
    const CHECKED: [&str; 4] = ["number", "uscc", "idCardNo", "orgCode"];
    match record {
        Ordered::Object(entries) => entries.iter_mut().any(|(key, value)| {
            if let (true, Ordered::String(s)) = (CHECKED.contains(&key.as_str()), &mut *value) {
                if let Some(last) = s.pop() {
                    let swapped = match last {
                        '0'..='8' => char::from(last as u8 + 1),
                        _ => '0',
                    };
                    s.push(swapped);
                    return true;
                }
            }
            wrong_check_character(value)
        }),
        Ordered::Array(items) => items.iter_mut().any(wrong_check_character),
        _ => false,
    }
}

/// `record` without its first required field after the header, if `required` names one.
fn leave_out_required(record: &mut Ordered, required: &[String]) -> bool {
    let Ordered::Object(entries) = record else {
        return false;
    };
    let header = ["kind", "schemaVersion", "id"];
    match entries.iter().position(|(k, v)| {
        !header.contains(&k.as_str())
            && required.contains(k)
            && !matches!(v, Ordered::Object(_) | Ordered::Array(_))
    }) {
        Some(i) => {
            entries.remove(i);
            true
        }
        None => false,
    }
}

/// The examples of `kind` in `version`, with findings in `lang`; `None` when the generator
/// makes no valid record of it.
pub(crate) fn examples(
    version: Version,
    kind: Kind,
    required: &[String],
    lang: Lang,
) -> Option<Examples> {
    let records = generated(version, kind);
    let check = validator(lang);
    let mut valid: Vec<&Ordered> = records
        .iter()
        .filter(|r| check.validate_str(&r.compact()).issues.is_empty())
        .collect();
    // The most complete first (the first of equals): the example, and the order's backbone,
    // which the others only add their missing fields to.
    valid.sort_by_key(|r| std::cmp::Reverse(r.leaves()));
    let mut order = FieldOrder::default();
    for record in &valid {
        order.learn("", record);
    }
    let best = valid.first().copied();
    let valid = best?.clone();
    // Both slips, or either one alone: whichever the validator finds most in (a rule that
    // needs sound structure stays silent when a field is missing).
    let mut both = valid.clone();
    let mut check_only = valid.clone();
    let mut missing_only = valid.clone();
    let tried = [
        wrong_check_character(&mut both) & leave_out_required(&mut both, required),
        wrong_check_character(&mut check_only),
        leave_out_required(&mut missing_only, required),
    ];
    let mut invalid: Option<(Ordered, Vec<Finding>)> = None;
    for (record, changed) in [both, check_only, missing_only].into_iter().zip(tried) {
        if !changed {
            continue;
        }
        let issues = check.validate_str(&record.compact()).issues;
        if issues.len() > invalid.as_ref().map_or(0, |(_, f)| f.len()) {
            invalid = Some((record, issues));
        }
    }
    Some(Examples {
        valid,
        invalid,
        order,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_values_keep_their_order_both_ways() {
        let text = r#"{"z":1,"a":{"y":[1,2.5,"x"],"b":null},"m":true}"#;
        let v: Ordered = serde_json::from_str(text).expect("parse");
        assert_eq!(v.compact(), text);
        assert_eq!(
            v.at("a.y").map(Ordered::compact).as_deref(),
            Some("[1,2.5,\"x\"]")
        );
        assert_eq!(v.leaves(), 6);
    }

    #[test]
    fn field_order_merges_what_each_record_has() {
        let mut order = FieldOrder::default();
        for text in [
            r#"{"a":1,"c":3}"#,
            r#"{"a":1,"b":2,"c":3}"#,
            r#"{"c":3,"d":[{"x":1}]}"#,
        ] {
            order.learn("", &serde_json::from_str(text).expect("parse"));
        }
        let ranks: Vec<usize> = ["a", "b", "c", "d"]
            .iter()
            .map(|k| order.rank("", k))
            .collect();
        assert_eq!(ranks, [0, 1, 2, 3]);
        assert_eq!(order.rank("d[]", "x"), 0);
        assert_eq!(order.rank("", "nowhere"), usize::MAX);
    }

    #[test]
    fn every_kind_the_generator_makes_has_a_valid_and_an_invalid_example() {
        let mut checked = 0;
        for version in Version::ALL {
            for &kind in dsti::schema::kinds(version) {
                let Some(kind) = kind.record() else { continue };
                if generated(version, kind).is_empty() {
                    continue;
                }
                checked += 1;
                let s = dsti::schema::generate(version, kind, dsti::schema::DEFAULT_BASE_URI);
                let required: Vec<String> = s["required"]
                    .as_array()
                    .map(|r| {
                        r.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                let ex = examples(version, kind, &required, Lang::Zh)
                    .unwrap_or_else(|| panic!("{version} {kind}: no example"));
                assert!(validator(Lang::En)
                    .validate_str(&ex.valid.compact())
                    .is_valid());
                let (record, findings) = ex.invalid.expect("an invalid example");
                assert_ne!(record, ex.valid);
                assert!(!findings.is_empty(), "{version} {kind}");
                assert!(
                    findings
                        .iter()
                        .any(|f| f.code.as_str().ends_with("checksum")
                            || f.code.as_str() == "schema.required"),
                    "{version} {kind}: {findings:?}"
                );
            }
        }
        // At least every kind of 1.0 and 2.0.
        assert!(checked >= 8, "{checked}");
    }
}
