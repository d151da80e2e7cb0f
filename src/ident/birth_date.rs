//! Stated birth dates: calendar dates from 1850-01-01.

use std::borrow::Cow;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::{Date, IdentError, EARLIEST_BIRTH_DATE};
use crate::Code;

/// The schema pattern: `YYYY-MM-DD` with a year from 1850.
pub(crate) const PATTERN: &str = "^(18[5-9][0-9]|19[0-9]{2}|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}$";

/// A person's stated date of birth (`birthDate`), written `YYYY-MM-DD`: a real calendar date
/// no earlier than 1850-01-01. The same floor bounds the birth date
/// inside an ID number, so that a stated date and a number are judged alike.
///
/// - Schema: `format: date` and pattern `^(18[5-9][0-9]|19[0-9]{2}|[2-9][0-9]{3})-[0-9]{2}-[0-9]{2}$`.
/// - Rust only: that it is a real calendar date (as [`Date`]).
///
/// "Not after today" depends on the validator's "now" and is a rule, not part of the type.
///
/// Failures: not a real `YYYY-MM-DD` date [`Code::SchemaFormat`]; before 1850-01-01
/// [`Code::IdNumberBirthdate`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BirthDate(Date);

impl BirthDate {
    fn validate(s: &str) -> Result<Self, IdentError> {
        Self::from_date(s.parse()?)
    }

    fn from_date(date: Date) -> Result<Self, IdentError> {
        if date.naive() < EARLIEST_BIRTH_DATE {
            return Err(IdentError::new(
                Code::IdNumberBirthdate,
                "birth date",
                "must not be before 1850-01-01",
            ));
        }
        Ok(BirthDate(date))
    }

    /// The date as it goes on the wire, `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The date.
    pub fn naive(&self) -> NaiveDate {
        self.0.naive()
    }

    /// The date as a plain [`Date`].
    pub fn date(&self) -> &Date {
        &self.0
    }
}

string_newtype!(BirthDate);

/// Fails with [`Code::IdNumberBirthdate`] before 1850-01-01, with [`Code::SchemaFormat`] for
/// years `YYYY-MM-DD` cannot write.
impl TryFrom<NaiveDate> for BirthDate {
    type Error = IdentError;

    fn try_from(date: NaiveDate) -> Result<Self, Self::Error> {
        Self::from_date(Date::try_from(date)?)
    }
}

/// Fails with [`Code::IdNumberBirthdate`] before 1850-01-01.
impl TryFrom<Date> for BirthDate {
    type Error = IdentError;

    fn try_from(date: Date) -> Result<Self, Self::Error> {
        Self::from_date(date)
    }
}

impl From<BirthDate> for Date {
    fn from(b: BirthDate) -> Date {
        b.0
    }
}

impl JsonSchema for BirthDate {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "BirthDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": PATTERN,
            "description": "Date of birth, YYYY-MM-DD, from 1850-01-01 to today (UTC+08:00). / 出生日期，格式为 YYYY-MM-DD，自 1850-01-01 至当日（东八区）。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn from_1850() {
        for ok in ["1850-01-01", "1949-10-01", "2000-02-29", "2026-11-28"] {
            let b: BirthDate = ok.parse().expect(ok);
            assert_eq!(b.to_string(), ok);
            assert_eq!(BirthDate::try_from(b.naive()).as_ref(), Ok(&b));
            assert!(schema_accepts_str::<BirthDate>(ok), "{ok}");
        }
        for early in ["1849-12-31", "1800-01-01", "0001-01-01"] {
            assert_eq!(
                BirthDate::try_from(early).map_err(|e| e.code()),
                Err(Code::IdNumberBirthdate),
                "{early}"
            );
            assert!(!schema_accepts_str::<BirthDate>(early), "{early}");
        }
        for bad in ["1900-02-29", "1990-1-1", "1990/01/01", ""] {
            assert_eq!(
                BirthDate::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaFormat),
                "{bad}"
            );
        }
        let b: BirthDate = serde_json::from_str("\"1850-01-01\"").expect("valid");
        assert_eq!(Date::from(b).as_str(), "1850-01-01");
        assert!(serde_json::from_str::<BirthDate>("\"1849-12-31\"").is_err());
    }
}
