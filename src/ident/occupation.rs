//! Occupation codes of the Occupational Classification of the PRC (2022) and the shipped
//! domestic-service table.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};

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
    /// The skill levels of the national skill standard, lowest first.
    pub levels: &'static [Level],
}

const ALL_LEVELS: &[Level] = &[
    Level::Junior,
    Level::Intermediate,
    Level::Senior,
    Level::Technician,
    Level::SeniorTechnician,
];

const OCCUPATIONS: &[Occupation] = &[
    Occupation {
        code: "4-10-01-01",
        name_zh: "婴幼儿发展引导员",
        name_en: "infant development guide",
        job_types: &[],
        levels: ALL_LEVELS,
    },
    Occupation {
        code: "4-10-01-02",
        name_zh: "保育师",
        name_en: "childcare worker",
        job_types: &[],
        levels: ALL_LEVELS,
    },
    Occupation {
        code: "4-10-01-05",
        name_zh: "养老护理员",
        name_en: "elderly care worker",
        job_types: &[],
        levels: ALL_LEVELS,
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
    },
];

/// The domestic-service occupations shipped with the standard, sorted by code.
pub fn occupations() -> &'static [Occupation] {
    OCCUPATIONS
}

/// An occupation code of the Occupational Classification of the PRC (2022 edition), e.g.
/// `4-10-01-06` (DESIGN §4.7).
///
/// - Schema: pattern `^[1-8]-[0-9]{2}-[0-9]{2}-[0-9]{2}$`.
/// - Rust only: nothing more for validity. A well-formed code outside the shipped table
///   parses; [`OccupationCode::lookup`] returns `None` for it and the validator warns with
///   [`Code::OccupationUnknown`].
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
            "description": "Occupation code of the Occupational Classification of the PRC (2022), e.g. 4-10-01-06. / 《中华人民共和国职业分类大典（2022 年版）》职业编码，如 4-10-01-06。",
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
