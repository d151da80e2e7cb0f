//! Identity documents: type, number and issuing country, validated together.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ident::check::{icao_check_digit, mod11_2_check_char};
use crate::ident::{
    all_digits, is_province_prefix, CountryCode, DocumentNumber, DocumentType, Gender, IdentError,
    PROVINCE_GROUP,
};
use crate::Code;

const WHAT: &str = "identity document";

/// The birth-date digits (`YYYYMMDD`) of the date group in a number pattern: years 1850–2099.
pub(crate) const DATE_GROUP: &str =
    "(18[5-9][0-9]|19[0-9]{2}|20[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])";

/// The earliest birth date the standard accepts, stated or inside a number.
pub(crate) const EARLIEST_BIRTH_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1850, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The latest birth date inside a number: the last day [`DATE_GROUP`] can match. A number
/// cannot be born later than today either, but "today" is the validator's; this bound is
/// the type's own, so that the type never accepts what the schema's pattern refuses.
const LATEST_BIRTH_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2099, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// The schema pattern of the number of a document of type `t`. Every number that
/// [`IdDocument::new`] accepts matches it.
fn number_pattern(t: DocumentType) -> String {
    match t {
        DocumentType::ResidentIdCard => {
            format!("^{PROVINCE_GROUP}[0-9]{{4}}{DATE_GROUP}[0-9]{{3}}[0-9X]$")
        }
        DocumentType::HmtResidencePermit => format!("^8[123]0000{DATE_GROUP}[0-9]{{3}}[0-9X]$"),
        DocumentType::HkMacaoTravelPermit => "^[HM]([0-9]{8}|[0-9]{10})$".to_owned(),
        DocumentType::TaiwanTravelPermit => "^([0-9]{8}|[0-9]{10})$".to_owned(),
        DocumentType::ForeignPermanentResidenceId => {
            format!(
                "^([A-Z]{{3}}[0-9]{{12}}|9{PROVINCE_GROUP}[0-9]{{3}}{DATE_GROUP}[0-9]{{3}}[0-9X])$"
            )
        }
        DocumentType::Passport => "^[0-9A-Z]{5,17}$".to_owned(),
    }
}

