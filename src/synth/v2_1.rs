//! Synthetic 2.1 records: the 2.0 generator's records, relabelled, with what 2.1 adds: a
//! course's `programmeKind` (from its programme), a certificate's `credentialStatus` (one
//! entry per certificate, in the list its status calls for), and competition entries.
//!
//! In the mix, a certificate with a level is followed now and then (one time in three) by the
//! competition entry that led to it: same person, occupation and organizer, held before the
//! certificate was issued, granting its level and naming it in `certificate`. Asked for
//! competitions only, the generator makes the certificate behind each entry but does not
//! write it, and the entry does not name it.
//!
//! The 2.0 records come from a [`Generator`] for the same seed, and the
//! 2.1 additions from a random stream of their own, so `dsti generate --version 2.0` gives
//! for a seed exactly what it gave before 2.1 existed.

use std::io::{self, Write};

use chrono::Duration;

use super::rng::Rng;
use super::Generator;
use crate::ident::{Date, Decimal, HttpsUrl, LocalizedText, RecordId};
use crate::v2::{self, CertificateStatus};
use crate::v2_1::{
    Award, Competition, CompetitionLevel, CredentialStatus, Event, ProgrammeKind, Rank, Record,
    StatusListIndex, StatusPurpose,
};
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
    /// The last certificate with a level, until a competition entry cites it.
    cited: Option<v2::Certificate>,
}

impl Generator21 {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Generator21 {
            base: Generator::new(seed),
            rng: Rng::new(seed ^ STREAM),
            next_index: [0, 0],
            cited: None,
        }
    }

    /// A record of `kind`, or of a realistic mix when `None` (the 2.0 mix, and now and then
    /// the competition entry behind a certificate just made).
    pub fn record(&mut self, kind: Option<Kind>) -> Record {
        if kind == Some(Kind::Competition) {
            loop {
                let certificate = self.base.certificate();
                if let Some(entry) = self.competition(&certificate, false) {
                    return Record::Competition(entry);
                }
            }
        }
        if kind.is_none() && self.rng.below(3) == 0 {
            if let Some(certificate) = self.cited.take() {
                if let Some(entry) = self.competition(&certificate, true) {
                    return Record::Competition(entry);
                }
            }
        }
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
        if let Record::Certificate(c) = &record {
            if kind.is_none() && c.base.level.is_some() {
                self.cited = Some(c.base.clone());
            }
        }
        record
    }

    /// The competition entry behind `certificate` (naming it when `cite`); `None` when the
    /// certificate has no level to grant.
    fn competition(&mut self, certificate: &v2::Certificate, cite: bool) -> Option<Competition> {
        let level = certificate.level?;
        let until = certificate.issued_on.naive() - Duration::days(self.rng.between(10, 90));
        let from = until - Duration::days(self.rng.between(0, 2));
        let year = chrono::Datelike::year(&until);
        let known = certificate.occupation.code.lookup().map(|o| o.name_zh);
        let trade = certificate
            .occupation
            .job_type
            .as_ref()
            .map(|t| t.as_str())
            .or(known)
            .unwrap_or("家政服务");
        let name = LocalizedText::new(format!("{year}年家政服务职业技能竞赛（{trade}赛项）"))
            .ok()?
            .with(
                "en".parse().ok()?,
                format!("{year} domestic service skills competition"),
            )
            .ok()?;
        let levels = [
            CompetitionLevel::Provincial,
            CompetitionLevel::Municipal,
            CompetitionLevel::Municipal,
            CompetitionLevel::Industry,
            CompetitionLevel::National,
            CompetitionLevel::Enterprise,
        ];
        let event = Event::new(
            name,
            *self.rng.pick(&levels),
            certificate.issuer.clone(),
            certificate.occupation.clone(),
            Date::try_from(from).ok()?,
            Date::try_from(until).ok()?,
        );
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        let id = RecordId::from_uuid(uuid::Builder::from_random_bytes(bytes).into_uuid());
        let mut entry = Competition::new(id, event, certificate.holder.clone());
        let rank = u32::try_from(self.rng.between(1, 30)).ok()?;
        entry.rank = Rank::new(rank);
        entry.award = Some(match rank {
            1 => Award::Gold,
            2..=3 => Award::Silver,
            4..=6 => Award::Bronze,
            7..=15 => Award::Excellence,
            _ => Award::Participation,
        });
        entry.score = Decimal::new(f64::from(200 - rank) / 2.0).ok();
        entry.grants_level = Some(level);
        if cite {
            entry.certificate = Some(certificate.id.clone());
        }
        Some(entry)
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
