//! Keys, canonical JSON, signed records and status lists (`dsti::sign`): the published test
//! vectors (RFC 8032, GM/T 0003.5, RFC 8785, Bitstring Status List), round trips through JWK and
//! PEM, and tampering, by example and as a property over generated certificates.

use dsti::sign::jcs;
use dsti::sign::jws::{self, VerifyCode};
use dsti::sign::keys::{Alg, Jwks, PrivateKey, PublicKey};
use dsti::sign::status::{self, Bitstring, Purpose, StatusList, MIN_ENTRIES};
use dsti::synth::Generator;
use dsti::Kind;
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::root;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn arr32(s: &str) -> [u8; 32] {
    hex(s).try_into().expect("32 bytes")
}

/// RFC 8032 §7.1, TEST 1, 2 and 3: secret key, public key, message, signature.
const RFC8032: &[(&str, &str, &str, &str)] = &[
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
];

#[test]
fn ed25519_rfc8032_vectors() {
    for &(secret, public, message, signature) in RFC8032 {
        let key = PrivateKey::ed25519_from_seed(&arr32(secret));
        let expected = PublicKey::ed25519_from_bytes(&arr32(public)).expect("public key");
        assert_eq!(key.public_key(), expected);
        assert_eq!(key.sign(&hex(message)), hex(signature));
        assert!(expected.verify(&hex(message), &hex(signature)));
        let mut wrong = hex(signature);
        wrong[10] ^= 1;
        assert!(!expected.verify(&hex(message), &wrong));
        assert!(!expected.verify(b"another message", &hex(signature)));
    }
}

/// GM/T 0003.5-2012 (GB/T 32918.5-2017) Appendix A: the signature example on the recommended
/// curve, signer ID 1234567812345678, message "message digest".
#[test]
fn sm2_gmt_0003_5_example_verifies() {
    let d = arr32("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");
    let x = arr32("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020");
    let y = arr32("CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13");
    let rs = hex(concat!(
        "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3",
        "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
    ));
    let public = PublicKey::sm2_from_xy(&x, &y).expect("the example's public key");
    assert_eq!(
        PrivateKey::sm2_from_scalar(&d).expect("d").public_key(),
        public
    );
    assert!(public.verify(b"message digest", &rs));
    assert!(!public.verify(b"message digesT", &rs));
    let mut wrong = rs.clone();
    wrong[63] ^= 1;
    assert!(!public.verify(b"message digest", &wrong));
    // Our own signature over the same message verifies too (SM2 signatures are randomized).
    let key = PrivateKey::sm2_from_scalar(&d).expect("d");
    assert!(public.verify(b"message digest", &key.sign(b"message digest")));
}

