//! The profile format as data for the reference site. Defaults are read from
//! [`Profile::default`], so the page cannot state a default the code does not have.

use dsti::validate::Profile;

/// One key of a profile file.
pub(crate) struct Key {
    pub(crate) name: &'static str,
    pub(crate) ty: &'static str,
    pub(crate) en: &'static str,
    pub(crate) zh: &'static str,
}

/// Every key, in the order of the design.
pub(crate) const KEYS: &[Key] = &[
    Key { name: "profile", ty: "string", en: "The profile's name, shown in every report. Required.", zh: "配置文件名称，显示在每份报告中。必填。" },
    Key { name: "minutesPerClassHour", ty: "integer 1–240", en: "Minutes in one class hour (学时), for completion.hours-implausible in 1.0 and 2.0.", zh: "每学时的分钟数，用于 1.0 和 2.0 的 completion.hours-implausible。" },
    Key { name: "preJobMinimumClassHours", ty: "object: service category → number ≥ 0", en: "Minimum class hours of a pre-job course per service category (training.pre-job-minimum). The national policy leaves the numbers to localities.", zh: "各服务类别岗前培训的最低学时（training.pre-job-minimum）；国家政策将具体数值交由地方确定。" },
    Key { name: "retrainingIntervalMonths", ty: "integer 1–120", en: "Months after which a worker is due for retraining.", zh: "从业人员需要复训的间隔月数。" },
    Key { name: "dailyStudyCapMinutes", ty: "integer 1–1440", en: "Most study minutes a platform may credit per day (training.daily-cap). Default: no cap.", zh: "平台每天最多可计入的学习分钟数（training.daily-cap）。默认不设上限。" },
    Key { name: "usccAllowList", ty: "array of 18-character credit codes", en: "Credit codes legally issued in early pilots that fail the check character or the position rules; admitted in 1.0 and 2.0 records.", zh: "早期试点中合法颁发但校验码或位置规则不通过的统一社会信用代码；在 1.0 和 2.0 记录中均予接受。" },
];

/// The design's example profile.
pub(crate) const EXAMPLE: &str = Profile::EXAMPLE;

/// The default of a key as JSON text; `None` for `profile`, which has none.
pub(crate) fn default_of(name: &str) -> Option<String> {
    if name == "profile" {
        return None;
    }
    let defaults = serde_json::to_value(Profile::default()).ok()?;
    Some(
        defaults
            .get(name)
            .map_or_else(|| "null".to_owned(), serde_json::Value::to_string),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_key_of_the_profile() {
        let defaults = serde_json::to_value(Profile::default()).expect("serializes");
        let listed: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        for key in defaults.as_object().expect("object").keys() {
            assert!(listed.contains(&key.as_str()), "{key} is not documented");
        }
        assert!(Profile::from_json(EXAMPLE).is_ok());
        // Every documented key is accepted by the parser.
        for k in KEYS {
            assert!(EXAMPLE.contains(&format!("\"{}\"", k.name)), "{}", k.name);
        }
    }
}
