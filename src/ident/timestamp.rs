//! Points in time with an offset.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat};
use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::ident::date::is_date_shaped;
use crate::ident::IdentError;
use crate::Code;

/// The grammar of timestamps, `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`: upper-case
/// `T` and `Z`, hours 00–23, minutes 00–59, and seconds 00–59: a leap second (`23:59:60`) is
/// refused, because validators disagree on it (ajv-formats accepts it, Python's
/// `rfc3339-validator` refuses it). The offset is required, its hours 00–23 and minutes 00–59.
/// Only the day of the month (30 April, 29 February) is left to `format` and Rust.
const PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";

fn format_error() -> IdentError {
    IdentError::new(
        Code::SchemaFormat,
        "timestamp",
        "must be an RFC 3339 date-time with an offset",
    )
}

/// The number of two ASCII digits, if they are.
fn two_digits(d: &[u8]) -> Option<u8> {
    match d {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Some((a - b'0') * 10 + (b - b'0')),
        _ => None,
    }
}

/// Whether two digits at `d` are a number in `range`.
fn in_range(d: &[u8], range: std::ops::RangeInclusive<u8>) -> bool {
    two_digits(d).is_some_and(|n| range.contains(&n))
}

/// Whether `s` matches [`PATTERN`].
fn is_timestamp_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20
        || !is_date_shaped(&b[..10])
        || !in_range(&b[5..7], 1..=12)
        || !in_range(&b[8..10], 1..=31)
        || b[10] != b'T'
        || !in_range(&b[11..13], 0..=23)
        || b[13] != b':'
        || !in_range(&b[14..16], 0..=59)
        || b[16] != b':'
        || !in_range(&b[17..19], 0..=59)
    {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&n) {
            return false;
        }
        i += 1 + n;
    }
    match &b[i..] {
        [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] => {
            matches!(sign, b'+' | b'-')
                && in_range(&[*h1, *h2], 0..=23)
                && in_range(&[*m1, *m2], 0..=59)
        }
        _ => false,
    }
}

/// A point in time as an RFC 3339 date-time that carries its offset, `Z` or `±hh:mm`
///, e.g. `2024-05-01T09:30:00+08:00`.
///
/// The grammar is `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`: upper-case
/// `T` and `Z`, seconds 00–59 (no leap second), one to nine fractional digits, and an offset,
/// always.
///
/// - Schema: `format: date-time` and the pattern
///   `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`
///   (no local times; no leap second, on which validators disagree).
/// - Rust only: that the day exists in its month (30 April, 29 February). Most JSON Schema
///   validators treat `format` as an annotation only.
///
/// The original text is kept, so serialization gives back the input byte for byte. Equality,
/// order and hashing are by instant: `2024-05-01T01:30:00Z` equals
/// `2024-05-01T09:30:00+08:00`. Failures are [`Code::SchemaFormat`].
#[derive(Debug, Clone)]
pub struct Timestamp {
    datetime: DateTime<FixedOffset>,
    text: String,
}

impl Timestamp {
    fn validate(s: &str) -> Result<Self, IdentError> {
        if !is_timestamp_shaped(s) {
            return Err(format_error());
        }
        let datetime = DateTime::parse_from_rfc3339(s).map_err(|_| format_error())?;
        Ok(Timestamp {
            datetime,
            text: s.to_owned(),
        })
    }

    /// The timestamp of `datetime`, written with as many fractional digits as needed (0, 3,
    /// 6 or 9) and a numeric offset (`+00:00` for UTC).
    ///
    /// Fails (with [`Code::SchemaFormat`]) only if RFC 3339 cannot write it exactly: a year
    /// outside 0000–9999, or an offset with seconds.
    pub fn from_datetime(datetime: DateTime<FixedOffset>) -> Result<Self, IdentError> {
        let t = Self::validate(&datetime.to_rfc3339_opts(SecondsFormat::AutoSi, false))?;
        if t.datetime != datetime || t.datetime.offset() != datetime.offset() {
            return Err(format_error());
        }
        Ok(t)
    }

