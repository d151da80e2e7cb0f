//! Signing keys: Ed25519 (RFC 8032) and SM2 with SM3 (GB/T 32918, signer ID
//! `1234567812345678`), as JWK and as PEM (PKCS#8 private, SPKI public), interchangeable with
//! OpenSSL 3; and the JWKS a verifier reads.
//!
//! A private key never shows its value: `Debug` names the algorithm and `kid` only, and no
//! error carries key material.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use serde_json::{json, Map, Value};
use sm2::elliptic_curve::sec1::{FromEncodedPoint, ToEncodedPoint};

/// The SM2 signer identifier (`ENTL`/`ID` of GB/T 32918.2) every DSTI SM2 signature uses: the
/// standard's default, and OpenSSL's `distid:1234567812345678`.
pub const SM2_SIGNER_ID: &str = "1234567812345678";

/// A signature algorithm, by its JWS name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Alg {
    /// Ed25519 (RFC 8032), JWS `"EdDSA"`.
    EdDsa,
    /// SM2 with SM3 (GB/T 32918), JWS `"SM2SM3"`.
    Sm2Sm3,
}

impl Alg {
    /// Every algorithm.
    pub const ALL: &'static [Alg] = &[Alg::EdDsa, Alg::Sm2Sm3];

    /// The JWS `alg` name: `"EdDSA"` or `"SM2SM3"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Alg::EdDsa => "EdDSA",
            Alg::Sm2Sm3 => "SM2SM3",
        }
    }

    /// The JWS name back to the algorithm.
    pub fn from_jws(name: &str) -> Option<Alg> {
        Alg::ALL.iter().copied().find(|a| a.as_str() == name)
    }

    /// The command line's name: `ed25519` or `sm2`.
    pub const fn short_name(self) -> &'static str {
        match self {
            Alg::EdDsa => "ed25519",
            Alg::Sm2Sm3 => "sm2",
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a key could not be read, made or written. Never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM text is not a PKCS#8 Ed25519 or SM2 private key.
    #[error("not a PKCS#8 private key for Ed25519 or SM2")]
    PrivatePem,
    /// The PEM text is not an SPKI Ed25519 or SM2 public key.
    #[error("not an SPKI public key for Ed25519 or SM2")]
    PublicPem,
    /// A JWK that is not an Ed25519 (`OKP`) or SM2 (`EC`, `crv: "SM2"`) key, or whose members
    /// are missing or malformed; names the member.
    #[error("JWK: {0}")]
    Jwk(&'static str),
    /// A JWKS that is not `{"keys":[…]}`, or one of whose keys is not readable.
    #[error("JWKS: {0}")]
    Jwks(String),
    /// The operating system's random source failed.
    #[error("no random bytes from the operating system")]
    Random,
    /// Writing a PEM failed.
    #[error("cannot encode the key as PEM")]
    Encode,
}

#[derive(Clone)]
enum Secret {
    Ed25519(Box<ed25519_dalek::SigningKey>),
    Sm2(Box<sm2::dsa::SigningKey>),
}

#[derive(Clone)]
enum Public {
    Ed25519(ed25519_dalek::VerifyingKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

impl Public {
    /// The key's public bytes (Ed25519: 32; SM2: the uncompressed SEC1 point).
    fn bytes(&self) -> Vec<u8> {
        match self {
            Public::Ed25519(k) => k.as_bytes().to_vec(),
            Public::Sm2(k) => k.to_sec1_bytes().to_vec(),
        }
    }
}

impl PartialEq for Public {
    fn eq(&self, other: &Public) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Public {}

/// A private signing key with an optional key identifier (`kid`, a URI).
#[derive(Clone)]
pub struct PrivateKey {
    secret: Secret,
    kid: Option<String>,
}

/// A public key with an optional key identifier.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    public: Public,
    kid: Option<String>,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("alg", &self.alg())
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("alg", &self.alg())
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn sm2_signing(secret: &[u8]) -> Option<sm2::dsa::SigningKey> {
    sm2::dsa::SigningKey::from_slice(SM2_SIGNER_ID, secret).ok()
}

fn sm2_verifying(public: sm2::PublicKey) -> Option<sm2::dsa::VerifyingKey> {
    sm2::dsa::VerifyingKey::new(SM2_SIGNER_ID, public).ok()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A base64url member of a JWK, decoded to exactly `N` bytes.
fn member<const N: usize>(
    jwk: &Map<String, Value>,
    name: &'static str,
) -> Result<[u8; N], KeyError> {
    let text = jwk
        .get(name)
        .and_then(Value::as_str)
        .ok_or(KeyError::Jwk(name))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| KeyError::Jwk(name))?;
    bytes.try_into().map_err(|_| KeyError::Jwk(name))
}

fn kid_of(jwk: &Map<String, Value>) -> Result<Option<String>, KeyError> {
    match jwk.get("kid") {
        None => Ok(None),
        Some(Value::String(kid)) => Ok(Some(kid.clone())),
        Some(_) => Err(KeyError::Jwk("kid")),
    }
}

/// Which algorithm a JWK's `kty`/`crv` name (and its `alg`, when present, must agree).
fn jwk_alg(jwk: &Map<String, Value>) -> Result<Alg, KeyError> {
    let kty = jwk.get("kty").and_then(Value::as_str);
    let crv = jwk.get("crv").and_then(Value::as_str);
    let alg = match (kty, crv) {
        (Some("OKP"), Some("Ed25519")) => Alg::EdDsa,
        (Some("EC"), Some("SM2")) => Alg::Sm2Sm3,
        (Some("OKP" | "EC"), _) => return Err(KeyError::Jwk("crv")),
        _ => return Err(KeyError::Jwk("kty")),
    };
    match jwk.get("alg") {
        None => Ok(alg),
        Some(Value::String(a)) if a == alg.as_str() => Ok(alg),
        Some(_) => Err(KeyError::Jwk("alg")),
    }
}

fn sm2_public_from_xy(x: &[u8; 32], y: &[u8; 32]) -> Result<sm2::PublicKey, KeyError> {
    let point = sm2::EncodedPoint::from_affine_coordinates(x.into(), y.into(), false);
    Option::from(sm2::PublicKey::from_encoded_point(&point)).ok_or(KeyError::Jwk("x"))
}

impl PrivateKey {
    /// A new key of `alg` from the operating system's random source.
    pub fn generate(alg: Alg) -> Result<PrivateKey, KeyError> {
        loop {
            let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
            getrandom::fill(bytes.as_mut()).map_err(|_| KeyError::Random)?;
            let secret = match alg {
                Alg::EdDsa => {
                    Secret::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&bytes)))
                }
                // A scalar of zero or beyond the group order (probability ~2^-32): draw again.
                Alg::Sm2Sm3 => match sm2_signing(bytes.as_ref()) {
                    Some(key) => Secret::Sm2(Box::new(key)),
                    None => continue,
                },
            };
            return Ok(PrivateKey { secret, kid: None });
        }
    }

    /// An Ed25519 key from its 32-byte seed (RFC 8032's "secret key").
    pub fn ed25519_from_seed(seed: &[u8; 32]) -> PrivateKey {
        PrivateKey {
            secret: Secret::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(seed))),
            kid: None,
        }
    }

    /// An SM2 key from its 32-byte big-endian private scalar.
    pub fn sm2_from_scalar(scalar: &[u8; 32]) -> Result<PrivateKey, KeyError> {
        let key = sm2_signing(scalar).ok_or(KeyError::Jwk("d"))?;
        Ok(PrivateKey {
            secret: Secret::Sm2(Box::new(key)),
            kid: None,
        })
    }

    /// The same key with identifier `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> PrivateKey {
        self.kid = Some(kid.into());
        self
    }

    /// The key identifier, when the key carries one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The algorithm.
    pub fn alg(&self) -> Alg {
        match self.secret {
            Secret::Ed25519(_) => Alg::EdDsa,
            Secret::Sm2(_) => Alg::Sm2Sm3,
        }
    }

    /// The public half, with the same `kid`.
    pub fn public_key(&self) -> PublicKey {
        let public = match &self.secret {
            Secret::Ed25519(k) => Public::Ed25519(k.verifying_key()),
            Secret::Sm2(k) => Public::Sm2(Box::new(k.verifying_key().clone())),
        };
        PublicKey {
            public,
            kid: self.kid.clone(),
        }
    }

    /// The raw signature of `message`: 64 bytes (Ed25519: R‖S; SM2: r‖s, big-endian).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use ed25519_dalek::Signer as _;
        match &self.secret {
            Secret::Ed25519(k) => k.sign(message).to_bytes().to_vec(),
            Secret::Sm2(k) => {
                let sig: sm2::dsa::Signature = k.sign(message);
                sig.to_bytes().to_vec()
            }
        }
    }

    /// Read a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`), as `openssl genpkey`
    /// writes it. A PEM key carries no `kid`.
    pub fn from_pkcs8_pem(pem: &str) -> Result<PrivateKey, KeyError> {
        if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
            return Ok(PrivateKey {
                secret: Secret::Ed25519(Box::new(k)),
                kid: None,
            });
        }
        let secret = sm2::SecretKey::from_pkcs8_pem(pem).map_err(|_| KeyError::PrivatePem)?;
        let key = sm2_signing(&secret.to_bytes()).ok_or(KeyError::PrivatePem)?;
        Ok(PrivateKey {
            secret: Secret::Sm2(Box::new(key)),
            kid: None,
        })
    }

    /// The key as PKCS#8 PEM, which OpenSSL 3 reads.
    pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>, KeyError> {
        let le = ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF;
        match &self.secret {
            Secret::Ed25519(k) => k.to_pkcs8_pem(le).map_err(|_| KeyError::Encode),
            Secret::Sm2(k) => {
                let secret = sm2::SecretKey::from(k.as_nonzero_scalar());
                secret.to_pkcs8_pem(le).map_err(|_| KeyError::Encode)
            }
        }
    }

    /// Read a private JWK: `{"kty":"OKP","crv":"Ed25519","x","d"}` or
    /// `{"kty":"EC","crv":"SM2","x","y","d"}`, optionally with `kid` and `alg`. The public
    /// members must belong to `d`.
    pub fn from_jwk(jwk: &Value) -> Result<PrivateKey, KeyError> {
        let map = jwk.as_object().ok_or(KeyError::Jwk("not an object"))?;
        let public = PublicKey::from_jwk(jwk)?;
        let d = zeroize::Zeroizing::new(member::<32>(map, "d")?);
        let key = match jwk_alg(map)? {
            Alg::EdDsa => PrivateKey::ed25519_from_seed(&d),
            Alg::Sm2Sm3 => PrivateKey::sm2_from_scalar(&d)?,
        };
        if key.public_key().public != public.public {
            return Err(KeyError::Jwk("d (does not match x/y)"));
        }
        Ok(PrivateKey {
            kid: public.kid,
            ..key
        })
    }

    /// The key as a private JWK (with `d`): keep it secret.
    pub fn to_jwk(&self) -> zeroize::Zeroizing<String> {
        let mut jwk = self.public_key().jwk_map();
        let d = match &self.secret {
            Secret::Ed25519(k) => b64(k.as_bytes()),
            Secret::Sm2(k) => b64(&k.to_bytes()),
        };
        jwk.insert("d".into(), Value::String(d));
        zeroize::Zeroizing::new(Value::Object(jwk).to_string())
    }
}