/// The date of `YYYYMMDD` digits, if it is a real calendar date.
fn date_of_digits(digits: &str) -> Option<NaiveDate> {
    if !all_digits(digits, 8) {
        return None;
    }
    let year: i32 = digits[..4].parse().ok()?;
    let month: u32 = digits[4..6].parse().ok()?;
    let day: u32 = digits[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Whether `s` is 17 digits followed by a digit or `X`.
fn is_18_with_check(s: &str) -> bool {
    s.len() == 18 && all_digits(&s[..17], 17) && matches!(s.as_bytes()[17], b'0'..=b'9' | b'X')
}

fn shape_error(reason: &'static str) -> IdentError {
    IdentError::new(Code::SchemaPattern, WHAT, reason)
}

/// Checks the birth date (digits 7–14) and the MOD 11-2 check character of an 18-character
/// number whose shape is already known to be right.
fn check_date_and_mod11_2(number: &str, today: NaiveDate) -> Result<(), IdentError> {
    match date_of_digits(&number[6..14]) {
        Some(date) if date >= EARLIEST_BIRTH_DATE && date <= today.min(LATEST_BIRTH_DATE) => {}
        _ => {
            return Err(IdentError::new(
                Code::IdNumberBirthdate,
                WHAT,
                "the birth date is not a real date between 1850 and today",
            ))
        }
    }
    if mod11_2_check_char(&number[..17]) != Some(char::from(number.as_bytes()[17])) {
        return Err(IdentError::new(
            Code::IdNumberChecksum,
            WHAT,
            "check character is wrong",
        ));
    }
    Ok(())
}

/// Checks a number against the rules of its document type, as of `today`.
fn check_number(
    doc_type: DocumentType,
    number: &str,
    issuing_country: Option<CountryCode>,
    today: NaiveDate,
) -> Result<(), IdentError> {
    let b = number.as_bytes();
    match doc_type {
        DocumentType::ResidentIdCard => {
            if !is_18_with_check(number) {
                return Err(shape_error(
                    "a resident ID number is 17 digits and a check character",
                ));
            }
            if !is_province_prefix(number) {
                return Err(IdentError::new(
                    Code::IdNumberRegion,
                    WHAT,
                    "does not start with a province-level code",
                ));
            }
            check_date_and_mod11_2(number, today)
        }
        DocumentType::HmtResidencePermit => {
            if !is_18_with_check(number) || !matches!(&number[..6], "810000" | "820000" | "830000")
            {
                return Err(shape_error(
                    "a residence permit number is 810000, 820000 or 830000, 11 digits and a check character",
                ));
            }
            check_date_and_mod11_2(number, today)
        }
        DocumentType::HkMacaoTravelPermit => {
            let digits = &number[1..];
            if !matches!(b[0], b'H' | b'M') || !(all_digits(digits, 8) || all_digits(digits, 10)) {
                return Err(shape_error(
                    "a travel permit number is H or M and 8 or 10 digits",
                ));
            }
            Ok(())
        }
        DocumentType::TaiwanTravelPermit => {
            if !(all_digits(number, 8) || all_digits(number, 10)) {
                return Err(shape_error(
                    "a Taiwan travel permit number is 8 or 10 digits",
                ));
            }
            Ok(())
        }
        DocumentType::ForeignPermanentResidenceId => {
            if number.len() == 15
                && b[..3].iter().all(u8::is_ascii_uppercase)
                && all_digits(&number[3..], 12)
            {
                if icao_check_digit(&number[..14]) != Some(b[14] - b'0') {
                    return Err(IdentError::new(
                        Code::IdNumberChecksum,
                        WHAT,
                        "check character is wrong",
                    ));
                }
                Ok(())
            } else if b[0] == b'9' && is_18_with_check(number) {
                // Characters 2–3: the province-level code of the accepting authority.
                if !is_province_prefix(&number[1..]) {
                    return Err(IdentError::new(
                        Code::IdNumberRegion,
                        WHAT,
                        "characters 2 and 3 are not a province-level code",
                    ));
                }
                check_date_and_mod11_2(number, today)
            } else {
                Err(shape_error(
                    "a permanent residence ID number is 3 letters and 12 digits, or 9 and 17 characters",
                ))
            }
        }
        DocumentType::Passport => {
            if number.len() > 17 {
                return Err(shape_error(
                    "a passport number is 5 to 17 digits or letters",
                ));
            }
            if issuing_country.is_none() {
                return Err(IdentError::new(
                    Code::SchemaRequired,
                    WHAT,
                    "a passport needs its issuing country",
                ));
            }
            Ok(())
        }
    }
}

/// An identity document: its type, number and (for passports, required) issuing country,
/// checked together. Personal data: `Debug` masks the number.
///
/// Wire form: `{ "type": …, "number": …, "issuingCountry": … }`, `issuingCountry` omitted when
/// absent; unknown fields are rejected.
///
/// | Type | Number | Checked by the schema | Checked only in Rust |
/// |---|---|---|---|
/// | `resident-id-card` (GB 11643) | 17 digits + check character | province prefix, date-shaped digits 7–14 from 1850 | real date, 1850-01-01 ≤ date ≤ today, MOD 11-2 check |
/// | `hmt-residence-permit` | `810000`/`820000`/`830000` + 11 digits + check character | prefix, date-shaped digits from 1850 | real date, 1850-01-01 ≤ date ≤ today, MOD 11-2 check |
/// | `hk-macao-travel-permit` | `H` or `M` + 8 or 10 digits | all | — |
/// | `taiwan-travel-permit` | 8 or 10 digits | all | — |
/// | `foreign-permanent-residence-id` | 2017: 3 letters + 12 digits; 2023: `9`, province (2), nationality (3), birth date (8), sequence (2), sex digit, check character | shape; 2023: province-level code in 2–3, date-shaped digits 7–14 from 1850 | ICAO 9303 7-3-1 check (2017); real date, 1850-01-01 ≤ date ≤ today and MOD 11-2 check (2023) |
///
/// The three GB 11643-structured numbers (resident ID, residence permit, 2023 permanent
/// residence ID) carry a birth date and a sex digit (the 17th: odd male, even female):
/// [`IdDocument::birth_date`] and [`IdDocument::gender`] give them, and a person's `birthDate`
/// and `gender` must agree with them.
/// | `passport` | 5–17 digits or letters | all, including the required `issuingCountry` | — |
///
/// Error codes: wrong shape [`Code::SchemaPattern`]; resident ID or 2023 permanent residence ID
/// not under a province [`Code::IdNumberRegion`]; bad birth date [`Code::IdNumberBirthdate`]; wrong check character
/// [`Code::IdNumberChecksum`]; passport without country [`Code::SchemaRequired`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdDocument {
    doc_type: DocumentType,
    number: DocumentNumber,
    issuing_country: Option<CountryCode>,
}

impl IdDocument {
    /// Checks `number` against the rules of `doc_type`. The birth date inside it must be a real
    /// calendar date from 1850 to 2099 (the years the schema's pattern allows); whether it lies
    /// in the future depends on "now", so that is a rule of the validator
    /// (`id-number.birthdate`), not of the type.
    pub fn new(
        doc_type: DocumentType,
        number: DocumentNumber,
        issuing_country: Option<CountryCode>,
    ) -> Result<Self, IdentError> {
        Self::new_at(doc_type, number, issuing_country, NaiveDate::MAX)
    }

    /// [`IdDocument::new`] as of the date `today`, for deterministic validation.
    pub(crate) fn new_at(
        doc_type: DocumentType,
        number: DocumentNumber,
        issuing_country: Option<CountryCode>,
        today: NaiveDate,
    ) -> Result<Self, IdentError> {
        check_number(doc_type, number.as_str(), issuing_country, today)?;
        Ok(IdDocument {
            doc_type,
            number,
            issuing_country,
        })
    }

    /// The document type.
    pub fn doc_type(&self) -> DocumentType {
        self.doc_type
    }

    /// The document number.
    pub fn number(&self) -> &DocumentNumber {
        &self.number
    }

    /// The issuing country, if given (always given for passports).
    pub fn issuing_country(&self) -> Option<CountryCode> {
        self.issuing_country
    }

    /// Whether the number carries a GB 11643-style birth date and sequence number: resident ID
    /// cards, residence permits and 2023-form permanent residence IDs.
    fn has_birth_date(&self) -> bool {
        match self.doc_type {
            DocumentType::ResidentIdCard | DocumentType::HmtResidencePermit => true,
            DocumentType::ForeignPermanentResidenceId => self.number.as_str().len() == 18,
            _ => false,
        }
    }

    /// The birth date encoded in the number (digits 7–14), for resident ID cards, residence
    /// permits and 2023-form permanent residence IDs; `None` for other documents.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        if !self.has_birth_date() {
            return None;
        }
        date_of_digits(&self.number.as_str()[6..14])
    }

    /// The gender encoded in the number (17th digit odd: male, even: female), for the same
    /// documents as [`IdDocument::birth_date`]; `None` for other documents.
    pub fn gender(&self) -> Option<Gender> {
        if !self.has_birth_date() {
            return None;
        }
        let digit = self.number.as_str().as_bytes()[16];
        Some(if (digit - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        })
    }

    /// `"{type}:{number}"`, e.g. `"resident-id-card:11010519491231002X"`: the input of keyed
    /// digests. Personal data.
    pub fn normalized(&self) -> String {
        format!("{}:{}", self.doc_type, self.number)
    }
}

