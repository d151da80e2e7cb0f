//! The rule context every edition's semantic rules run in, and the predicates the editions
//! share: one age in whole years, one hours-fit in seconds, one USCC
//! allow-list, one "today" and one "in the future".
//!
//! A [`RuleContext`] is built once per validator (or migration), never per record: "now" is
//! read from the clock at most once, so the same input gives the same verdict all run long.

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate};

use crate::ident::Uscc;
use crate::profile::Profile;
use crate::text::Lang;

/// How far in the future a timestamp may lie before it is `time.future` (clock skew).
pub(crate) const FUTURE_TOLERANCE_MINUTES: i64 = 5;

/// UTC+08:00, where the standard takes the date of an instant.
pub(crate) const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("+08:00 is a valid offset"),
};

/// What every rule of every edition sees: the jurisdiction's profile, "now" and the language
/// of messages.
///
/// ```
/// use dsti::rules::RuleContext;
/// use dsti::validate::{Lang, Profile};
/// let now = chrono::DateTime::parse_from_rfc3339("2026-03-01T09:00:00+08:00")?;
/// let ctx = RuleContext::new(Profile::default(), now, Lang::Zh);
/// assert_eq!(ctx.today().to_string(), "2026-03-01");
/// # Ok::<(), chrono::ParseError>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RuleContext {
    /// The jurisdiction's numbers.
    pub profile: Profile,
    /// "Now": the injected instant, or the clock read once.
    pub now: DateTime<FixedOffset>,
    /// The language of messages.
    pub lang: Lang,
    /// `now` as a date in +08:00, computed once.
    today: NaiveDate,
}

impl RuleContext {
    /// A context judging as of `now`.
    pub fn new(profile: Profile, now: DateTime<FixedOffset>, lang: Lang) -> Self {
        RuleContext {
            profile,
            now,
            lang,
            today: date_in_china(now),
        }
    }

    /// A context judging as of the clock, read now (once).
    pub fn at_clock(profile: Profile, lang: Lang) -> Self {
        RuleContext::new(profile, chrono::Utc::now().fixed_offset(), lang)
    }

    /// "Today": the date of `now` in +08:00.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Whether an instant lies later than "now" plus the clock-skew tolerance.
    pub(crate) fn instant_in_future(&self, at: DateTime<FixedOffset>) -> bool {
        at > self.now + chrono::Duration::minutes(FUTURE_TOLERANCE_MINUTES)
    }

    /// Whether a date lies after today (+08:00).
    pub(crate) fn date_in_future(&self, date: NaiveDate) -> bool {
        date > self.today
    }

    /// Whether an organization's credit code is on the profile's allow-list: a pilot code
    /// legally issued, admitted whatever its check character and positions.
    pub(crate) fn uscc_listed(&self, code: &Uscc) -> bool {
        self.profile.uscc_allow_list.contains(code)
    }

    /// The seconds `class_hours` of the profile's class hours take, rounded to whole seconds.
    pub(crate) fn required_seconds(&self, class_hours: f64) -> i64 {
        let seconds = class_hours * f64::from(self.profile.minutes_per_class_hour) * 60.0;
        // Class hours are bounded by their type; the float is far inside i64.
        seconds.round() as i64
    }
}

/// The date of an instant in +08:00, whatever offset it was written in.
pub(crate) fn date_in_china(at: DateTime<FixedOffset>) -> NaiveDate {
    at.with_timezone(&CHINA).date_naive()
}

/// Whole years from `birth` to `on` (the age on that day). A 29 February birthday falls on
/// 28 February in a common year.
pub(crate) fn age_in_years(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    let anniversary =
        birth.checked_add_months(Months::new(12 * u32::try_from(years.max(0)).unwrap_or(0)));
    if anniversary.is_some_and(|a| a > on) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Class hours rounded to hundredths of an hour, for comparing sums.
pub(crate) fn hundredths(hours: f64) -> i64 {
    (hours * 100.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_at_plus_eight() {
        let now = DateTime::parse_from_rfc3339("2026-02-28T16:30:00Z").expect("instant");
        let ctx = RuleContext::new(Profile::default(), now, Lang::En);
        assert_eq!(
            ctx.today(),
            NaiveDate::from_ymd_opt(2026, 3, 1).expect("date")
        );
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_in_years(d("2010-03-01"), d("2026-02-28")), 15);
        assert_eq!(age_in_years(d("2010-03-01"), d("2026-03-01")), 16);
        assert_eq!(age_in_years(d("2008-02-29"), d("2024-02-28")), 15);
        assert_eq!(age_in_years(d("2008-02-29"), d("2024-02-29")), 16);
        // A leap-day birthday is reached on 28 February of a common year.
        assert_eq!(age_in_years(d("2008-02-29"), d("2025-02-27")), 16);
        assert_eq!(age_in_years(d("2008-02-29"), d("2025-02-28")), 17);
        assert_eq!(age_in_years(d("2030-01-01"), d("2026-01-01")), 0);
    }

    #[test]
    fn dates_of_instants_are_taken_in_china() {
        let at = DateTime::parse_from_rfc3339("2026-02-28T20:00:00-05:00").expect("time");
        assert_eq!(date_in_china(at), d("2026-03-01"));
        let ctx = RuleContext::new(Profile::default(), at, Lang::En);
        assert!(!ctx.date_in_future(d("2026-03-01")));
        assert!(ctx.date_in_future(d("2026-03-02")));
    }

    #[test]
    fn sums_compare_in_hundredths() {
        assert_eq!(hundredths(0.1 + 0.2), hundredths(0.3));
        assert_ne!(hundredths(40.0), hundredths(40.01));
    }
}
