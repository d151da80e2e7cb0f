//! Occupation codes of the Occupational Classification of the PRC (2022) and the shipped
//! domestic-service table.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::lenient::{normalize, Class};
use crate::ident::{IdentError, Level};
use crate::Code;

/// An occupation of the domestic-service table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupation {
    /// The occupation code, e.g. `"4-10-01-06"`.
    pub code: &'static str,
    /// The Chinese name, e.g. `"家政服务员"`.
    pub name_zh: &'static str,
    /// The English name, e.g. `"housekeeping service worker"`.
    pub name_en: &'static str,
    /// The job types (工种) of the national skill standard; empty if it defines none.
    pub job_types: &'static [&'static str],
    /// The skill levels of the national occupational skill standard, lowest first. A
    /// certificate at a level not listed here is [`Code::CertificateLevelUnavailable`] (a
    /// warning).
    pub levels: &'static [Level],
    /// The edition (year) of the national occupational skill standard (国家职业技能标准) that
    /// `levels` come from, e.g. `2019`.
    pub standard_edition: u16,
}

const OCCUPATIONS: &[Occupation] = &[
    Occupation {
        code: "4-10-01-01",
        name_zh: "婴幼儿发展引导员",
        name_en: "infant development guide",
        job_types: &[],
        // Four levels: 四级/中级工 to 一级/高级技师.
        levels: &[
            Level::Intermediate,
            Level::Senior,
            Level::Technician,
            Level::SeniorTechnician,
        ],
        standard_edition: 2021,
    },
    Occupation {
        code: "4-10-01-02",
        name_zh: "保育师",
        name_en: "childcare worker",
        job_types: &[],
        // 五级/初级工 to 三级/高级工, as the standard decides for this code.
        levels: &[Level::Junior, Level::Intermediate, Level::Senior],
        standard_edition: 2019,
    },
    Occupation {
        code: "4-10-01-05",
        name_zh: "养老护理员",
        name_en: "elderly care worker",
        job_types: &[],
        levels: &[
            Level::Junior,
            Level::Intermediate,
            Level::Senior,
            Level::Technician,
            Level::SeniorTechnician,
        ],
        standard_edition: 2019,
    },
    Occupation {
        code: "4-10-01-06",
        name_zh: "家政服务员",
        name_en: "housekeeping service worker",
        job_types: &["母婴护理员", "家务服务员", "家庭照护员", "整理收纳师"],
        levels: &[
            Level::Junior,
            Level::Intermediate,
            Level::Senior,
            Level::Technician,
        ],
        standard_edition: 2019,
    },
];

/// The domestic-service occupations shipped with the standard, sorted by code.
pub fn occupations() -> &'static [Occupation] {
    OCCUPATIONS
}

/// A name an occupation goes by in records that carry names rather than codes (1.0's
/// `occupationName`): the occupation's own name, one of its job types, or a former name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OccupationName {
    /// The name, e.g. `母婴护理员`.
    pub name: &'static str,
    /// The code of the occupation it names.
    pub code: &'static str,
    /// The job type, when the name is one.
    pub job_type: Option<&'static str>,
}

impl OccupationName {
    /// The shipped occupation the name stands for.
    pub fn occupation(&self) -> Option<&'static Occupation> {
        OCCUPATIONS.iter().find(|o| o.code == self.code)
    }
}

const fn named(
    name: &'static str,
    code: &'static str,
    job_type: Option<&'static str>,
) -> OccupationName {
    OccupationName {
        name,
        code,
        job_type,
    }
}

/// Every name of [`OccupationName`], the occupation's own name first.
pub const OCCUPATION_NAMES: &[OccupationName] = &[
    named("家政服务员", "4-10-01-06", None),
    named("母婴护理员", "4-10-01-06", Some("母婴护理员")),
    named("家务服务员", "4-10-01-06", Some("家务服务员")),
    named("家庭照护员", "4-10-01-06", Some("家庭照护员")),
    named("整理收纳师", "4-10-01-06", Some("整理收纳师")),
    named("养老护理员", "4-10-01-05", None),
    named("婴幼儿发展引导员", "4-10-01-01", None),
    named("育婴员", "4-10-01-01", None),
    named("育婴师", "4-10-01-01", None),
    named("保育师", "4-10-01-02", None),
    named("保育员", "4-10-01-02", None),
];

/// What `name` names (exact match after trimming).
pub fn occupation_named(name: &str) -> Option<&'static OccupationName> {
    OCCUPATION_NAMES.iter().find(|r| r.name == name.trim())
}

/// An occupation code of the Occupational Classification of the PRC (2022 edition), e.g.
/// `4-10-01-06`.
///
/// - Schema: pattern `^[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}$`.
/// - Rust only: nothing more for validity. A well-formed code outside the shipped table
///   parses; [`OccupationCode::lookup`] returns `None` for it and the validator warns with
///   [`Code::OccupationUnknown`].
///
/// The 2022 classification marks green occupations `(L)`, digital ones `(S)` and both
/// `(L/S)`; the marks are not part of the code, and the wire form never carries them.
/// [`OccupationCode::parse_lenient`] strips them.
///
/// Shape failures are [`Code::SchemaPattern`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OccupationCode(String);