impl fmt::Debug for IdDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdDocument")
            .field("doc_type", &self.doc_type)
            .field("number", &self.number)
            .field("issuing_country", &self.issuing_country)
            .finish()
    }
}

impl Serialize for IdDocument {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = 2 + usize::from(self.issuing_country.is_some());
        let mut s = serializer.serialize_struct("IdDocument", len)?;
        s.serialize_field("type", &self.doc_type)?;
        s.serialize_field("number", &self.number)?;
        match &self.issuing_country {
            Some(country) => s.serialize_field("issuingCountry", country)?,
            None => s.skip_field("issuingCountry")?,
        }
        s.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Raw {
    #[serde(rename = "type")]
    doc_type: DocumentType,
    number: DocumentNumber,
    #[serde(default, deserialize_with = "present_country")]
    issuing_country: Option<CountryCode>,
}

/// `issuingCountry` is either absent or a country code; `null` is rejected, as by the schema.
fn present_country<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CountryCode>, D::Error> {
    CountryCode::deserialize(d).map(Some)
}

impl<'de> Deserialize<'de> for IdDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Raw::deserialize(deserializer)?;
        IdDocument::new(raw.doc_type, raw.number, raw.issuing_country)
            .map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for IdDocument {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "IdDocument".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let per_type: Vec<serde_json::Value> = DocumentType::ALL
            .iter()
            .map(|&t| {
                serde_json::json!({
                    "if": {
                        "properties": { "type": { "const": t.as_str() } },
                        "required": ["type"],
                    },
                    "then": {
                        // `type` repeated so that ajv's strict mode (strictTypes) compiles the branch.
                        "properties": { "number": { "type": "string", "pattern": number_pattern(t) } },
                    },
                })
            })
            .collect();
        schemars::json_schema!({
            "type": "object",
            "description": "An identity document: type, number and issuing country (required for passports). / 身份证件：证件类型、号码及签发国家或地区（护照必填）。",
            "properties": {
                "type": generator.subschema_for::<DocumentType>(),
                "number": generator.subschema_for::<DocumentNumber>(),
                "issuingCountry": generator.subschema_for::<CountryCode>(),
            },
            "required": ["type", "number"],
            "additionalProperties": false,
            "if": {
                "properties": { "type": { "const": "passport" } },
                "required": ["type"],
            },
            "then": { "required": ["issuingCountry"] },
            "allOf": per_type,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::test_support::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 30).expect("date")
    }

    fn doc(t: DocumentType, n: &str, c: Option<&str>) -> Result<IdDocument, IdentError> {
        let number = DocumentNumber::try_from(n)?;
        let country = c.map(CountryCode::try_from).transpose()?;
        IdDocument::new_at(t, number, country, today())
    }

    fn code(t: DocumentType, n: &str, c: Option<&str>) -> Option<Code> {
        doc(t, n, c).err().map(|e| e.code())
    }

    fn json_of(t: DocumentType, n: &str, c: Option<&str>) -> serde_json::Value {
        match c {
            Some(c) => json!({ "type": t.as_str(), "number": n, "issuingCountry": c }),
            None => json!({ "type": t.as_str(), "number": n }),
        }
    }

    /// Valid in Rust, so must be valid against the schema too.
    fn assert_valid(t: DocumentType, n: &str, c: Option<&str>) -> IdDocument {
        let d = doc(t, n, c).unwrap_or_else(|e| panic!("{t} {n}: {e}"));
        assert!(
            schema_accepts::<IdDocument>(&json_of(t, n, c)),
            "schema rejects {t} {n}"
        );
        d
    }

    use DocumentType::*;

    #[test]
    fn check_char_algorithms() {
        assert_eq!(mod11_2_check_char("11010519491231002"), Some('X'));
        assert_eq!(mod11_2_check_char("44052418800101001"), Some('4'));
        assert_eq!(mod11_2_check_char("4405241880010100"), None);
        assert_eq!(mod11_2_check_char("4405241880010100A"), None);
        assert_eq!(icao_check_digit("USA11006200123"), Some(8));
        assert_eq!(icao_check_digit("L898902C<"), None);
        // ICAO 9303 part 3 specimen: document number L898902C3, check digit 6.
        assert_eq!(icao_check_digit("L898902C3"), Some(6));
    }

    #[test]
    fn resident_id_card() {
        let d = assert_valid(ResidentIdCard, "11010519491231002X", None);
        assert_eq!(d.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31));
        assert_eq!(d.gender(), Some(Gender::Female));
        assert_eq!(d.normalized(), "resident-id-card:11010519491231002X");
        // The GB 11643 example: born in 1880, male.
        let d = assert_valid(ResidentIdCard, "440524188001010014", None);
        assert_eq!(d.birth_date(), NaiveDate::from_ymd_opt(1880, 1, 1));
        assert_eq!(d.gender(), Some(Gender::Male));
        // Leap day; Xinjiang Production and Construction Corps; with a country (allowed).
        assert_valid(ResidentIdCard, "110105200002290013", None);
        assert_valid(ResidentIdCard, "659001198506150025", None);
        assert_valid(ResidentIdCard, "11010519491231002X", Some("CHN"));

        assert_eq!(
            code(ResidentIdCard, "110105194912310021", None),
            Some(Code::IdNumberChecksum)
        );
        assert_eq!(
            code(ResidentIdCard, "440524188001010013", None),
            Some(Code::IdNumberChecksum)
        );
        assert_eq!(
            code(ResidentIdCard, "110105190002290017", None),
            Some(Code::IdNumberBirthdate)
        );
        assert_eq!(
            code(ResidentIdCard, "110105194913310021", None),
            Some(Code::IdNumberBirthdate)
        );
        assert_eq!(
            code(ResidentIdCard, "110105179912310021", None),
            Some(Code::IdNumberBirthdate)
        );
        // Born tomorrow: a future date (check character right: birth date is checked first).
        let tomorrow = "11010520250701001";
        let n = format!(
            "{tomorrow}{}",
            mod11_2_check_char(tomorrow).expect("17 digits")
        );
        assert_eq!(
            code(ResidentIdCard, &n, None),
            Some(Code::IdNumberBirthdate)
        );
        // The schema's pattern allows years up to 2099: so does the type, whatever "today".
        let last_day = "11010520991231001";
        let n = format!(
            "{last_day}{}",
            mod11_2_check_char(last_day).expect("17 digits")
        );
        assert!(IdDocument::new(ResidentIdCard, n.parse().expect("shape"), None).is_ok());
        assert!(schema_accepts::<IdDocument>(&json_of(
            ResidentIdCard,
            &n,
            None
        )));
        for later in ["11010521000101001", "11010560091231001"] {
            let n = format!("{later}{}", mod11_2_check_char(later).expect("17 digits"));
            let refused = IdDocument::new(ResidentIdCard, n.parse().expect("shape"), None);
            assert_eq!(
                refused.err().map(|e| e.code()),
                Some(Code::IdNumberBirthdate)
            );
            assert!(!schema_accepts::<IdDocument>(&json_of(
                ResidentIdCard,
                &n,
                None
            )));
        }
        let born_today = "11010520250630001";
        let n = format!(
            "{born_today}{}",
            mod11_2_check_char(born_today).expect("17 digits")
        );
        assert_valid(ResidentIdCard, &n, None);
        assert_eq!(
            code(ResidentIdCard, "991105194912310021", None),
            Some(Code::IdNumberRegion)
        );
        assert_eq!(
            code(ResidentIdCard, "10010519491231002X", None),
            Some(Code::IdNumberRegion)
        );
        assert_eq!(
            code(ResidentIdCard, "1101051949123100XX", None),
            Some(Code::SchemaPattern)
        );
        assert_eq!(
            code(ResidentIdCard, "110105491231002", None),
            Some(Code::SchemaPattern)
        );
        assert!(!schema_accepts::<IdDocument>(&json_of(
            ResidentIdCard,
            "110105491231002",
            None
        )));
        assert!(!schema_accepts::<IdDocument>(&json_of(
            ResidentIdCard,
            "99010519491231002X",
            None
        )));
    }

