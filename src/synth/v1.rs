//! Synthetic 1.0 records: valid, realistic, and the same for the same seed.

//!
//! For testing migrations and 1.0 integrations without real personal data. Every record
//! passes 1.0 validation with no finding: Chinese names, valid 18-digit ID numbers (about one
//! in six a 15-digit first-generation number, all born 1965–1999 then), credit codes with a
//! correct check character, categories from the migration table (and now and then one it does
//! not know), completions whose days hold their hours, certificate numbers whose shape agrees
//! with their level and year. Dates lie in 2019–2025.
//!
//! ```
//! use dsti::synth::v1::write_ndjson_v1;
//! use dsti::Kind;
//! let mut out = Vec::new();
//! write_ndjson_v1(&mut out, Some(Kind::Person), 3, 7)?;
//! assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 3);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate};

use super::rng::SplitMix64;
use crate::ident::check::{gb32100_check_char, mod11_2_check_char, USCC_CHARSET};
use crate::ident::{CertificateNumber, Date, PersonName, Uscc};
use crate::ident::{Count, Decimal, Text};
use crate::v1::{
    Certificate, Completion, CompletionResult, Course, Gender, IdCardNo, Level, Person, Record,
    TrainingType,
};
use crate::Kind;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "欧阳", "司马",
];
const GIVEN_FEMALE: &[&str] = &[
    "芳", "秀英", "丽", "静", "敏", "燕", "红梅", "桂兰", "玉兰", "慧", "海燕", "春花", "小红",
];
const GIVEN_MALE: &[&str] = &["伟", "强", "磊", "军", "勇", "建国", "志强", "海波", "明"];
const MINORITY: &[&str] = &["阿依古丽·买买提", "热依拉·艾力", "古丽娜·吐尔逊"];
const COUNTIES: &[&str] = &[
    "110105", "110108", "310104", "310115", "440106", "440305", "330106", "320102", "510107",
    "420106", "430104", "610113", "370102", "350203", "500103", "650102", "450103", "340104",
];
const ORGS: &[&str] = &[
    "广州市巾帼家政培训学校",
    "上海市家政服务职业培训学校",
    "北京市朝阳区阳光家政服务有限公司",
    "成都市蜀都家政服务有限公司",
    "杭州市西湖区康乐养老服务中心",
];
const CATEGORIES: &[&str] = &[
    "母婴护理",
    "育婴",
    "保育",
    "养老护理",
    "病患陪护",
    "家务/保洁",
    "烹饪",
    "整理收纳",
    "洗涤护理",
    "月嫂",
    "母婴护理、育婴",
    "插花艺术",
];
const OCCUPATIONS: &[&str] = &[
    "家政服务员",
    "母婴护理员",
    "家务服务员",
    "家庭照护员",
    "整理收纳师",
    "养老护理员",
    "婴幼儿发展引导员",
    "保育师",
    "中式烹调师",
];

/// A generator of 1.0 records, deterministic for its seed (a splitmix64 stream).
#[derive(Debug, Clone)]
pub struct Generator {
    rng: SplitMix64,
    orgs: Vec<(String, String)>,
}

