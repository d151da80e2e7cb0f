//! The 2.0 record generator: its state ([`Generator`]), what it remembers of earlier records,
//! the time frame (2023–2025, +08:00) and the organizations it draws from. The records
//! themselves are built one kind a file: [`person`], [`course`], [`completion`],
//! [`certificate`].

mod certificate;
mod completion;
mod course;
mod person;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime, TimeDelta};

use crate::ident::{
    BirthDate, CertificateNumber, CountryCode, Date, DocumentNumber, DocumentType, Gender,
    IdDocument, IdentError, LanguageTag, Level, LocalizedText, OccupationCode, PersonName,
    PhoneNumber, RecordId, RegionCode, Timestamp, Uscc,
};
use crate::v2::{
    Assessment, AssessmentMethod, Certificate, CertificateStatus, CertificateType, Completion,
    CompletionStatus, Count, Course, CourseRef, Decimal, DeliveryMode, FaceChecks, HttpsUrl,
    Module, ModuleTopic, NonEmpty, Occupation, OnlineLearning, Organization, Person, PersonRef,
    Record, ServiceCategory, Text, TrainingType, Verification, VerificationMethod,
    VerificationResult,
};
use crate::Kind;

use super::rng::Rng;
use super::tables::*;
use crate::ident::check::{
    gb11714_check_char, gb32100_check_char, mod11_2_check_char, USCC_CHARSET,
};

/// Appends `value` as exactly `width` decimal digits (zero-padded; higher digits dropped).
fn push_number(s: &mut String, mut value: u64, width: usize) {
    let mut buf = [b'0'; 20];
    for slot in buf[..width].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    for &b in &buf[..width] {
        s.push(char::from(b));
    }
}

/// Unwraps a value the generator built from its own tables and arithmetic, which are valid
/// by construction (the tests generate hundreds of thousands of records to keep it so).
fn built<T>(result: Result<T, IdentError>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => invalid(&e),
    }
}

#[cold]
#[inline(never)]
fn invalid(e: &IdentError) -> ! {
    panic!("dsti::synth built an invalid value ({e}): this is a bug in the generator")
}

/// A check character the identifier layer computed over characters the generator built;
/// `None` would mean the generator built them wrong.
fn checked(c: Option<char>) -> char {
    match c {
        Some(c) => c,
        None => bug("a check character of malformed characters"),
    }
}

#[cold]
#[inline(never)]
fn bug(what: &str) -> ! {
    panic!("dsti::synth built {what}: this is a bug in the generator")
}

// ---------------------------------------------------------------------------------------------
// Time: everything happens in 2023–2025, China Standard Time.

/// UTC+08:00.
const CST: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// Day 0 of the generated period.
const DAY_ZERO: NaiveDate = match NaiveDate::from_ymd_opt(2023, 1, 1) {
    Some(d) => d,
    None => panic!("a real date"),
};

/// The last day of the period, 2025-12-31, counted from [`DAY_ZERO`].
const LAST_DAY: i64 = 365 + 366 + 365 - 1;

/// The latest enrolment day: leaves room for the longest course to finish by [`LAST_DAY`].
const LAST_ENROLMENT_DAY: i64 = LAST_DAY - 60;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// Earliest and latest birth dates.
const FIRST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1965, 1, 1) {
    Some(d) => d,
    None => panic!("a real date"),
};
const LAST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(2006, 12, 31) {
    Some(d) => d,
    None => panic!("a real date"),
};

/// The date of day `d` of the period.
fn naive_day(d: i64) -> NaiveDate {
    DAY_ZERO + Days::new(d.max(0) as u64)
}

fn date(d: i64) -> Date {
    built(Date::try_from(naive_day(d)))
}

/// The timestamp `secs` seconds after 2023-01-01T00:00:00+08:00, written with `+08:00`.
fn timestamp(secs: i64) -> Timestamp {
    let local = DAY_ZERO.and_time(NaiveTime::MIN) + TimeDelta::seconds(secs);
    let utc = local - TimeDelta::hours(8);
    built(Timestamp::from_datetime(
        DateTime::from_naive_utc_and_offset(utc, CST),
    ))
}

// ---------------------------------------------------------------------------------------------
// What the generator keeps

/// An organization of the generator's pool.
#[derive(Debug, Clone)]
struct Org {
    org: Organization,
    /// Index into [`COUNTIES`].
    county: usize,
    /// `S` for a school (social training-evaluation organization), `Y` for an employer.
    letter: char,
    /// Institution code in skill-level certificate numbers.
    institution: u64,
    /// Assessment site code in skill-level certificate numbers.
    site: u64,
}

/// A track with its values built once.
#[derive(Debug, Clone)]
struct BuiltTrack {
    occupation: Occupation,
    levels: &'static [Level],
    theory: LocalizedText,
    practice: LocalizedText,
}