    /// `first17` with its MOD 11-2 check character.
    fn with_check(first17: &str) -> String {
        format!(
            "{first17}{}",
            mod11_2_check_char(first17).expect("17 digits")
        )
    }

    /// The 1850 floor bounds the birth date of all three GB 11643-structured numbers, in Rust
    /// and in the schema.
    #[test]
    fn birth_dates_from_1850() {
        for (t, prefix) in [
            (ResidentIdCard, "110105"),
            (HmtResidencePermit, "810000"),
            (ForeignPermanentResidenceId, "931156"),
        ] {
            let first = with_check(&format!("{prefix}18500101003"));
            let d = assert_valid(t, &first, None);
            assert_eq!(d.birth_date(), NaiveDate::from_ymd_opt(1850, 1, 1));
            assert_eq!(d.gender(), Some(Gender::Male));
            let before = with_check(&format!("{prefix}18491231004"));
            assert_eq!(code(t, &before, None), Some(Code::IdNumberBirthdate), "{t}");
            assert!(!schema_accepts::<IdDocument>(&json_of(t, &before, None)));
        }
    }

    #[test]
    fn hmt_residence_permit() {
        let d = assert_valid(HmtResidencePermit, "810000199408230021", None);
        assert_eq!(d.birth_date(), NaiveDate::from_ymd_opt(1994, 8, 23));
        assert_eq!(d.gender(), Some(Gender::Female));
        assert_valid(HmtResidencePermit, "820000200002290013", None);
        assert_valid(HmtResidencePermit, "830000198001010034", None);
        assert_eq!(
            code(HmtResidencePermit, "810000199408230022", None),
            Some(Code::IdNumberChecksum)
        );
        assert_eq!(
            code(HmtResidencePermit, "840000199408230021", None),
            Some(Code::SchemaPattern)
        );
        assert_eq!(
            code(HmtResidencePermit, "11010519491231002X", None),
            Some(Code::SchemaPattern)
        );
        assert_eq!(
            code(HmtResidencePermit, "810000199402300021", None),
            Some(Code::IdNumberBirthdate)
        );
        assert!(!schema_accepts::<IdDocument>(&json_of(
            HmtResidencePermit,
            "840000199408230021",
            None
        )));
    }