    /// The present instant, written in `offset`: `Timestamp::now_in(FixedOffset::east_opt(8 *
    /// 3600)?)` for Beijing time (`2026-03-01T09:00:00.123+08:00`).
    ///
    /// Prefer this to formatting a local time by hand: a naive local time written with `Z` (or
    /// a UTC time written with `+08:00`) is eight hours off.
    pub fn now_in(offset: FixedOffset) -> Self {
        Timestamp::from(chrono::Utc::now().with_timezone(&offset))
    }

    /// The timestamp as it goes on the wire: the text it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The point in time, with the offset it was written with.
    pub fn datetime(&self) -> DateTime<FixedOffset> {
        self.datetime
    }
}

string_newtype!(Timestamp);

/// The same instant, written with the offset `datetime` has in its time zone: `+00:00` for
/// [`chrono::Utc`], the machine's offset for [`chrono::Local`], the offset itself for
/// [`FixedOffset`]; fractional seconds as needed (0, 3, 6 or 9 digits).
///
/// Never fails. Two corner cases RFC 3339 cannot write exactly are made writable, keeping the
/// instant where possible: an offset with seconds (local mean time before about 1900) is
/// written as UTC, and an instant before year 0000 or after year 9999 is clamped to
/// `0000-01-01T00:00:00Z` or `9999-12-31T23:59:59.999999999Z`. [`Timestamp::from_datetime`]
/// fails instead.
impl<Tz: chrono::TimeZone> From<DateTime<Tz>> for Timestamp {
    fn from(datetime: DateTime<Tz>) -> Self {
        let fixed = datetime.fixed_offset();
        if let Ok(t) = Timestamp::from_datetime(fixed) {
            return t;
        }
        let utc = fixed.with_timezone(&chrono::Utc);
        if let Ok(t) = Timestamp::from_datetime(utc.fixed_offset()) {
            return t;
        }
        let text = if utc.year() < 0 {
            "0000-01-01T00:00:00Z"
        } else {
            "9999-12-31T23:59:59.999999999Z"
        };
        // Both texts are valid timestamps; the fallback is the Unix epoch, never reached.
        Timestamp::validate(text).unwrap_or_else(|_| Timestamp {
            datetime: DateTime::UNIX_EPOCH.fixed_offset(),
            text: "1970-01-01T00:00:00Z".to_owned(),
        })
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.datetime == other.datetime
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.datetime.cmp(&other.datetime)
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.datetime.hash(state);
    }
}

impl JsonSchema for Timestamp {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            "pattern": PATTERN,
            "description": "RFC 3339 date-time with an offset: YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM), upper-case T and Z, seconds 00–59 (no leap second). / 带时区偏移的 RFC 3339 日期时间：YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)，T 与 Z 大写，秒为 00–59（不含闰秒）。",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_chrono_keeps_the_instant_and_the_offset() {
        use chrono::{TimeZone, Utc};
        let utc = Utc
            .with_ymd_and_hms(2026, 3, 1, 1, 0, 0)
            .single()
            .expect("date");
        let t = Timestamp::from(utc);
        assert_eq!(t.as_str(), "2026-03-01T01:00:00+00:00");
        let beijing = FixedOffset::east_opt(8 * 3600).expect("offset");
        let t8 = Timestamp::from(utc.with_timezone(&beijing));
        assert_eq!(t8.as_str(), "2026-03-01T09:00:00+08:00");
        assert_eq!(t, t8);
        assert_eq!(t8.datetime().offset(), &beijing);
        let local = Timestamp::from(utc.with_timezone(&chrono::Local));
        assert_eq!(local, t);
        let ms = Timestamp::from(utc + chrono::Duration::milliseconds(5));
        assert_eq!(ms.as_str(), "2026-03-01T01:00:00.005+00:00");
        // An offset with seconds cannot be written: the instant is kept, in UTC.
        let odd = FixedOffset::east_opt(8 * 3600 + 5 * 60 + 43).expect("offset");
        let t_odd = Timestamp::from(utc.with_timezone(&odd));
        assert_eq!(t_odd, t);
        assert!(t_odd.as_str().parse::<Timestamp>().is_ok());
        // Beyond year 9999: clamped, still a valid timestamp.
        let far = Utc
            .with_ymd_and_hms(12000, 1, 1, 0, 0, 0)
            .single()
            .expect("date");
        assert_eq!(
            Timestamp::from(far).as_str(),
            "9999-12-31T23:59:59.999999999Z"
        );
        let before = Utc
            .with_ymd_and_hms(-5, 1, 1, 0, 0, 0)
            .single()
            .expect("date");
        assert_eq!(Timestamp::from(before).as_str(), "0000-01-01T00:00:00Z");
    }

