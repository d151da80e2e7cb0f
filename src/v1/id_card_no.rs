//! `idCardNo`: the resident ID number of 1.0, 18 digits or the older 15.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::ident::{
    all_digits, is_province_prefix, mod11_2_check_char, IdentError, EARLIEST_BIRTH_DATE,
};
use crate::{Code, Mask};

const WHAT: &str = "ID card number";

/// The province group of GB/T 2260 as a pattern group.
const PROVINCE: &str = crate::ident::PROVINCE_GROUP;
/// `MMDD` digits of a date pattern.
const MONTH_DAY: &str = "(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])";

/// A resident ID number as 1.0 writes it (`idCardNo`): either the 18-character number of GB
/// 11643-1999 or the 15-digit number of the first-generation cards. Personal data: `Debug`
/// masks it.
///
/// | Form | Layout | Checked by the schema | Checked only in Rust |
/// |---|---|---|---|
/// | 18 | region (6), birth date `YYYYMMDD`, sequence (3), check character | province prefix, date-shaped digits 1850–2099 | a real date between 1850-01-01 and today, the ISO 7064 MOD 11-2 check character |
/// | 15 | region (6), birth date `YYMMDD`, sequence (3) | province prefix, date-shaped digits | a real date from 1850-01-01, in the 1900s or, for the sequence codes 996–999 of centenarians, the 1800s (the 15-digit numbers predate 2000 and have no check character) |
///
/// Error codes: wrong shape [`Code::SchemaPattern`]; not under a province
/// [`Code::IdNumberRegion`]; bad birth date [`Code::IdNumberBirthdate`]; wrong check
/// character [`Code::IdNumberChecksum`].
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdCardNo(String);

fn error(code: Code, reason: &'static str) -> IdentError {
    IdentError::new(code, WHAT, reason)
}

fn date_of(year: &str, month_day: &str) -> Option<NaiveDate> {
    let year: i32 = year.parse().ok()?;
    let month: u32 = month_day.get(..2)?.parse().ok()?;
    let day: u32 = month_day.get(2..4)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The century of a 15-digit number's two-digit year: `18` when the sequence code (digits
/// 13–15) is 996–999, the codes reserved for centenarians at the 1999 conversion, else `19`.
fn century_of_15(s: &str) -> &'static str {
    let sequence: u16 = s.get(12..15).and_then(|q| q.parse().ok()).unwrap_or(0);
    if (996..=999).contains(&sequence) {
        "18"
    } else {
        "19"
    }
}

impl IdCardNo {
    fn validate(s: &str) -> Result<Self, IdentError> {
        // "Not in the future" depends on "now": a rule of the validator.
        Self::validate_at(s, NaiveDate::MAX)
    }

    /// The validator, as of the date `today`.
    pub(crate) fn validate_at(s: &str, today: NaiveDate) -> Result<Self, IdentError> {
        let b = s.as_bytes();
        let eighteen = b.len() == 18
            && s.get(..17).is_some_and(|p| all_digits(p, 17))
            && matches!(b[17], b'0'..=b'9' | b'X');
        let fifteen = all_digits(s, 15);
        if !eighteen && !fifteen {
            return Err(error(
                Code::SchemaPattern,
                "an ID card number is 17 digits and a check character, or 15 digits",
            ));
        }
        if !is_province_prefix(s) {
            return Err(error(
                Code::IdNumberRegion,
                "does not start with a province-level code",
            ));
        }
        let birth = if eighteen {
            date_of(&s[6..10], &s[10..14])
        } else {
            date_of(&format!("{}{}", century_of_15(s), &s[6..8]), &s[8..12])
        };
        if !birth.is_some_and(|d| d >= EARLIEST_BIRTH_DATE && d <= today) {
            return Err(error(
                Code::IdNumberBirthdate,
                "the birth date is not a real date between 1850 and today",
            ));
        }
        if eighteen && mod11_2_check_char(&s[..17]) != Some(char::from(b[17])) {
            return Err(error(Code::IdNumberChecksum, "check character is wrong"));
        }
        Ok(IdCardNo(s.to_owned()))
    }

    /// The number as it goes on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a first-generation 15-digit number.
    pub fn is_15(&self) -> bool {
        self.0.len() == 15
    }

