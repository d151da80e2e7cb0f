//! Keyed digests of identity documents.
//!
//! A plain hash of an ID number can be reversed by trying all ~10^11 valid numbers, so the
//! standard links records with a keyed HMAC instead: `documentDigest = "hmac-sm3:<hex>"` (or
//! `hmac-sha256`), computed over the normalized `type:number` with a key held by whoever runs
//! the exchange. Two records of the same person get the same digest under the same key, and
//! nobody without the key learns the number.

use hmac::{Hmac, KeyInit, Mac};

use crate::ident::IdDocument;
use crate::v2::DocumentDigest;

/// The HMAC's hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// HMAC-SM3 (GM/T 0004-2012), the default of the standard.
    #[default]
    HmacSm3,
    /// HMAC-SHA-256.
    HmacSha256,
}

/// The secret key of an exchange. Its `Debug` never shows it; its bytes are wiped from memory
/// when it is dropped.
#[derive(Clone)]
pub struct DigestKey(zeroize::Zeroizing<Vec<u8>>);

impl DigestKey {
    /// A key from its bytes (a `Vec` is taken as it is, not copied).
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        DigestKey(zeroize::Zeroizing::new(bytes.into()))
    }
}

impl std::fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DigestKey(<redacted>)")
    }
}

/// HMAC over one hash function. HMAC takes keys of any length, so making one cannot fail.
macro_rules! hmac_bytes {
    ($hash:ty, $key:expr, $message:expr) => {{
        let mut mac = <Hmac<$hash> as KeyInit>::new_from_slice($key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
        mac.update($message);
        mac.finalize().into_bytes().to_vec()
    }};
}

impl IdDocument {
    /// The keyed digest of this document, for a [`PersonRef`](crate::v2::PersonRef) that
    /// links records without carrying the number.
    ///
    /// ```
    /// use dsti::ident::{DocumentType, IdDocument};
    /// use dsti::privacy::{DigestAlgorithm, DigestKey};
    /// let doc = IdDocument::new(DocumentType::ResidentIdCard, "11010519491231002X".parse()?, None)?;
    /// let digest = doc.digest(&DigestKey::new(*b"key"), DigestAlgorithm::HmacSm3);
    /// assert_eq!(
    ///     digest.as_str(),
    ///     "hmac-sm3:f7f14efeb4f8f80eb4f38825501972a0b11d6dbb2d33be3bd8d17c64fb06e124"
    /// );
    /// # Ok::<(), dsti::ident::IdentError>(())
    /// ```
    pub fn digest(&self, key: &DigestKey, algorithm: DigestAlgorithm) -> DocumentDigest {
        let message = self.normalized();
        let (prefix, bytes) = match algorithm {
            DigestAlgorithm::HmacSm3 => (
                "hmac-sm3",
                hmac_bytes!(sm3::Sm3, &key.0, message.as_bytes()),
            ),
            DigestAlgorithm::HmacSha256 => (
                "hmac-sha256",
                hmac_bytes!(sha2::Sha256, &key.0, message.as_bytes()),
            ),
        };
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        DocumentDigest::new(format!("{prefix}:{hex}"))
            .unwrap_or_else(|_| unreachable!("a 32-byte digest is 64 hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::DocumentType;

    fn doc() -> IdDocument {
        IdDocument::new(
            DocumentType::ResidentIdCard,
            "11010519491231002X".parse().expect("number"),
            None,
        )
        .expect("valid")
    }

    /// Reference values computed with Python's hmac over OpenSSL's SM3 and SHA-256.
    #[test]
    fn digests_match_reference_values() {
        let key = DigestKey::new(*b"key");
        assert_eq!(
            doc().digest(&key, DigestAlgorithm::HmacSha256).as_str(),
            "hmac-sha256:8d8610756b2f91c3afe4e26799dd95c8386e105e5eaa7443f2af05a694ed7a53"
        );
        assert_eq!(
            doc().digest(&key, DigestAlgorithm::HmacSm3).as_str(),
            "hmac-sm3:f7f14efeb4f8f80eb4f38825501972a0b11d6dbb2d33be3bd8d17c64fb06e124"
        );
    }

    #[test]
    fn the_key_is_never_shown() {
        assert_eq!(
            format!("{:?}", DigestKey::new(*b"secret")),
            "DigestKey(<redacted>)"
        );
    }
}
