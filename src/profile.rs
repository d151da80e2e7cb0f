//! Profiles: the numbers of the rules that differ by jurisdiction.
//! `dsti::validate` re-exports them; they apply to every edition's rules alike.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ident::Uscc;
use crate::ident::{Decimal, ServiceCategory};

/// A jurisdiction's profile: a small JSON file that a province publishes.
///
/// Every key is optional except `profile`; an unknown key or a wrong type is an error, never a
/// silent default.
///
/// ```
/// let p = dsti::validate::Profile::from_json(r#"{"profile":"gd-2026","minutesPerClassHour":40}"#)?;
/// assert_eq!(p.minutes_per_class_hour, 40);
/// assert_eq!(p.retraining_interval_months, 24);
/// # Ok::<(), dsti::validate::ProfileError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Profile {
    /// The profile's name, shown in every report.
    pub profile: String,
    /// Minutes in one class hour (学时). Default 45.
    #[serde(default = "default_minutes_per_class_hour")]
    pub minutes_per_class_hour: u32,
    /// Minimum class hours of a pre-job course, per service category. Default: none.
    #[serde(default)]
    pub pre_job_minimum_class_hours: BTreeMap<ServiceCategory, Decimal>,
    /// Months after which a worker is due for retraining. Default 24. Published with the
    /// profile for the systems that schedule retraining; no single-record rule depends on it.
    #[serde(default = "default_retraining_interval_months")]
    pub retraining_interval_months: u32,
    /// Most study minutes a platform may credit per day. Default: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_study_cap_minutes: Option<u32>,
    /// Credit codes legally issued in early pilots that fail the check character.
    #[serde(default)]
    pub uscc_allow_list: BTreeSet<Uscc>,
}

fn default_minutes_per_class_hour() -> u32 {
    45
}

fn default_retraining_interval_months() -> u32 {
    24
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            profile: "default".to_owned(),
            minutes_per_class_hour: default_minutes_per_class_hour(),
            pre_job_minimum_class_hours: BTreeMap::new(),
            retraining_interval_months: default_retraining_interval_months(),
            daily_study_cap_minutes: None,
            uscc_allow_list: BTreeSet::new(),
        }
    }
}

/// A profile that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The file could not be read.
    #[error("cannot read the profile: {0}")]
    Io(#[from] std::io::Error),
    /// The JSON is malformed, has an unknown key or a value of the wrong type.
    #[error("invalid profile: {0}")]
    Invalid(String),
}

impl Profile {
    /// The example profile of the standard.
    pub const EXAMPLE: &'static str = r#"{
  "profile": "gd-2026",
  "minutesPerClassHour": 45,
  "preJobMinimumClassHours": { "maternity-care": 60, "elderly-care": 40 },
  "retrainingIntervalMonths": 24,
  "dailyStudyCapMinutes": 480,
  "usccAllowList": ["91350100M0001TGQXM"]
}"#;

    /// Parse a profile from JSON text.
    pub fn from_json(text: &str) -> Result<Profile, ProfileError> {
        let profile: Profile =
            serde_json::from_str(text).map_err(|e| ProfileError::Invalid(e.to_string()))?;
        // The ranges the standard allows; outside is an error, never a silent default.
        let ranges = [
            (
                "minutesPerClassHour",
                Some(profile.minutes_per_class_hour),
                1..=240,
            ),
            (
                "retrainingIntervalMonths",
                Some(profile.retraining_interval_months),
                1..=120,
            ),
            (
                "dailyStudyCapMinutes",
                profile.daily_study_cap_minutes,
                1..=1440,
            ),
        ];
        for (key, value, range) in ranges {
            if value.is_some_and(|v| !range.contains(&v)) {
                return Err(ProfileError::Invalid(format!(
                    "{key} must be an integer from {} to {}",
                    range.start(),
                    range.end()
                )));
            }
        }
        if profile.profile.trim().is_empty() {
            return Err(ProfileError::Invalid("profile needs a name".to_owned()));
        }
        Ok(profile)
    }

    /// Read a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        Profile::from_json(&std::fs::read_to_string(path)?)
    }

    /// The minimum class hours of a pre-job course in `category`, if the profile sets one.
    pub fn pre_job_minimum(&self, category: ServiceCategory) -> Option<Decimal> {
        self.pre_job_minimum_class_hours.get(&category).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_example_loads() {
        let p = Profile::from_json(Profile::EXAMPLE).expect("valid profile");
        assert_eq!(p.profile, "gd-2026");
        assert_eq!(
            p.pre_job_minimum(ServiceCategory::MaternityCare),
            Decimal::new(60.0).ok()
        );
        assert_eq!(p.daily_study_cap_minutes, Some(480));
        assert_eq!(p.uscc_allow_list.len(), 1);
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors() {
        for bad in [
            r#"{"profile":"x","minutesPerHour":45}"#,
            r#"{"profile":"x","minutesPerClassHour":"45"}"#,
            r#"{"minutesPerClassHour":45}"#,
            r#"{"profile":"x","preJobMinimumClassHours":{"gardening":10}}"#,
            r#"{"profile":"x","minutesPerClassHour":0}"#,
            r#"{"profile":"x","minutesPerClassHour":241}"#,
            r#"{"profile":"x","minutesPerClassHour":45.5}"#,
            r#"{"profile":"x","preJobMinimumClassHours":{"maternity-care":-1}}"#,
            r#"{"profile":"x","preJobMinimumClassHours":[60]}"#,
            r#"{"profile":"x","retrainingIntervalMonths":0}"#,
            r#"{"profile":"x","retrainingIntervalMonths":121}"#,
            r#"{"profile":"x","dailyStudyCapMinutes":0}"#,
            r#"{"profile":"x","dailyStudyCapMinutes":1441}"#,
            r#"{"profile":"x","usccAllowList":"91350100M0001TGQXM"}"#,
            r#"{"profile":"x","usccAllowList":["91350100M0001TGQX"]}"#,
            "not json",
        ] {
            assert!(
                matches!(Profile::from_json(bad), Err(ProfileError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_edges_of_the_ranges_load() {
        let p = Profile::from_json(
            r#"{"profile":"x","minutesPerClassHour":240,"retrainingIntervalMonths":120,"dailyStudyCapMinutes":1440}"#,
        )
        .expect("valid profile");
        assert_eq!(p.minutes_per_class_hour, 240);
        let p = Profile::from_json(
            r#"{"profile":"x","minutesPerClassHour":1,"retrainingIntervalMonths":1,"dailyStudyCapMinutes":1}"#,
        )
        .expect("valid profile");
        assert_eq!(p.daily_study_cap_minutes, Some(1));
    }
}
