//! Calendar dates.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::IdentError;
use crate::Code;

/// Whether `b` is `YYYY-MM-DD` shaped: ASCII digits with hyphens at positions 5 and 8.
pub(crate) fn is_date_shaped(b: &[u8]) -> bool {
    b.len() == 10
        && b.iter().enumerate().all(|(i, &c)| {
            if i == 4 || i == 7 {
                c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn format_error() -> IdentError {
    IdentError::new(
        Code::SchemaFormat,
        "date",
        "must be a real date written YYYY-MM-DD",
    )
}

/// A calendar date written `YYYY-MM-DD`, e.g. `2024-02-29`.
///
/// - Schema: `format: date` and pattern `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`.
/// - Rust only: that it is a real calendar date (month 1–12, day within the month, leap
///   years). Most JSON Schema validators treat `format` as an annotation only.
///
/// Failures are [`Code::SchemaFormat`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    date: NaiveDate,
    text: String,
}

impl Date {
    fn validate(s: &str) -> Result<Self, IdentError> {
        if !is_date_shaped(s.as_bytes()) {
            return Err(format_error());
        }
        let year: i32 = s[..4].parse().map_err(|_| format_error())?;
        let month: u32 = s[5..7].parse().map_err(|_| format_error())?;
        let day: u32 = s[8..10].parse().map_err(|_| format_error())?;
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(format_error)?;
        Ok(Date {
            date,
            text: s.to_owned(),
        })
    }

    /// The date as it goes on the wire, `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The date.
    pub fn naive(&self) -> NaiveDate {
        self.date
    }
}

string_newtype!(Date);

/// Fails (with [`Code::SchemaFormat`]) only for years outside 0000–9999, which `YYYY-MM-DD`
/// cannot write.
impl TryFrom<NaiveDate> for Date {
    type Error = IdentError;

    fn try_from(date: NaiveDate) -> Result<Self, Self::Error> {
        if !(0..=9999).contains(&date.year()) {
            return Err(format_error());
        }
        Self::validate(&date.format("%Y-%m-%d").to_string())
    }
}

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "Calendar date, YYYY-MM-DD. / 日期，格式为 YYYY-MM-DD。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;

    #[test]
    fn dates() {
        for ok in [
            "2024-02-29",
            "2000-02-29",
            "1949-10-01",
            "0001-01-01",
            "9999-12-31",
        ] {
            let d: Date = ok.parse().expect(ok);
            assert_eq!(d.to_string(), ok);
            assert_eq!(Date::try_from(d.naive()).as_ref(), Ok(&d));
            assert!(schema_accepts_str::<Date>(ok));
        }
        for bad in [
            "1900-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-4-01",
            "2024/04/01",
            "20240401",
            "2024-04-01T00:00:00Z",
            " 2024-04-01",
            "+2024-04-01",
            "2024-04-0a",
        ] {
            assert_eq!(
                Date::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaFormat),
                "{bad}"
            );
        }
        let far = NaiveDate::from_ymd_opt(10000, 1, 1).expect("chrono supports it");
        assert!(Date::try_from(far).is_err());
        let d: Date = serde_json::from_str("\"2024-02-29\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&d).expect("serializes"),
            "\"2024-02-29\""
        );
    }
}