    #[test]
    fn travel_permits() {
        let d = assert_valid(HkMacaoTravelPermit, "H12345678", None);
        assert_eq!(d.birth_date(), None);
        assert_eq!(d.gender(), None);
        assert_valid(HkMacaoTravelPermit, "M1234567890", None);
        for bad in ["C12345678", "H1234567", "H123456789", "12345678"] {
            assert_eq!(
                code(HkMacaoTravelPermit, bad, None),
                Some(Code::SchemaPattern),
                "{bad}"
            );
            assert!(!schema_accepts::<IdDocument>(&json_of(
                HkMacaoTravelPermit,
                bad,
                None
            )));
        }
        assert_valid(TaiwanTravelPermit, "12345678", None);
        assert_valid(TaiwanTravelPermit, "1234567890", None);
        for bad in ["123456789", "T1234567", "12345678901"] {
            assert_eq!(
                code(TaiwanTravelPermit, bad, None),
                Some(Code::SchemaPattern),
                "{bad}"
            );
            assert!(!schema_accepts::<IdDocument>(&json_of(
                TaiwanTravelPermit,
                bad,
                None
            )));
        }
    }

    #[test]
    fn foreign_permanent_residence_id() {
        let d = assert_valid(ForeignPermanentResidenceId, "USA110062001238", None);
        assert_eq!(d.birth_date(), None);
        assert_valid(ForeignPermanentResidenceId, "GBR320185100170", None);
        assert_eq!(
            code(ForeignPermanentResidenceId, "USA110062001239", None),
            Some(Code::IdNumberChecksum)
        );
        // Characters 2–3 of the 2023 form are a province-level code.
        let outside = with_check("99915619900101001");
        assert_eq!(
            code(ForeignPermanentResidenceId, &outside, None),
            Some(Code::IdNumberRegion)
        );
        assert!(!schema_accepts::<IdDocument>(&json_of(
            ForeignPermanentResidenceId,
            &outside,
            None
        )));
        let female = assert_valid(
            ForeignPermanentResidenceId,
            &with_check("94484019880517002"),
            None,
        );
        assert_eq!(female.gender(), Some(Gender::Female));
        let d = assert_valid(ForeignPermanentResidenceId, "931156199001010014", None);
        assert_eq!(d.birth_date(), NaiveDate::from_ymd_opt(1990, 1, 1));
        assert_eq!(d.gender(), Some(Gender::Male));
        assert_valid(
            ForeignPermanentResidenceId,
            "931156199001010014",
            Some("USA"),
        );
        assert_eq!(
            code(ForeignPermanentResidenceId, "931156199001010015", None),
            Some(Code::IdNumberChecksum)
        );
        for bad in [
            "US1110062001238",
            "USA11006200123",
            "831156199001010014",
            "9311561990010100A4",
        ] {
            assert_eq!(
                code(ForeignPermanentResidenceId, bad, None),
                Some(Code::SchemaPattern),
                "{bad}"
            );
            assert!(!schema_accepts::<IdDocument>(&json_of(
                ForeignPermanentResidenceId,
                bad,
                None
            )));
        }
    }