/// Values built once per generator.
#[derive(Debug, Clone)]
struct Tables {
    en: LanguageTag,
    regions: Vec<RegionCode>,
    providers: Vec<Org>,
    /// One appraisal centre per entry of [`COUNTIES`].
    centres: Vec<Org>,
    tracks: Vec<BuiltTrack>,
    track_weights: Vec<(usize, u32)>,
    ethics: LocalizedText,
    safety: LocalizedText,
    law: LocalizedText,
    programmes: Vec<Text<200>>,
    suspensions: Vec<Text<500>>,
    revocations: Vec<Text<500>>,
    countries: Vec<CountryCode>,
    china: CountryCode,
}

/// A person's identity: name and document, with the gender and birth date they carry.
#[derive(Debug, Clone)]
struct Identity {
    name: PersonName,
    document: IdDocument,
    gender: Gender,
    birth: NaiveDate,
}

/// A person record generated before.
#[derive(Debug, Clone)]
struct PersonCore {
    id: RecordId,
    name: PersonName,
    document: IdDocument,
}

/// A course generated before.
#[derive(Debug, Clone)]
struct CourseCore {
    id: RecordId,
    code: Text<64>,
    title: LocalizedText,
    provider: usize,
    track: usize,
    training_type: TrainingType,
    delivery_mode: DeliveryMode,
    /// Class hours, in half hours.
    halves: i64,
    /// Credits, in halves.
    credits: Option<i64>,
    /// The level the course prepares for, named in its title.
    level: Option<Level>,
    /// Whether the course is offered for a limited time (`validFrom`, `validUntil`).
    limited: bool,
    /// Days on which learners enrol.
    enrol_from: i64,
    enrol_until: i64,
}

/// A completed completion generated before.
#[derive(Debug, Clone)]
struct CompletionCore {
    id: RecordId,
    learner: PersonRef,
    name: PersonName,
    track: usize,
    provider: usize,
    day: i64,
}

/// The last `N` items, for later records to refer to.
#[derive(Debug, Clone)]
struct Recent<T, const N: usize> {
    items: Vec<T>,
    next: usize,
}

impl<T, const N: usize> Recent<T, N> {
    fn new() -> Self {
        Recent {
            items: Vec::with_capacity(N),
            next: 0,
        }
    }

    fn push(&mut self, item: T) {
        if self.items.len() < N {
            self.items.push(item);
        } else {
            self.items[self.next] = item;
        }
        self.next = (self.next + 1) % N;
    }

    fn pick(&self, rng: &mut Rng) -> Option<&T> {
        (!self.items.is_empty()).then(|| &self.items[rng.index(self.items.len())])
    }
}

// ---------------------------------------------------------------------------------------------
// The generator

/// Makes realistic, valid 2.0 records, the same ones for the same seed (see the
/// [module documentation](crate::synth)).
///
/// Later records refer to earlier ones: a completion takes a course and often a learner
/// generated before, a certificate often rests on a completion generated before. The
/// generator remembers a bounded number of them, so its memory does not grow.
///
/// No method panics for any seed: every value is built from tables and arithmetic that are
/// valid by construction, which the tests check over hundreds of thousands of records.
#[derive(Debug, Clone)]
pub struct Generator {
    rng: Rng,
    tables: Tables,
    people: Recent<PersonCore, 1024>,
    courses: Recent<CourseCore, 64>,
    /// Whether [`Generator::completion`] had to make up the courses it refers to.
    made_up: bool,
    completions: Recent<CompletionCore, 1024>,
}

impl Generator {
    /// A generator for `seed`. Building it makes the pool of organizations it draws from
    /// (about 200), so make one and draw many records from it.
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let regions: Vec<RegionCode> = COUNTIES
            .iter()
            .map(|&(code, _)| built(code.parse()))
            .collect();
        let providers = build_providers(&mut rng, &regions);
        let centres = (0..COUNTIES.len())
            .map(|county| {
                let name = format!("{}市职业技能鉴定指导中心", COUNTIES[county].1);
                build_org(&mut rng, &regions, name, county, "12", 'S')
            })
            .collect();
        let en: LanguageTag = built("en".parse());
        let text = |(zh, en_text): (&str, &str)| {
            built(LocalizedText::new(zh).and_then(|t| t.with(en.clone(), en_text)))
        };
        let tracks = TRACKS
            .iter()
            .map(|t| {
                let code: OccupationCode = built(t.code.parse());
                let known = code.lookup();
                let levels = known.map_or(&[Level::Junior][..], |o| o.levels);
                let mut occupation = Occupation::new(code);
                occupation.job_type = t.job_type.map(|j| built(Text::new(j)));
                occupation.name = known.map(|o| built(Text::new(o.name_zh)));
                BuiltTrack {
                    occupation,
                    levels,
                    theory: text(t.theory),
                    practice: text(t.practice),
                }
            })
            .collect();
        let tables = Tables {
            regions,
            providers,
            centres,
            tracks,
            track_weights: TRACKS
                .iter()
                .enumerate()
                .map(|(i, t)| (i, t.weight))
                .collect(),
            ethics: text(ETHICS_MODULE),
            safety: text(SAFETY_MODULE),
            law: text(LAW_MODULE),
            programmes: PROGRAMMES.iter().map(|p| built(Text::new(*p))).collect(),
            suspensions: SUSPENSION_REASONS
                .iter()
                .map(|r| built(Text::new(*r)))
                .collect(),
            revocations: REVOCATION_REASONS
                .iter()
                .map(|r| built(Text::new(*r)))
                .collect(),
            countries: NATIONALITIES
                .iter()
                .map(|n| built(n.alpha3.parse()))
                .collect(),
            china: built("CHN".parse()),
            en,
        };
        Generator {
            rng,
            tables,
            people: Recent::new(),
            courses: Recent::new(),
            made_up: false,
            completions: Recent::new(),
        }
    }

    /// A record of `kind`, or of a realistic mix when `None`: 20 % people, 10 % courses,
    /// 50 % completions and 20 % certificates. A kind 2.0 does not have (`competition`) gives
    /// the mix too.
    pub fn record(&mut self, kind: Option<Kind>) -> Record {
        let kind = match kind {
            Some(k) if k != Kind::Competition => k,
            _ => match self.rng.below(10) {
                0 | 1 => Kind::Person,
                2 => Kind::Course,
                // A completion takes a course from earlier in the stream.
                3..=7 if self.courses.items.is_empty() => Kind::Course,
                3..=7 => Kind::Completion,
                _ => Kind::Certificate,
            },
        };
        match kind {
            Kind::Person => Record::Person(self.person()),
            Kind::Course => Record::Course(self.course()),
            Kind::Certificate => Record::Certificate(self.certificate()),
            Kind::Completion | Kind::Competition => Record::Completion(self.completion()),
        }
    }
}