impl OccupationCode {
    fn validate(s: &str) -> Result<Self, IdentError> {
        let b = s.as_bytes();
        let ok = b.len() == 10
            && (b'1'..=b'8').contains(&b[0])
            && b.iter().enumerate().skip(1).all(|(i, &c)| {
                if i % 3 == 1 {
                    c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !ok {
            return Err(IdentError::new(
                Code::SchemaPattern,
                "occupation code",
                "must have the form 4-10-01-06",
            ));
        }
        Ok(OccupationCode(s.to_owned()))
    }

    /// Parse a hand-typed or copied code: trims, folds full-width characters to ASCII,
    /// removes spaces and the classification's marks `(L)`, `(S)` and `(L/S)` (in either
    /// letter case), then parses strictly: `4-10-01-06 (S)` gives `4-10-01-06`.
    pub fn parse_lenient(s: &str) -> Result<Self, IdentError> {
        let mut folded = normalize(s, Class::Code);
        for mark in ["(L/S)", "(L)", "(S)"] {
            if let Some(rest) = folded.strip_suffix(mark) {
                folded = rest.to_owned();
                break;
            }
        }
        Self::validate(&folded)
    }

    /// The code, e.g. `"4-10-01-06"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The occupation in the shipped domestic-service table, if the code is in it.
    pub fn lookup(&self) -> Option<&'static Occupation> {
        OCCUPATIONS.iter().find(|o| o.code == self.0)
    }
}

string_newtype!(OccupationCode);

impl JsonSchema for OccupationCode {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "OccupationCode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}$",
            "description": "Occupation code of the Occupational Classification of the PRC (2022), e.g. 4-10-01-06, without the classification's green/digital marks (L), (S), (L/S). / 《中华人民共和国职业分类大典（2022 年版）》职业编码，如 4-10-01-06，不带绿色/数字职业标识 (L)、(S)、(L/S)。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn table() {
        assert!(OCCUPATIONS.windows(2).all(|w| w[0].code < w[1].code));
        for n in OCCUPATION_NAMES {
            let o = n.occupation().expect("a shipped occupation");
            assert!(
                o.name_zh == n.name || o.job_types.contains(&n.name) || n.job_type.is_none(),
                "{n:?}"
            );
            assert!(n.job_type.is_none_or(|j| o.job_types.contains(&j)), "{n:?}");
        }
        for o in occupations() {
            let code: OccupationCode = o.code.parse().expect(o.code);
            assert_eq!(code.lookup(), Some(o));
            assert!(o.levels.windows(2).all(|w| w[0] < w[1]));
            assert!(schema_accepts_str::<OccupationCode>(o.code));
        }
        let housekeeping: OccupationCode = "4-10-01-06".parse().expect("valid");
        let o = housekeeping.lookup().expect("in the table");
        assert_eq!(o.name_zh, "家政服务员");
        assert_eq!(o.levels.last(), Some(&Level::Technician));
        assert!(o.job_types.contains(&"母婴护理员"));
    }

    /// The levels of each occupation, by code (README, "Levels per occupation").
    #[test]
    fn levels_per_occupation() {
        let levels = |code: &str| {
            let code: OccupationCode = code.parse().expect(code);
            let o = code.lookup().expect("in the table");
            let digits: Vec<u8> = o.levels.iter().map(|l| l.grade_digit()).collect();
            (digits, o.standard_edition)
        };
        assert_eq!(levels("4-10-01-06"), (vec![5, 4, 3, 2], 2019));
        assert_eq!(levels("4-10-01-02"), (vec![5, 4, 3], 2019));
        assert_eq!(levels("4-10-01-01"), (vec![4, 3, 2, 1], 2021));
        assert_eq!(levels("4-10-01-05"), (vec![5, 4, 3, 2, 1], 2019));
    }

    #[test]
    fn lenient_strips_the_classification_marks() {
        for (typed, code) in [
            ("4-10-01-06(S)", "4-10-01-06"),
            ("4-10-01-05 (L)", "4-10-01-05"),
            (" 4-10-01-01（L/S）", "4-10-01-01"),
            ("4-10-01-02(l/s)", "4-10-01-02"),
            ("４－１０－０１－０６", "4-10-01-06"),
        ] {
            assert_eq!(
                OccupationCode::parse_lenient(typed).map(|c| c.as_str().to_owned()),
                Ok(code.to_owned()),
                "{typed}"
            );
        }
        for bad in ["4-10-01-06(X)", "4-10-01-06(L)(S)", "(S)4-10-01-06"] {
            assert!(OccupationCode::parse_lenient(bad).is_err(), "{bad}");
        }
        // The wire form never carries a mark.
        assert!(OccupationCode::try_from("4-10-01-06(S)").is_err());
        assert!(!schema_accepts_str::<OccupationCode>("4-10-01-06(S)"));
    }

    #[test]
    fn shape() {
        let unknown: OccupationCode = "2-05-08-01".parse().expect("well-formed");
        assert_eq!(unknown.lookup(), None);
        for bad in [
            "9-10-01-06",
            "0-10-01-06",
            "4-10-01-6",
            "4-10-01-066",
            "4.10.01.06",
            "41001-06",
            "4-1a-01-06",
            "",
        ] {
            assert_eq!(
                OccupationCode::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaPattern)
            );
            assert!(!schema_accepts_str::<OccupationCode>(bad), "{bad}");
        }
    }
}
