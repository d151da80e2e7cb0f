//! Certificates: skill-level, special-ability and training-completion certificates.

use super::*;

impl Generator {
    /// A certificate: mostly skill-level certificates with a level the occupation has, often
    /// resting on a completion generated before; some special-ability and
    /// training-completion certificates.
    pub fn certificate(&mut self) -> Certificate {
        let basis = match self.completions.pick(&mut self.rng) {
            Some(c) if self.rng.percent(65) => Some(c.clone()),
            _ => None,
        };
        let certificate_type = self.rng.weighted(&[
            (CertificateType::SkillLevel, 65),
            (CertificateType::SpecialAbility, 12),
            (CertificateType::TrainingCompletion, 23),
        ]);
        let (holder, holder_name, track, issued_day, evidence, provider) = match basis {
            Some(b) => {
                let day = (b.day + self.rng.between(7, 60)).min(LAST_DAY);
                let evidence = self.rng.percent(70).then(|| vec![b.id]);
                (b.learner, b.name, b.track, day, evidence, Some(b.provider))
            }
            None => {
                let (holder, name) = self.learner();
                let track = self.rng.weighted(&self.tables.track_weights);
                let day = self.rng.between(0, LAST_DAY);
                (holder, name, track, day, None, None)
            }
        };
        let issued = naive_day(issued_day);
        let yy = u64::from(issued.year().unsigned_abs() % 100);
        let built_track = &self.tables.tracks[track];
        let mut occupation = built_track.occupation.clone();
        if self.rng.percent(20) {
            occupation.job_type = None;
        }
        if self.rng.percent(50) {
            occupation.name = None;
        }
        let levels = built_track.levels;

        let (issuer, number, level) = match certificate_type {
            CertificateType::SkillLevel => {
                let issuer = match provider {
                    Some(p) if self.rng.percent(60) => p,
                    _ => self.rng.index(self.tables.providers.len()),
                };
                let level = self.level(levels);
                let org = &self.tables.providers[issuer];
                let mut n = String::with_capacity(22);
                n.push(org.letter);
                push_number(&mut n, org.institution, 4);
                n.push_str(&COUNTIES[org.county].0[..2]);
                push_number(&mut n, org.site, 6);
                push_number(&mut n, yy, 2);
                push_number(&mut n, u64::from(level.grade_digit()), 1);
                self.rng.push_digits(&mut n, 6);
                (org.org.clone(), n, Some(level))
            }
            CertificateType::SpecialAbility => {
                let county = self.rng.index(COUNTIES.len());
                let mut n = String::with_capacity(17);
                n.push_str("ZX");
                push_number(&mut n, u64::from(issued.year().unsigned_abs()), 4);
                n.push_str(COUNTIES[county].0);
                self.rng.push_digits(&mut n, 5);
                (self.tables.centres[county].org.clone(), n, None)
            }
            _ => {
                let issuer = match provider {
                    Some(p) => p,
                    None => self.rng.index(self.tables.providers.len()),
                };
                let org = &self.tables.providers[issuer];
                let mut n = String::with_capacity(15);
                n.push_str("PX");
                push_number(&mut n, yy, 2);
                push_number(&mut n, org.institution, 4);
                n.push('-');
                self.rng.push_digits(&mut n, 6);
                (org.org.clone(), n, None)
            }
        };

        let status = self.rng.weighted(&[
            (CertificateStatus::Valid, 94),
            (CertificateStatus::Suspended, 2),
            (CertificateStatus::Revoked, 4),
        ]);
        let mut c = Certificate::new(
            self.record_id(),
            certificate_type,
            built(number.parse::<CertificateNumber>()),
            holder,
            holder_name,
            occupation,
            issuer,
            date(issued_day),
            status,
        );
        c.level = level;
        c.status_reason = match status {
            CertificateStatus::Suspended => Some(self.rng.pick(&self.tables.suspensions).clone()),
            CertificateStatus::Revoked => Some(self.rng.pick(&self.tables.revocations).clone()),
            CertificateStatus::Valid => None,
        };
        let (expiry_chance, years) = match certificate_type {
            CertificateType::TrainingCompletion => (50, 2),
            CertificateType::SpecialAbility => (30, 3),
            _ => (25, self.rng.between(3, 5)),
        };
        if self.rng.percent(expiry_chance) {
            // The day before the anniversary.
            c.valid_until = Some(date(issued_day + years * 365 + years / 4 - 1));
        }
        c.evidence = evidence;
        let url_chance = if certificate_type == CertificateType::SkillLevel {
            40
        } else {
            20
        };
        if self.rng.percent(url_chance) {
            let url = format!(
                "https://verify.example.org/certificates/{}",
                c.number.as_str()
            );
            c.verification_url = Some(built(HttpsUrl::new(url)));
        }
        c
    }
}