impl PublicKey {
    /// The same key with identifier `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> PublicKey {
        self.kid = Some(kid.into());
        self
    }

    /// The key identifier, when the key carries one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The algorithm.
    pub fn alg(&self) -> Alg {
        match self.public {
            Public::Ed25519(_) => Alg::EdDsa,
            Public::Sm2(_) => Alg::Sm2Sm3,
        }
    }

    /// An Ed25519 public key from its 32 bytes.
    pub fn ed25519_from_bytes(bytes: &[u8; 32]) -> Result<PublicKey, KeyError> {
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::Jwk("x"))?;
        Ok(PublicKey {
            public: Public::Ed25519(key),
            kid: None,
        })
    }

    /// An SM2 public key from its affine coordinates (32 bytes each, big-endian).
    pub fn sm2_from_xy(x: &[u8; 32], y: &[u8; 32]) -> Result<PublicKey, KeyError> {
        let key = sm2_verifying(sm2_public_from_xy(x, y)?).ok_or(KeyError::Jwk("x"))?;
        Ok(PublicKey {
            public: Public::Sm2(Box::new(key)),
            kid: None,
        })
    }

    /// Whether `signature` (64 raw bytes) is this key's signature of `message`. Ed25519 is
    /// checked strictly (RFC 8032's canonical encodings, no small-order keys).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        use ed25519_dalek::Verifier as _;
        match &self.public {
            Public::Ed25519(k) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|sig| k.verify_strict(message, &sig).is_ok()),
            Public::Sm2(k) => sm2::dsa::Signature::from_slice(signature)
                .is_ok_and(|sig| k.verify(message, &sig).is_ok()),
        }
    }

    /// Read an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout`
    /// writes it.
    pub fn from_spki_pem(pem: &str) -> Result<PublicKey, KeyError> {
        if let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
            return Ok(PublicKey {
                public: Public::Ed25519(k),
                kid: None,
            });
        }
        let public = sm2::PublicKey::from_public_key_pem(pem).map_err(|_| KeyError::PublicPem)?;
        let key = sm2_verifying(public).ok_or(KeyError::PublicPem)?;
        Ok(PublicKey {
            public: Public::Sm2(Box::new(key)),
            kid: None,
        })
    }

    /// The key as SPKI PEM, which OpenSSL 3 reads.
    pub fn to_spki_pem(&self) -> Result<String, KeyError> {
        let le = ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF;
        match &self.public {
            Public::Ed25519(k) => k.to_public_key_pem(le).map_err(|_| KeyError::Encode),
            Public::Sm2(k) => sm2::PublicKey::from(k.as_ref())
                .to_public_key_pem(le)
                .map_err(|_| KeyError::Encode),
        }
    }

    /// Read a public JWK (a private one's `d` is ignored).
    pub fn from_jwk(jwk: &Value) -> Result<PublicKey, KeyError> {
        let map = jwk.as_object().ok_or(KeyError::Jwk("not an object"))?;
        let key = match jwk_alg(map)? {
            Alg::EdDsa => PublicKey::ed25519_from_bytes(&member::<32>(map, "x")?)?,
            Alg::Sm2Sm3 => {
                PublicKey::sm2_from_xy(&member::<32>(map, "x")?, &member::<32>(map, "y")?)?
            }
        };
        Ok(PublicKey {
            kid: kid_of(map)?,
            ..key
        })
    }

    fn jwk_map(&self) -> Map<String, Value> {
        let mut jwk = match &self.public {
            Public::Ed25519(k) => json!({"kty": "OKP", "crv": "Ed25519", "x": b64(k.as_bytes())}),
            Public::Sm2(k) => {
                let point = k.to_encoded_point(false);
                let x = point.x().map(|x| b64(x)).unwrap_or_default();
                let y = point.y().map(|y| b64(y)).unwrap_or_default();
                json!({"kty": "EC", "crv": "SM2", "x": x, "y": y})
            }
        };
        if let Some(map) = jwk.as_object_mut() {
            map.insert("alg".into(), Value::String(self.alg().as_str().into()));
            if let Some(kid) = &self.kid {
                map.insert("kid".into(), Value::String(kid.clone()));
            }
            std::mem::take(map)
        } else {
            Map::new()
        }
    }

    /// The key as a public JWK.
    pub fn to_jwk(&self) -> Value {
        Value::Object(self.jwk_map())
    }
}

/// A JSON Web Key Set of public keys (`{"keys":[…]}`), looked up by `kid`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jwks {
    keys: Vec<PublicKey>,
}

impl Jwks {
    /// An empty set.
    pub fn new() -> Jwks {
        Jwks::default()
    }

    /// Add a key (it should carry a `kid`, or no proof can name it).
    pub fn push(&mut self, key: PublicKey) {
        self.keys.push(key);
    }

    /// The keys, in order.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// The key named `kid`.
    pub fn get(&self, kid: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.kid() == Some(kid))
    }

    /// Read `{"keys":[…]}`; every key must be an Ed25519 or SM2 public JWK.
    pub fn from_json(text: &str) -> Result<Jwks, KeyError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| KeyError::Jwks(format!("not JSON ({e})")))?;
        let keys = value
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| KeyError::Jwks("no \"keys\" array".into()))?;
        let keys = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                PublicKey::from_jwk(k).map_err(|e| KeyError::Jwks(format!("key {i}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Jwks { keys })
    }

    /// The set as JSON text.
    pub fn to_json(&self) -> String {
        let keys: Vec<Value> = self.keys.iter().map(PublicKey::to_jwk).collect();
        json!({ "keys": keys }).to_string()
    }
}