    #[test]
    fn now_in_writes_the_offset() {
        let beijing = FixedOffset::east_opt(8 * 3600).expect("offset");
        let before = chrono::Utc::now();
        let now = Timestamp::now_in(beijing);
        assert!(now.as_str().ends_with("+08:00"), "{}", now.as_str());
        let gap = now.datetime().with_timezone(&chrono::Utc) - before;
        assert!(gap >= chrono::Duration::zero() && gap < chrono::Duration::seconds(60));
    }
    use crate::ident::test_support::*;

    #[test]
    fn timestamps() {
        for ok in [
            "2024-05-01T09:30:00+08:00",
            "2024-05-01T01:30:00Z",
            "2024-02-29T23:59:59.123456789-05:30",
            "2024-05-01T01:30:00.5Z",
        ] {
            let t: Timestamp = ok.parse().expect(ok);
            assert_eq!(
                serde_json::to_string(&t).expect("serializes"),
                format!("\"{ok}\"")
            );
            assert!(schema_accepts_str::<Timestamp>(ok), "{ok}");
        }
        for bad in [
            "2024-05-01T09:30:00",
            "2024-05-01 09:30:00Z",
            "2024-05-01t09:30:00z",
            "2024-05-01T09:30Z",
            "2024-05-01T09:30:00.Z",
            "2024-05-01T09:30:00.1234567890Z",
            "2024-05-01T09:30:00+0800",
            "2024-05-01T09:30:00+08",
            "2023-02-29T09:30:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T09:60:00Z",
            "2016-12-31T23:59:60Z",
            "2024-05-01T09:30:00Z ",
            "2024-05-01T09:30:00+24:00",
            "2024-05-01T09:30:00+08:60",
            "2024-05-01T09:30:00z",
            "2024-05-01t09:30:00Z",
            "2024-04-31T09:30:00Z",
            "2024-05-01T09:30:00.123+08:00Z",
            "",
        ] {
            assert_eq!(
                Timestamp::try_from(bad).map_err(|e| e.code()),
                Err(Code::SchemaFormat),
                "{bad}"
            );
        }
        // The pattern says all of it but the day of the month.
        for bad in [
            "2024-05-01T24:00:00Z",
            "2024-05-01T09:60:00Z",
            "2016-12-31T23:59:60Z",
            "2024-05-01T09:30:00+24:00",
            "2024-13-01T09:30:00Z",
            "2024-05-01T09:30:00z",
        ] {
            assert!(!schema_accepts_str::<Timestamp>(bad), "{bad}");
        }
        for edge in [
            "2024-05-01T23:59:59.999999999-23:59",
            "2024-05-01T00:00:00+00:00",
        ] {
            assert!(edge.parse::<Timestamp>().is_ok(), "{edge}");
            assert!(schema_accepts_str::<Timestamp>(edge), "{edge}");
        }
    }