impl Generator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        let mut g = Generator {
            rng: SplitMix64::new(seed),
            orgs: Vec::new(),
        };
        g.orgs = ORGS
            .iter()
            .map(|name| {
                let code = g.uscc();
                ((*name).to_owned(), code)
            })
            .collect();
        g
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.rng.below_mod(n)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items[i]
    }

    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = u64::try_from((to - from).num_days()).unwrap_or(0) + 1;
        from + Duration::days(i64::try_from(self.below(span)).unwrap_or(0))
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn date(d: NaiveDate) -> Date {
        Date::try_from(d).unwrap_or_else(|_| Self::fallback_date())
    }

    fn fallback_date() -> Date {
        #[allow(clippy::unwrap_used)]
        "2024-01-01".parse().unwrap()
    }

    fn uscc(&mut self) -> String {
        let mut s = String::from("52");
        s.push_str(self.pick(COUNTIES));
        for _ in 0..9 {
            s.push(char::from(
                USCC_CHARSET[usize::try_from(self.below(31)).unwrap_or(0)],
            ));
        }
        let check = gb32100_check_char(&s).unwrap_or('0');
        s.push(check);
        s
    }

    fn org(&mut self) -> (Text<200>, Uscc) {
        let i = usize::try_from(self.below(self.orgs.len() as u64)).unwrap_or(0);
        let (name, code) = &self.orgs[i];
        (
            Text::new(name.as_str()).unwrap_or_else(|_| unreachable_text()),
            code.parse().unwrap_or_else(|_| unreachable_uscc()),
        )
    }

    fn name(&mut self, gender: Gender) -> PersonName {
        let name = if self.chance(3) {
            self.pick(MINORITY).to_owned()
        } else {
            let given = match gender {
                Gender::Female => self.pick(GIVEN_FEMALE),
                _ => self.pick(GIVEN_MALE),
            };
            format!("{}{given}", self.pick(SURNAMES))
        };
        name.parse().unwrap_or_else(|_| unreachable_name())
    }

    /// A gender and a matching ID number (about one in six 15-digit, born before 2000).
    fn identity(&mut self) -> (Gender, IdCardNo) {
        let gender = if self.chance(88) {
            Gender::Female
        } else {
            Gender::Male
        };
        let short = self.chance(16);
        let last = if short { 1999 } else { 2005 };
        let birth = self.date_between(Self::ymd(1965, 1, 1), Self::ymd(last, 12, 31));
        let mut sequence = self.below(995);
        let odd = sequence % 2 == 1;
        if odd != (gender == Gender::Male) {
            sequence = if sequence == 0 { 1 } else { sequence - 1 };
        }
        let county = self.pick(COUNTIES);
        let number = if short {
            format!("{county}{}{sequence:03}", birth.format("%y%m%d"))
        } else {
            let first17 = format!("{county}{}{sequence:03}", birth.format("%Y%m%d"));
            let check = mod11_2_check_char(&first17).unwrap_or('0');
            format!("{first17}{check}")
        };
        (gender, number.parse().unwrap_or_else(|_| unreachable_id()))
    }

    /// A person.
    pub fn person(&mut self) -> Person {
        let (gender, id) = self.identity();
        let verified = !self.chance(25);
        let mut p = Person::new(self.name(gender), id, gender, verified);
        if self.chance(60) {
            let phone = format!("13{:09}", self.below(1_000_000_000));
            p.phone = phone.parse().ok();
        }
        if verified && self.chance(95) {
            let d = self.date_between(Self::ymd(2023, 1, 1), Self::ymd(2025, 12, 31));
            p.verified_date = Some(Self::date(d));
        }
        p
    }

    fn course_code(&mut self) -> Text<64> {
        Text::new(format!("KC{:06}", self.below(1_000_000))).unwrap_or_else(|_| unreachable_text())
    }

    /// A course.
    pub fn course(&mut self) -> Course {
        let category = self.pick(CATEGORIES);
        let training = [
            TrainingType::PreJob,
            TrainingType::OnTheJob,
            TrainingType::JobTransition,
            TrainingType::Retraining,
        ][usize::try_from(self.below(4)).unwrap_or(0)];
        let (org_name, org_code) = self.org();
        let name = format!("{}{}", category.replace(['、', '/'], ""), training.as_str());
        Course::new(
            self.course_code(),
            Text::new(name).unwrap_or_else(|_| unreachable_text()),
            Text::new(category).unwrap_or_else(|_| unreachable_text()),
            training,
            Count(u32::try_from(8 + self.below(113)).unwrap_or(8)),
            self.chance(40),
            org_name,
            org_code,
        )
    }

    /// A completion.
    pub fn completion(&mut self) -> Completion {
        let (gender, id) = self.identity();
        let name = self.name(gender);
        let (org_name, org_code) = self.org();
        let hours = u32::try_from(4 + self.below(117)).unwrap_or(8);
        let start = self.date_between(Self::ymd(2023, 1, 1), Self::ymd(2025, 9, 30));
        let min_days = i64::from(hours * 45).div_euclid(1440);
        let end = start + Duration::days(min_days + i64::try_from(self.below(60)).unwrap_or(0));
        let roll = self.below(100);
        let result = match roll {
            0..=69 => CompletionResult::Passed,
            70..=84 => CompletionResult::Failed,
            _ => CompletionResult::Incomplete,
        };
        let mut c = Completion::new(
            id,
            name,
            self.course_code(),
            org_name,
            org_code,
            Self::date(start),
            Count(hours),
            result,
        );
        let has_end = match result {
            CompletionResult::Passed => true,
            CompletionResult::Failed => self.chance(80),
            _ => self.chance(20),
        };
        if has_end {
            c.end_date = Some(Self::date(end));
        }
        if self.chance(60) {
            let score = match result {
                CompletionResult::Passed => 60 + self.below(41),
                _ => self.below(60),
            };
            let half = if score < 100 && self.chance(20) {
                0.5
            } else {
                0.0
            };
            #[allow(clippy::cast_precision_loss)]
            let value = score as f64 + half;
            c.score = Decimal::new(value).ok();
        }
        c
    }

    /// A certificate.
    pub fn certificate(&mut self) -> Certificate {
        let (gender, id) = self.identity();
        let name = self.name(gender);
        let (org_name, org_code) = self.org();
        let issued = self.date_between(Self::ymd(2019, 1, 1), Self::ymd(2025, 12, 31));
        let yy = issued.year() % 100;
        let grade = 1 + self.below(5);
        let level_of_grade = |grade: u64, old: bool| -> Level {
            match (grade, old) {
                (5, false) => Level::Grade5,
                (4, false) => Level::Grade4,
                (3, false) => Level::Grade3,
                (2, false) => Level::Grade2,
                (1, false) => Level::Grade1,
                (5, true) => Level::Junior,
                (4, true) => Level::Intermediate,
                (3, true) => Level::Senior,
                (2, true) => Level::Technician,
                _ => Level::SeniorTechnician,
            }
        };
        let (number, level) = match self.below(10) {
            0..=5 => {
                let prefix = if self.chance(50) { "S" } else { "Y" };
                let province = &self.pick(COUNTIES)[..2];
                let n = format!(
                    "{prefix}{:04}{province}{:06}{yy:02}{grade}{:06}",
                    self.below(10_000),
                    self.below(1_000_000),
                    self.below(1_000_000)
                );
                (n, level_of_grade(grade, self.chance(10)))
            }
            6..=7 => {
                let n = format!(
                    "{yy:02}{:08}{grade}{:05}",
                    self.below(100_000_000),
                    self.below(100_000)
                );
                (n, level_of_grade(grade, !self.chance(10)))
            }
            _ => {
                let n = format!("PX{}{:06}", issued.year(), self.below(1_000_000));
                (n, level_of_grade(grade, self.chance(50)))
            }
        };
        // A level the occupation's national standard lacks goes to
        // 养老护理员, whose standard has all five.
        let mut occupation = self.pick(OCCUPATIONS);
        let known = crate::ident::occupation_named(occupation).and_then(|n| n.occupation());
        if known.is_some_and(|o| !o.levels.contains(&level.to_v2())) {
            occupation = "养老护理员";
        }
        Certificate::new(
            number
                .parse::<CertificateNumber>()
                .unwrap_or_else(|_| unreachable_number()),
            id,
            name,
            Text::new(occupation).unwrap_or_else(|_| unreachable_text()),
            level,
            Self::date(issued),
            org_name,
            org_code,
        )
    }

    /// A record of `kind`, or of a kind chosen at random.
    pub fn record(&mut self, kind: Option<Kind>) -> Record {
        let kind =
            kind.unwrap_or_else(|| Kind::RECORDS[usize::try_from(self.below(4)).unwrap_or(0)]);
        match kind {
            Kind::Course => self.course().into(),
            Kind::Completion => self.completion().into(),
            Kind::Certificate => self.certificate().into(),
            _ => self.person().into(),
        }
    }
}

