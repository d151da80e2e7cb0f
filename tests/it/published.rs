//! Oracles outside this crate: published example numbers, and the check characters of
//! generated records recomputed here from the standards' own definitions (not with the
//! crate's functions), so that the generator and the validator are not only checked against
//! each other.

use dsti::validate::{Options, Validator};
use serde_json::{json, Value};

const NOW: &str = "2026-11-28T12:00:00+08:00";

fn validator() -> Validator {
    Validator::new(Options::default().now(chrono::DateTime::parse_from_rfc3339(NOW).expect("now")))
}

/// The codes the validator gives a person holding `document`.
fn person_codes(document: Value) -> Vec<String> {
    let person = json!({
        "kind": "person", "schemaVersion": "2.0", "id": "00000000-0000-4000-8000-000000000077",
        "name": "JOHN SMITH", "document": document
    });
    validator()
        .validate_value(&person)
        .issues
        .iter()
        .map(|f| f.code.as_str().to_owned())
        .collect()
}

/// The 2017 foreign permanent residence ID (3 letters + 12 digits). No official specimen or
/// algorithm is published: the National Immigration Administration's 2023 machine-readable
/// rules give only the layout of the old number ("3 Latin letters + 12 digits") and MOD 11-2
/// for the new one. The one independent implementation found, howardli/CredentialKit
/// (`ForeignerPermanentResidenceIdNumberProcessorTest.java`), uses the ICAO 9303 7-3-1 check
/// digit over the first 14 characters, as the standard does; its test numbers agree with ours.
#[test]
fn foreign_permanent_residence_numbers_of_an_independent_implementation() {
    let doc = |number: &str| json!({"type": "foreign-permanent-residence-id", "number": number});
    assert_eq!(person_codes(doc("KAZ110090123105")), Vec::<String>::new());
    assert_eq!(person_codes(doc("KAZ110090123107")), ["id-number.checksum"]);
    // Its 2023 (18-character, MOD 11-2) number of the same person.
    assert_eq!(
        person_codes(doc("911398199012310021")),
        Vec::<String>::new()
    );
}

/// GB 11643's MOD 11-2, written here from the standard: weights 2^(17-i) mod 11.
fn mod11_2(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * ((1u32 << (17 - i)) % 11))
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// GB 32100's check character, written here from the standard: charset without I, O, S, V,
/// Z; weights 3^i mod 31; check = 31 - sum mod 31, 31 → 0.
fn gb32100(first17: &[u8]) -> u8 {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut weight = 1u32;
    let mut sum = 0u32;
    for &b in first17 {
        let value = CHARS.iter().position(|&c| c == b).expect("charset") as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    CHARS[((31 - sum % 31) % 31) as usize]
}

/// Every value under a key named `key` in `v`.
fn all<'a>(v: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == key {
                    out.push(x);
                }
                all(x, key, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| all(x, key, out)),
        _ => {}
    }
}

/// Generated records carry check characters that the standards' definitions, computed here,
/// agree with, and birth dates that are real calendar dates.
#[test]
fn generated_check_characters_agree_with_the_standards() {
    let mut bytes = Vec::new();
    dsti::synth::write_ndjson(&mut bytes, None, 2000, 7).expect("generate");
    let (mut ids, mut usccs) = (0, 0);
    for line in String::from_utf8(bytes).expect("utf-8").lines() {
        let record: Value = serde_json::from_str(line).expect("json");
        let mut documents = Vec::new();
        all(&record, "document", &mut documents);
        for d in documents {
            let number = d["number"].as_str().expect("number").as_bytes();
            if d["type"] == "resident-id-card" || (number.len() == 18 && number[0] == b'9') {
                assert_eq!(mod11_2(&number[..17]), number[17], "{d}");
                let date = std::str::from_utf8(&number[6..14]).expect("ascii");
                assert!(
                    chrono::NaiveDate::parse_from_str(date, "%Y%m%d").is_ok(),
                    "{d}"
                );
                ids += 1;
            }
        }
        let mut codes = Vec::new();
        all(&record, "uscc", &mut codes);
        for c in codes {
            let code = c.as_str().expect("uscc").as_bytes();
            assert_eq!(gb32100(&code[..17]), code[17], "{c}");
            usccs += 1;
        }
    }
    assert!(
        ids > 500 && usccs > 1000,
        "{ids} ID numbers, {usccs} credit codes checked"
    );
}