#[test]
fn keys_round_trip_through_jwk_and_pem() {
    for &alg in Alg::ALL {
        let key = PrivateKey::generate(alg)
            .expect("random")
            .with_kid("https://keys.example.cn/1");
        let message = b"DSTI";
        let signature = key.sign(message);

        let jwk: Value = serde_json::from_str(&key.to_jwk()).expect("jwk");
        let back = PrivateKey::from_jwk(&jwk).expect("private jwk");
        assert_eq!(back.kid(), Some("https://keys.example.cn/1"));
        assert_eq!(back.public_key(), key.public_key());
        assert!(back.public_key().verify(message, &signature));

        let pem = key.to_pkcs8_pem().expect("pem");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        let back = PrivateKey::from_pkcs8_pem(&pem).expect("pkcs8");
        assert_eq!(back.alg(), alg);
        assert_eq!(back.kid(), None);
        assert!(key.public_key().verify(message, &back.sign(message)));

        let spki = key.public_key().to_spki_pem().expect("spki");
        let public = PublicKey::from_spki_pem(&spki).expect("spki back");
        assert!(public.verify(message, &signature));

        let mut jwks = Jwks::new();
        jwks.push(key.public_key());
        let jwks = Jwks::from_json(&jwks.to_json()).expect("jwks");
        assert!(jwks.get("https://keys.example.cn/1").is_some());
        assert!(
            !jwks.to_json().contains("\"d\""),
            "a JWKS holds no private part"
        );

        // No private part in Debug output or errors.
        let d = jwk["d"].as_str().expect("d").to_owned();
        assert!(!format!("{key:?}").contains(&d));
        assert!(!format!("{key:?}").contains("PRIVATE"));
        let mut mismatched = jwk.clone();
        mismatched["d"] = json!(PrivateKey::generate(alg)
            .ok()
            .and_then(|k| serde_json::from_str::<Value>(&k.to_jwk()).ok())
            .map(|j| j["d"].clone()));
        let err = PrivateKey::from_jwk(&mismatched).expect_err("d of another key");
        assert!(!err.to_string().contains(&d));
    }
    assert!(PrivateKey::from_pkcs8_pem(
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
    )
    .is_err());
    assert!(PublicKey::from_jwk(&json!({"kty": "RSA", "n": "AQAB"})).is_err());
    assert!(PublicKey::from_jwk(&json!({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"})).is_err());
}

/// Every RFC 8785 vector: our bytes equal those of the independent `rfc8785` implementation
/// (see tests/vectors/jcs/README.md).
#[test]
fn jcs_matches_the_committed_vectors() {
    let dir = root().join("tests/vectors/jcs");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/vectors/jcs") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let input: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let expected = std::fs::read(path.with_extension("jcs")).expect("the .jcs file");
        assert_eq!(
            String::from_utf8_lossy(&jcs::canonicalize(&input)),
            String::from_utf8_lossy(&expected),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 5, "{checked} vectors");
}

fn certificate(seed: u64) -> Value {
    serde_json::to_value(Generator::new(seed).record(Some(Kind::Certificate))).expect("value")
}

fn signed(key: &PrivateKey, seed: u64) -> Value {
    let mut record = certificate(seed);
    jws::sign_value(&mut record, key, "2026-05-01T09:00:00+08:00").expect("sign");
    record
}

fn key_set(keys: &[&PrivateKey]) -> Jwks {
    let mut jwks = Jwks::new();
    for k in keys {
        jwks.push(k.public_key());
    }
    jwks
}

fn code(record: &Value, jwks: &Jwks) -> Option<VerifyCode> {
    jws::verify_value(record, jwks)
        .err()
        .map(|issue| issue.code)
}

#[test]
fn tampering_gives_its_own_code() {
    for &alg in Alg::ALL {
        let key = PrivateKey::generate(alg)
            .expect("key")
            .with_kid("urn:dsti:key:a");
        let jwks = key_set(&[&key]);
        let record = signed(&key, 3);
        assert_eq!(code(&record, &jwks), None, "a signed record verifies");
        assert_eq!(record["proof"]["alg"], alg.as_str());
        assert!(record["proof"]["jws"].as_str().expect("jws").contains(".."));

        // A changed value, a changed extension field, an added member.
        let mut changed = record.clone();
        changed["holderName"] = json!("李四");
        assert_eq!(code(&changed, &jwks), Some(VerifyCode::SignatureInvalid));
        let mut extended = record.clone();
        extended["extensions"] = json!({"x-gd": {"note": "added later"}});
        assert_eq!(code(&extended, &jwks), Some(VerifyCode::SignatureInvalid));

        // Removed proof.
        let mut bare = record.clone();
        bare.as_object_mut().expect("object").remove("proof");
        assert_eq!(code(&bare, &jwks), Some(VerifyCode::SignatureMissing));

        // A key set without the signer's key; the signer's kid bound to another key.
        let other = PrivateKey::generate(alg)
            .expect("key")
            .with_kid("urn:dsti:key:b");
        assert_eq!(
            code(&record, &key_set(&[&other])),
            Some(VerifyCode::SignatureUnknownKey)
        );
        let impostor = PrivateKey::generate(alg)
            .expect("key")
            .with_kid("urn:dsti:key:a");
        assert_eq!(
            code(&record, &key_set(&[&impostor])),
            Some(VerifyCode::SignatureInvalid)
        );

        // The proof of another record, by the same key.
        let mut moved = certificate(4);
        moved["proof"] = signed(&key, 4)["proof"].clone();
        assert_eq!(code(&moved, &jwks), None, "its own proof verifies");
        moved["proof"] = record["proof"].clone();
        assert_eq!(code(&moved, &jwks), Some(VerifyCode::SignatureInvalid));

        // A proof whose alg or kid disagrees with its protected header.
        let mut relabeled = record.clone();
        relabeled["proof"]["kid"] = json!("urn:dsti:key:b");
        assert_eq!(code(&relabeled, &jwks), Some(VerifyCode::SignatureInvalid));

        // Member order and whitespace are not part of what is signed.
        let text = serde_json::to_string_pretty(&record).expect("text");
        let reparsed: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(code(&reparsed, &jwks), None);
    }
}

#[test]
fn malformed_proofs_are_invalid_not_panics() {
    let key = PrivateKey::generate(Alg::EdDsa)
        .expect("key")
        .with_kid("urn:dsti:k");
    let jwks = key_set(&[&key]);
    let record = signed(&key, 9);
    for bad in [
        json!("a string"),
        json!({}),
        json!({"type": "DetachedJws", "alg": "EdDSA", "kid": "urn:dsti:k", "jws": "a.b.c"}),
        json!({"type": "DetachedJws", "alg": "EdDSA", "kid": "urn:dsti:k", "jws": "..."}),
        json!({"type": "DetachedJws", "alg": "EdDSA", "kid": "urn:dsti:k", "jws": "!!..AA"}),
        json!({"type": "JsonWebSignature2020", "jws": record["proof"]["jws"]}),
    ] {
        let mut r = record.clone();
        r["proof"] = bad;
        assert_eq!(
            code(&r, &jwks),
            Some(VerifyCode::SignatureInvalid),
            "{}",
            r["proof"]
        );
    }
    // A header without b64:false, signed correctly, is still refused (RFC 7797 requires crit).
    let header = base64url(br#"{"alg":"EdDSA","kid":"urn:dsti:k"}"#);
    let payload = jcs::canonicalize_without(&record, "proof");
    let mut input = format!("{header}.").into_bytes();
    input.extend_from_slice(&payload);
    let mut r = record.clone();
    r["proof"]["jws"] = json!(format!("{header}..{}", base64url(&key.sign(&input))));
    assert_eq!(code(&r, &jwks), Some(VerifyCode::SignatureInvalid));
}

fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            out.push(char::from(A[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// One changed byte anywhere in the text of a signed certificate: if the text still reads as
    /// a different record, verification fails (with one of the three signature codes).
    #[test]
    fn one_changed_byte_never_verifies(seed in 0u64..10_000, at in any::<prop::sample::Index>(), to in 0x20u8..0x7f) {
        let key = PrivateKey::ed25519_from_seed(&[7; 32]).with_kid("urn:dsti:key:p");
        let jwks = key_set(&[&key]);
        let record = signed(&key, seed);
        let mut text = serde_json::to_vec(&record).expect("text");
        let i = at.index(text.len());
        prop_assume!(text[i] != to && text[i].is_ascii());
        text[i] = to;
        if let Ok(tampered) = serde_json::from_slice::<Value>(&text) {
            if tampered != record {
                let found = code(&tampered, &jwks);
                prop_assert!(found.is_some(), "a changed record verified: byte {}", i);
            }
        }
    }

    /// Signed generated certificates verify, with either algorithm.
    #[test]
    fn generated_certificates_verify(seed in 0u64..10_000, sm2 in any::<bool>()) {
        let key = if sm2 {
            PrivateKey::sm2_from_scalar(&[9; 32]).expect("scalar")
        } else {
            PrivateKey::ed25519_from_seed(&[9; 32])
        }.with_kid("urn:dsti:key:q");
        let record = signed(&key, seed);
        prop_assert_eq!(code(&record, &key_set(&[&key])), None);
    }
}

/// The example `encodedList` of the W3C Bitstring Status List v1.0 specification
/// (https://www.w3.org/TR/vc-bitstring-status-list/, the BitstringStatusListCredential
/// examples): a revocation list of 131,072 entries, none set.
const SPEC_EXAMPLE: &str = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

#[test]
fn status_list_spec_example_decodes() {
    let bits = Bitstring::decode(SPEC_EXAMPLE).expect("the specification's list");
    assert_eq!(bits.len(), MIN_ENTRIES);
    assert!(bits.as_bytes().iter().all(|&b| b == 0));
    assert_eq!(bits.get(94_567), Some(false));
    assert_eq!(bits.get(MIN_ENTRIES as u64), None);
    // Our encoding of the same list decodes to the same list.
    assert_eq!(
        Bitstring::decode(&Bitstring::new(0).encode()).expect("ours"),
        bits
    );
}

#[test]
fn status_list_bits_and_credentials() {
    let mut bits = Bitstring::new(10);
    assert_eq!(bits.len(), MIN_ENTRIES, "at least the minimum");
    for i in [0u64, 7, 8, 94_567, 131_071] {
        assert!(bits.set(i, true));
    }
    assert!(!bits.set(131_072, true));
    // Index 0 is the left-most bit of the first byte.
    assert_eq!(bits.as_bytes()[0], 0b1000_0001);
    assert_eq!(bits.as_bytes()[1], 0b1000_0000);
    assert_eq!(bits.as_bytes()[16_383], 0b0000_0001);
    let list = StatusList {
        url: "https://certs.example.cn/status/1".into(),
        purpose: Purpose::Revocation,
        bits,
    };
    let credential = list.to_credential("https://certs.example.cn", "2026-05-01T00:00:00Z");
    assert_eq!(
        StatusList::from_credential(&credential).expect("credential"),
        list
    );
    assert_eq!(Bitstring::new(200_001).len(), 200_008);

    let mut certificate = certificate(1);
    certificate["credentialStatus"] = json!({"statusListCredential": list.url, "statusListIndex": "94567", "statusPurpose": "revocation"});
    assert_eq!(
        status::check(&certificate, std::slice::from_ref(&list)),
        Some(VerifyCode::StatusRevoked)
    );
    certificate["credentialStatus"]["statusListIndex"] = json!("94566");
    assert_eq!(
        status::check(&certificate, std::slice::from_ref(&list)),
        None
    );
    certificate["credentialStatus"]["statusListIndex"] = json!("8");
    assert_eq!(
        status::check(&certificate, std::slice::from_ref(&list)),
        Some(VerifyCode::StatusRevoked)
    );
    // Not of 2.1's shape (a JSON number, a leading zero): no entry, nothing to say.
    for bad in [json!(8), json!("08"), json!("-8")] {
        let mut c = certificate.clone();
        c["credentialStatus"]["statusListIndex"] = bad;
        assert_eq!(status::check(&c, std::slice::from_ref(&list)), None);
    }
    // The same index in a suspension list of another URL says nothing about this one.
    certificate["credentialStatus"]["statusPurpose"] = json!("suspension");
    assert_eq!(
        status::check(&certificate, std::slice::from_ref(&list)),
        None
    );
    let suspension = StatusList {
        purpose: Purpose::Suspension,
        ..list.clone()
    };
    assert_eq!(
        status::check(&certificate, &[list, suspension]),
        Some(VerifyCode::StatusSuspended)
    );

    for bad in [
        "",
        "H4sI",
        "u!!",
        "uAAAA",
        &format!("u{}", &SPEC_EXAMPLE[1..20]),
    ] {
        assert!(Bitstring::decode(bad).is_err(), "{bad}");
    }
}
