//! JWS and JWK parsing, and signing, on arbitrary input: detached JWS, JWK, JWKS, PEM keys,
//! status lists and proofs never panic; canonical JSON is idempotent; a record signed with a
//! fixed key always verifies, and its private key never shows in `Debug` or errors.
#![no_main]

use dsti::sign::jcs;
use dsti::sign::jws::{self, ParsedJws};
use dsti::sign::keys::{Jwks, PrivateKey, PublicKey};
use dsti::sign::status::{self, Bitstring, StatusList};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = ParsedJws::parse(text);
    let _ = Jwks::from_json(text);
    let _ = PrivateKey::from_pkcs8_pem(text);
    let _ = PublicKey::from_spki_pem(text);
    if text.len() < 4096 {
        let _ = Bitstring::decode(text);
    }
    let Ok(mut value) = serde_json::from_str::<Value>(text) else {
        return;
    };
    // Canonical JSON parses back, and canonicalizing again changes nothing.
    let canonical = jcs::canonicalize(&value);
    let back: Value = serde_json::from_slice(&canonical).expect("JCS output is JSON");
    assert_eq!(jcs::canonicalize(&back), canonical, "JCS is idempotent");

    let _ = PublicKey::from_jwk(&value);
    match PrivateKey::from_jwk(&value) {
        Ok(key) => {
            let jwk: Value = serde_json::from_str(&key.to_jwk()).expect("jwk");
            let again = PrivateKey::from_jwk(&jwk).expect("our own JWK reads back");
            assert_eq!(again.public_key(), key.public_key());
            if let Some(d) = jwk.get("d").and_then(Value::as_str) {
                assert!(
                    !format!("{key:?}").contains(d),
                    "Debug shows the private key"
                );
            }
        }
        Err(e) => {
            if let Some(d) = value.get("d").and_then(Value::as_str) {
                assert!(
                    d.len() < 8 || !e.to_string().contains(d),
                    "an error shows the private key"
                );
            }
        }
    }
    let _ = StatusList::from_credential(&value);

    // Whatever the record, checking it never panics; signed by a known key, it verifies.
    let key = PrivateKey::ed25519_from_seed(&[42; 32]).with_kid("urn:dsti:fuzz");
    let mut keys = Jwks::new();
    keys.push(key.public_key());
    let _ = dsti::sign::verify::check_record(&value, &keys, &[], false);
    let _ = status::check(&value, &[]);
    if value.is_object() {
        jws::sign_value(&mut value, &key, "2026-05-01T09:00:00+08:00").expect("an object signs");
        assert!(
            jws::verify_value(&value, &keys).is_ok(),
            "a signed record verifies"
        );
    }
});