    /// The shape check alone is the timestamp grammar, calendar aside: it does
    /// not lean on chrono, which accepts some of these (and rejects others for its own
    /// reasons).
    #[test]
    fn the_shape_check_is_the_grammar() {
        for ok in [
            "2024-05-01T09:30:00+08:00",
            "2024-05-01T01:30:00Z",
            "2024-02-29T23:59:59.123456789-05:30",
            "2024-05-01T00:00:00.5+23:59",
            "2023-02-29T09:30:00Z", // shaped; the calendar refuses it later
        ] {
            assert!(is_timestamp_shaped(ok), "{ok}");
        }
        for bad in [
            "2024-05-01T09:30:00",
            "2024-05-01 09:30:00Z",
            "2024-05-01t09:30:00Z",
            "2024-05-01T09:30:00z",
            "2024-05-01T09:30Z",
            "2024-05-01T09:30:00.Z",
            "2024-05-01T09:30:00.1234567890Z",
            "2024-05-01T09:30:00+0800",
            "2024-05-01T09:30:00+08",
            "2024-00-01T09:30:00Z",
            "2024-13-01T09:30:00Z",
            "2024-05-00T09:30:00Z",
            "2024-05-32T09:30:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T09:60:00Z",
            "2016-12-31T23:59:60Z",
            "2024-05-01T09-30:00Z",
            "2024-05-01T09:30-00Z",
            "2024-05-01T09:30:00+24:00",
            "2024-05-01T09:30:00+08:60",
            "2024-05-01T09:30:00*08:00",
            "2024-05-01T0a:30:00Z",
            "2024-05-01T09:30:0aZ",
            "2024-05-01T09:30:00+0a:00",
            "2024-05-01T09:30:00Z ",
        ] {
            assert!(!is_timestamp_shaped(bad), "{bad}");
        }
        assert_eq!(two_digits(b"07"), Some(7));
        assert_eq!(two_digits(b"59"), Some(59));
        assert_eq!(two_digits(b"5a"), None);
        assert_eq!(two_digits(b"a5"), None);
        assert_eq!(two_digits(b"5"), None);
    }

    #[test]
    fn from_datetime_gives_back_the_instant_and_offset() {
        for text in ["2024-05-01T09:30:00+08:00", "2024-05-01T09:30:00.5-05:30"] {
            let dt = DateTime::parse_from_rfc3339(text).expect("valid");
            let t = Timestamp::from_datetime(dt).expect("writable");
            assert_eq!(t.datetime(), dt);
            assert_eq!(t.datetime().offset(), dt.offset());
        }
        // An offset with seconds has no RFC 3339 form.
        let odd = FixedOffset::east_opt(3601).expect("offset");
        let dt = DateTime::parse_from_rfc3339("2024-05-01T09:30:00Z")
            .expect("valid")
            .with_timezone(&odd);
        assert!(Timestamp::from_datetime(dt).is_err());
    }

    #[test]
    fn equality_by_instant() {
        let a: Timestamp = "2024-05-01T09:30:00+08:00".parse().expect("valid");
        let b: Timestamp = "2024-05-01T01:30:00Z".parse().expect("valid");
        let c: Timestamp = "2024-05-01T01:30:00.001Z".parse().expect("valid");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a.as_str(), b.as_str());
        assert!(b < c);
        let hash = |t: &Timestamp| {
            use std::hash::{DefaultHasher, Hash, Hasher};
            let mut h = DefaultHasher::new();
            t.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        assert_ne!(hash(&a), hash(&c));
        assert_eq!(a.datetime().offset().local_minus_utc(), 8 * 3600);
    }

    #[test]
    fn from_datetime() {
        let dt = DateTime::parse_from_rfc3339("2024-05-01T09:30:00.120+08:00").expect("valid");
        let t = Timestamp::from_datetime(dt).expect("writable");
        assert_eq!(t.as_str(), "2024-05-01T09:30:00.120+08:00");
        let utc = DateTime::parse_from_rfc3339("2024-05-01T01:30:00Z").expect("valid");
        assert_eq!(
            Timestamp::from_datetime(utc).map(|t| t.to_string()),
            Ok("2024-05-01T01:30:00+00:00".to_owned())
        );
        let odd = FixedOffset::east_opt(8 * 3600 + 7).expect("offset");
        assert!(Timestamp::from_datetime(utc.with_timezone(&odd)).is_err());
    }
}
