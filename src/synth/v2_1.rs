//! Synthetic 2.1 records: the 2.0 generator's records, relabelled, with what 2.1 adds: a
//! course's `programmeKind` (from its programme), a certificate's `credentialStatus` (one
//! entry per certificate, in the list its status calls for).
//!
//! The 2.0 records come from a [`Generator`](super::Generator) for the same seed, and the
//! 2.1 additions from a random stream of their own, so `dsti generate --version 2.0` gives
//! for a seed exactly what it gave before 2.1 existed.

use std::io::{self, Write};

use super::rng::Rng;
use super::Generator;
use crate::ident::HttpsUrl;
use crate::v2::CertificateStatus;
use crate::v2_1::{CredentialStatus, ProgrammeKind, Record, StatusListIndex, StatusPurpose};
use crate::Kind;

/// The random stream of the 2.1 additions is the seed's, offset by this.
const STREAM: u64 = 0x0002_0001_d571_0021;

/// Makes valid 2.1 records, the same for the same seed.
#[derive(Debug)]
pub struct Generator21 {
    base: Generator,
    rng: Rng,
    /// The next free index of each status list (revocation, suspension).
    next_index: [u64; 2],
}

impl Generator21 {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Generator21 {
            base: Generator::new(seed),
            rng: Rng::new(seed ^ STREAM),
            next_index: [0, 0],
        }
    }

    /// A record of `kind`, or of a realistic mix when `None` (the 2.0 mix).
    pub fn record(&mut self, kind: Option<Kind>) -> Record {
        let mut record = Record::from_v2(self.base.record(kind));
        match &mut record {
            Record::Course(c) => {
                c.programme_kind = c
                    .base
                    .programme
                    .as_ref()
                    .map(|p| programme_kind(p.as_str()));
            }
            // Four in five certificates are published in a status list.
            Record::Certificate(c) if self.rng.below(5) != 0 => {
                let (purpose, list) = match c.base.status {
                    CertificateStatus::Suspended => (StatusPurpose::Suspension, 1),
                    _ => (StatusPurpose::Revocation, 0),
                };
                let index = self.next_index[list];
                self.next_index[list] += 1 + self.rng.below(3);
                let url = format!(
                    "https://status.dsti.example/lists/{}/{}",
                    purpose,
                    index / 131_072
                );
                if let Ok(url) = HttpsUrl::new(url) {
                    c.credential_status = Some(CredentialStatus::new(
                        url,
                        StatusListIndex::from_u64(index % 131_072),
                        purpose,
                    ));
                }
            }
            _ => {}
        }
        record
    }
}

/// The kind of a programme the generator names.
fn programme_kind(name: &str) -> ProgrammeKind {
    if name.contains("巾帼") {
        ProgrammeKind::WomensFederation
    } else if name.contains("行动") {
        ProgrammeKind::NationalAction
    } else {
        ProgrammeKind::Other
    }
}

/// Writes `count` 2.1 records of `kind` (a realistic mix when `None`) for `seed`, as NDJSON;
/// buffered and streaming like [`write_ndjson`](super::write_ndjson).
///
/// # Errors
///
/// Any error of `out`.
pub fn write_ndjson<W: Write>(out: W, kind: Option<Kind>, count: u64, seed: u64) -> io::Result<()> {
    let mut generator = Generator21::new(seed);
    super::write_lines(out, count, || generator.record(kind))
}