// The generator's tables are valid by construction; the tests check every record.
#[allow(clippy::unwrap_used)]
fn unreachable_text<const N: usize>() -> Text<N> {
    Text::new("?").unwrap()
}
#[allow(clippy::unwrap_used)]
fn unreachable_uscc() -> Uscc {
    "91440101MA5CYUF35N".parse().unwrap()
}
#[allow(clippy::unwrap_used)]
fn unreachable_name() -> PersonName {
    "王芳".parse().unwrap()
}
#[allow(clippy::unwrap_used)]
fn unreachable_id() -> IdCardNo {
    "11010519491231002X".parse().unwrap()
}
#[allow(clippy::unwrap_used)]
fn unreachable_number() -> CertificateNumber {
    "PX0".parse().unwrap()
}

/// Write `count` records of `kind` (or of mixed kinds) for `seed`, one JSON record a line.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_ndjson_v1<W: Write>(
    out: W,
    kind: Option<Kind>,
    count: u64,
    seed: u64,
) -> io::Result<()> {
    let mut generator = Generator::new(seed);
    super::write_lines(out, count, || generator.record(kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{Options, Validator};

    /// Pins what seed 1 produces for 1.0, as `seed_1_is_pinned` does for 2.0: the output of a
    /// seed must not change.
    #[test]
    fn seed_1_is_pinned() {
        let mut out = Vec::new();
        write_ndjson_v1(&mut out, None, 200, 1).expect("writes");
        let fnv = out.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        // Pinned anew once, when levels per occupation became data: a
        // certificate whose level its occupation lacks now names 养老护理员; the draws are the
        // same.
        assert_eq!((fnv, out.len()), (2_181_910_973_993_613_816, 49_873));
    }

    #[test]
    fn generated_records_are_valid_and_migrate() {
        let validator = Validator::new(Options::default());
        for seed in [1, 2, 42] {
            let mut g = Generator::new(seed);
            for _ in 0..300 {
                let record = g.record(None);
                let value = serde_json::to_value(&record).expect("json");
                let verdict = validator.validate_value(&value);
                assert!(verdict.issues.is_empty(), "{value}: {:?}", verdict.issues);
                let out = crate::migrate::migrate(&value, crate::Version::V2_0);
                let migrated = out
                    .record
                    .unwrap_or_else(|| panic!("{value}: {:?}", out.report))
                    .to_value();
                let verdict = validator.validate_value(&migrated);
                assert!(verdict.is_valid(), "{migrated}: {:?}", verdict.issues);
            }
        }
    }
}
