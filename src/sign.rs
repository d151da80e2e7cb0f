//! Signed records and certificate status: keys, canonical JSON, detached JWS proofs and W3C
//! Bitstring Status Lists.
//!
//! - [`jcs`]: RFC 8785 canonical JSON, the bytes a record signs as (always available).
//! - [`keys`] (feature `sign`): Ed25519 and SM2/SM3 keys as JWK and PEM, and the [`keys::Jwks`]
//!   a verifier reads.
//! - [`jws`] (feature `sign`): `proof` objects — a compact JWS with unencoded, detached payload
//!   (RFC 7797) over the JCS bytes of the record without its `proof` — made and checked on
//!   JSON values, so extension fields are signed too.
//! - [`status`] (feature `sign`): Bitstring Status List credentials (build, decode, look up a
//!   certificate's bit).
//! - [`verify`] (feature `sign`): signature and status of one record together, as `dsti
//!   verify` reports them.
//!
//! The README walks through `dsti keys generate` → `dsti sign` → `dsti verify`.

pub mod jcs;
#[cfg(feature = "sign")]
pub mod jws;
#[cfg(feature = "sign")]
pub mod keys;
#[cfg(feature = "sign")]
pub mod status;
#[cfg(feature = "sign")]
pub mod verify;