/// Half hours as a decimal: exact, since halves add up exactly in binary floating point.
fn halves(n: i64) -> Decimal {
    built(Decimal::new(n.max(0) as f64 / 2.0))
}

fn count(n: i64) -> Count {
    Count(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

impl Generator {
    /// A fresh record id: a version-4 UUID of generator bytes.
    fn record_id(&mut self) -> RecordId {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        RecordId::from_uuid(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }

    /// A second of a day from `first` to `last`, between `from_hour` and `to_hour` o'clock.
    fn moment(&mut self, first: i64, last: i64, from_hour: i64, to_hour: i64) -> i64 {
        self.rng.between(first, last) * DAY + self.rng.between(from_hour * HOUR, to_hour * HOUR - 1)
    }

    fn level(&mut self, available: &[Level]) -> Level {
        let total: u32 = LEVEL_WEIGHTS
            .iter()
            .filter(|(l, _)| available.contains(l))
            .map(|&(_, w)| w)
            .sum();
        let mut roll = self.rng.below(u64::from(total.max(1)));
        for &(level, w) in LEVEL_WEIGHTS {
            if !available.contains(&level) {
                continue;
            }
            if roll < u64::from(w) {
                return level;
            }
            roll -= u64::from(w);
        }
        available.first().copied().unwrap_or(Level::Junior)
    }
}

/// The training providers: companies (`91`) and private schools (`52`) across the counties.
fn build_providers(rng: &mut Rng, regions: &[RegionCode]) -> Vec<Org> {
    const WANTED: usize = 160;
    let mut orgs: Vec<Org> = Vec::with_capacity(WANTED);
    for _ in 0..WANTED * 4 {
        if orgs.len() == WANTED {
            break;
        }
        let county = rng.index(COUNTIES.len());
        let brand = rng.pick(BRANDS);
        let school = rng.percent(35);
        let suffix = rng.pick(if school {
            SCHOOL_SUFFIXES
        } else {
            COMPANY_SUFFIXES
        });
        let name = format!("{}市{}{}", COUNTIES[county].1, brand, suffix);
        if orgs.iter().any(|o| o.org.name.as_str() == name) {
            continue;
        }
        let (prefix, letter) = if school { ("52", 'S') } else { ("91", 'Y') };
        orgs.push(build_org(rng, regions, name, county, prefix, letter));
    }
    orgs
}

fn build_org(
    rng: &mut Rng,
    regions: &[RegionCode],
    name: String,
    county: usize,
    prefix: &str,
    letter: char,
) -> Org {
    let mut code = String::with_capacity(18);
    code.push_str(prefix);
    code.push_str(COUNTIES[county].0);
    // The organization code (GB 11714): new registrations since 2015 start with MA.
    let mut body = [b'0'; 8];
    if prefix == "91" {
        body[0] = b'M';
        body[1] = b'A';
        for b in &mut body[2..] {
            *b = *rng.pick(USCC_CHARSET);
        }
    } else {
        for b in &mut body {
            *b = b'0' + rng.below(10) as u8;
        }
    }
    for &b in &body {
        code.push(char::from(b));
    }
    code.push(checked(gb11714_check_char(&code[8..16])));
    code.push(checked(gb32100_check_char(&code)));
    let mut org = Organization::new(built(Text::new(name)), built(code.parse::<Uscc>()));
    if rng.percent(75) {
        org.region = Some(regions[county].clone());
    }
    Org {
        org,
        county,
        letter,
        institution: rng.below(9000) + 1000,
        site: rng.below(1_000_000),
    }
}
