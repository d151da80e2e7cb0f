//! Version 1.0 of the standard: the first, flat edition (DESIGN §4).

use serde_json::Value;

use crate::validate::{Finding, Lang};
use crate::{Code, Kind};

/// Validate a 1.0 record given as a JSON value.
pub(crate) fn validate_value(_kind: Kind, _value: &Value, lang: Lang) -> Vec<Finding> {
    vec![Finding::new(
        Code::RecordVersion,
        "/schemaVersion",
        lang.pick(
            "version 1.0 records are not validated yet",
            "暂不支持校验 1.0 版记录",
        ),
    )]
}