    #[test]
    fn passport_needs_country() {
        let d = assert_valid(Passport, "E12345678", Some("CHN"));
        assert_eq!(d.issuing_country().map(|c| c.as_str()), Some("CHN"));
        assert_eq!(
            code(Passport, "E12345678", None),
            Some(Code::SchemaRequired)
        );
        assert!(!schema_accepts::<IdDocument>(&json_of(
            Passport,
            "E12345678",
            None
        )));
        assert_eq!(
            code(Passport, "123456789012345678", Some("USA")),
            Some(Code::SchemaPattern)
        );
        assert!(!schema_accepts::<IdDocument>(&json_of(
            Passport,
            "123456789012345678",
            Some("USA")
        )));
    }

    #[test]
    fn serde_and_debug() {
        let d: IdDocument =
            serde_json::from_str(r#"{"type":"resident-id-card","number":"11010519491231002X"}"#)
                .expect("valid");
        assert_eq!(
            serde_json::to_string(&d).expect("serializes"),
            r#"{"type":"resident-id-card","number":"11010519491231002X"}"#
        );
        let debug = format!("{d:?}");
        assert!(!debug.contains("19491231"), "{debug}");
        assert!(debug.contains("110*************2X"), "{debug}");

        let p: IdDocument = serde_json::from_str(
            r#"{"type":"passport","number":"E12345678","issuingCountry":"CHN"}"#,
        )
        .expect("valid");
        assert_eq!(
            serde_json::to_string(&p).expect("serializes"),
            r#"{"type":"passport","number":"E12345678","issuingCountry":"CHN"}"#
        );
        for (bad, schema_rejects) in [
            (r#"{"type":"passport","number":"E12345678"}"#, true),
            // A wrong check character: only Rust can tell.
            (
                r#"{"type":"resident-id-card","number":"110105194912310021"}"#,
                false,
            ),
            (
                r#"{"type":"resident-id-card","number":"11010519491231002X","extra":1}"#,
                true,
            ),
            (r#"{"type":"resident-id-card"}"#, true),
            (
                r#"{"type":"passport","number":"E12345678","issuingCountry":null}"#,
                true,
            ),
            (
                r#"{"type":"passport","number":"E12345678","issuingCountry":"chn"}"#,
                true,
            ),
        ] {
            let value: serde_json::Value = serde_json::from_str(bad).expect("json");
            assert_eq!(
                !schema_accepts::<IdDocument>(&value),
                schema_rejects,
                "{bad}"
            );
            let err = serde_json::from_str::<IdDocument>(bad).expect_err(bad);
            assert!(!err.to_string().contains("194912"), "{err}");
        }
    }

    #[test]
    fn schema_literal_patterns() {
        assert_eq!(
            number_pattern(ResidentIdCard),
            "^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|81|82)[0-9]{4}(18[5-9][0-9]|19[0-9]{2}|20[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]$"
        );
        let schema = schema_of::<IdDocument>();
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(
            schema["properties"]["number"]["pattern"],
            "^[0-9A-Z]{5,18}$"
        );
        assert_eq!(
            schema["allOf"].as_array().map(Vec::len),
            Some(DocumentType::ALL.len())
        );
    }

    /// Every number Rust accepts matches the schema: all province prefixes, many dates, both
    /// genders, every check character.
    #[test]
    fn rust_valid_implies_schema_valid() {
        let validator = jsonschema::validator_for(&schema_of::<IdDocument>()).expect("compiles");
        let mut checked = 0;
        for prefix in (10..=99u32).map(|p| format!("{p}0105")).chain([
            "810000".into(),
            "830000".into(),
            "931156".into(),
            "982840".into(),
        ]) {
            for date in [
                "18500101", "18991231", "19000228", "19491001", "20000229", "20250630", "20250701",
            ] {
                for seq in ["001", "002", "117", "990"] {
                    let first17 = format!("{prefix}{date}{seq}");
                    let n = format!("{first17}{}", mod11_2_check_char(&first17).expect("digits"));
                    for t in [
                        ResidentIdCard,
                        HmtResidencePermit,
                        ForeignPermanentResidenceId,
                    ] {
                        if doc(t, &n, None).is_ok() {
                            checked += 1;
                            assert!(validator.is_valid(&json_of(t, &n, None)), "{t} {n}");
                        }
                    }
                }
            }
        }
        assert!(checked > 800, "{checked}");
    }
}