    /// The 18-character form. An 18-character number is returned as it is; a 15-digit one is
    /// lengthened by GB 11643-1999: the century `19` is inserted before the two-digit year
    /// (`18` when the sequence code is 996–999, the codes reserved for centenarians at the
    /// 1999 conversion), and the MOD 11-2 check character is appended.
    pub fn to_18(&self) -> String {
        if !self.is_15() {
            return self.0.clone();
        }
        let century = century_of_15(&self.0);
        let first17 = format!("{}{century}{}", &self.0[..6], &self.0[6..]);
        let check = mod11_2_check_char(&first17).unwrap_or('0');
        format!("{first17}{check}")
    }

    /// The birth date inside the number (of the 18-character form).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let long = self.to_18();
        date_of(&long[6..10], &long[10..14])
    }

    /// The gender of the sex digit (the 17th of 18, the 15th of 15): odd male, even female.
    pub fn gender(&self) -> crate::ident::Gender {
        let digit = self.to_18().as_bytes()[16];
        if (digit - b'0') % 2 == 1 {
            crate::ident::Gender::Male
        } else {
            crate::ident::Gender::Female
        }
    }
}

impl std::str::FromStr for IdCardNo {
    type Err = IdentError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::validate(s)
    }
}

impl TryFrom<&str> for IdCardNo {
    type Error = IdentError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Self::validate(s)
    }
}

impl TryFrom<String> for IdCardNo {
    type Error = IdentError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::validate(&s)
    }
}

impl fmt::Display for IdCardNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for IdCardNo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IdCardNo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de::DeserializeSeed::deserialize(crate::ident::ParseStr(Self::validate), d)
    }
}

impl fmt::Debug for IdCardNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdCardNo")
            .field(&Mask::default().apply(&self.0))
            .finish()
    }
}

impl JsonSchema for IdCardNo {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "IdCardNo".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let pattern = format!(
            "^({PROVINCE}[0-9]{{4}}(18[5-9][0-9]|19[0-9]{{2}}|20[0-9]{{2}}){MONTH_DAY}[0-9]{{3}}[0-9X]|{PROVINCE}[0-9]{{4}}[0-9]{{2}}{MONTH_DAY}[0-9]{{3}})$"
        );
        schemars::json_schema!({
            "type": "string",
            "pattern": pattern,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighteen_and_fifteen() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
        let ok = IdCardNo::validate_at("11010519491231002X", today).expect("valid");
        assert!(!ok.is_15());
        assert_eq!(ok.to_18(), "11010519491231002X");
        // The 15-digit form of the same person lengthens to the 18-digit one.
        let old = IdCardNo::validate_at("110105491231002", today).expect("valid");
        assert!(old.is_15());
        assert_eq!(old.to_18(), "11010519491231002X");
        assert_eq!(old.gender(), crate::ident::Gender::Female);
        // Sequence 996-999: a centenarian of the 1800s.
        let old = IdCardNo::validate_at("110105960101997", today).expect("valid");
        assert_eq!(&old.to_18()[6..10], "1896");
        assert_eq!(old.birth_date(), NaiveDate::from_ymd_opt(1896, 1, 1));
        // The 1850 floor: a centenarian of 1849 is not a birth date the standard accepts, and
        // 29 February is checked in the right century (1896 is a leap year, 1900 is not).
        assert!(IdCardNo::validate_at("110105500101997", today).is_ok());
        assert!(IdCardNo::validate_at("110105960229997", today).is_ok());
        assert!(IdCardNo::validate_at("110105000229001", today).is_err());
        for bad in ["110105491231997", "110105184912310012"] {
            assert_eq!(
                IdCardNo::validate_at(bad, today).map_err(|e| e.code()),
                Err(Code::IdNumberBirthdate),
                "{bad}"
            );
        }
        for (bad, code) in [
            ("110105194912310021", Code::IdNumberChecksum),
            ("990105194912310021", Code::IdNumberRegion),
            ("110105194913310021", Code::IdNumberBirthdate),
            ("110105491331002", Code::IdNumberBirthdate),
            ("11010549123100", Code::SchemaPattern),
            ("11010519491231002x", Code::SchemaPattern),
        ] {
            assert_eq!(
                IdCardNo::validate_at(bad, today).map_err(|e| e.code()),
                Err(code),
                "{bad}"
            );
        }
        assert!(!format!("{ok:?}").contains("19491231"));
    }
}
