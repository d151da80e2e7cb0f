//! The validation codes of the standard, in one place.
//!
//! Codes are public API: a code is added, never renamed or removed. Every finding the
//! validator produces carries one of these, and the README lists them from this table.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Whether a finding makes a record invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record is acceptable; the finding is advice.
    Warning,
    /// The record is invalid.
    Error,
}

impl Severity {
    /// The wire name: `"error"` or `"warning"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $en:literal, $zh:literal; )*) => {
        /// A stable validation code. Serialized as its dotted name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order of the standard's table.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The dotted wire name, e.g. `"id-number.checksum"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity a finding with this code has unless a rule says otherwise.
            pub const fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// What the code means, in English.
            pub const fn summary_en(self) -> &'static str {
                match self { $( Code::$variant => $en, )* }
            }

            /// What the code means, in Chinese.
            pub const fn summary_zh(self) -> &'static str {
                match self { $( Code::$variant => $zh, )* }
            }
        }

        impl FromStr for Code {
            type Err = UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $name => Ok(Code::$variant), )*
                    _ => Err(UnknownCode),
                }
            }
        }
    };
}

codes! {
    /// The bytes are not JSON.
    JsonSyntax = "json.syntax", Error, "the record is not well-formed JSON", "记录不是合法的 JSON";
    /// The bytes are not UTF-8.
    JsonEncoding = "json.encoding", Error, "the record is not valid UTF-8", "记录不是合法的 UTF-8 编码";
    /// An object has the same key twice.
    JsonDuplicateKey = "json.duplicate-key", Error, "an object has the same key twice", "对象中出现重复的键";
    /// `kind` is missing or unknown.
    RecordKind = "record.kind", Error, "the record kind is missing or unknown", "记录类型缺失或未知";
    /// `schemaVersion` is missing or unknown.
    RecordVersion = "record.version", Error, "the schema version is missing or unknown", "标准版本缺失或未知";
    /// The record exceeds the size, depth or string-length limits.
    RecordLimit = "record.limit", Error, "the record exceeds a size, depth or length limit", "记录超出大小、嵌套深度或长度限制";
    /// A required field is missing.
    SchemaRequired = "schema.required", Error, "a required field is missing", "缺少必填字段";
    /// A value has the wrong JSON type.
    SchemaType = "schema.type", Error, "a value has the wrong type", "字段值类型错误";
    /// A value is not one of the allowed values.
    SchemaEnum = "schema.enum", Error, "a value is not one of the allowed values", "字段值不在允许的取值范围内";
    /// A string does not have the required shape.
    SchemaPattern = "schema.pattern", Error, "a value does not have the required form", "字段值格式不符合要求";
    /// A string is not of its format (date, date-time, uuid, uri).
    SchemaFormat = "schema.format", Error, "a value is not a valid date, time, identifier or address", "字段值不是合法的日期、时间、标识或地址";
    /// A field the standard does not define.
    SchemaAdditionalProperty = "schema.additional-property", Error, "a field that the standard does not define", "出现标准未定义的字段";
    /// A number is out of range.
    SchemaRange = "schema.range", Error, "a number is out of range", "数值超出允许范围";
    /// A string or array is too short or too long.
    SchemaLength = "schema.length", Error, "a text or list is too short or too long", "文本或列表长度不符合要求";
    /// An identity-document check character is wrong.
    IdNumberChecksum = "id-number.checksum", Error, "the document number's check character is wrong", "证件号码校验码错误";
    /// The birth date inside an ID number is not a real date, or in the future.
    IdNumberBirthdate = "id-number.birthdate", Error, "the birth date inside the ID number is not a real past date", "身份证号码中的出生日期无效";
    /// An ID number's first two digits are not a province-level code.
    IdNumberRegion = "id-number.region", Error, "the ID number does not start with a province-level code", "身份证号码前两位不是省级行政区划代码";
    /// The stated birth date disagrees with the ID number.
    PersonBirthdateMismatch = "person.birthdate-mismatch", Error, "the birth date disagrees with the ID number", "出生日期与身份证号码不一致";
    /// The stated gender disagrees with the ID number.
    PersonGenderMismatch = "person.gender-mismatch", Error, "the gender disagrees with the ID number", "性别与身份证号码不一致";
    /// The person is younger than 16 at verification.
    PersonAge = "person.age", Error, "the person is younger than 16 at verification", "实名核验时未满 16 周岁";
    /// A unified social credit code's check character is wrong.
    UsccChecksum = "uscc.checksum", Error, "the unified social credit code's check character is wrong", "统一社会信用代码校验码错误";
    /// A unified social credit code breaks the position rules: its first character is `0`, or
    /// characters 3–8 (the registering authority's region) are not digits.
    UsccFormat = "uscc.format", Error, "the unified social credit code breaks the position rules of GB 32100", "统一社会信用代码不符合 GB 32100 的位置规则";
    /// A region code is not GB/T 2260-shaped or names an unknown province.
    RegionUnknown = "region.unknown", Error, "the region code is not a GB/T 2260 code of a known province", "行政区划代码不是有效的 GB/T 2260 代码";
    /// An occupation code outside the shipped table.
    OccupationUnknown = "occupation.unknown", Warning, "the occupation code is not in the domestic-service table", "职业编码不在家政服务职业表中";
    /// Timestamps or dates out of order.
    TimeOrder = "time.order", Error, "dates or times are out of order", "日期或时间先后顺序错误";
    /// A timestamp in the future.
    TimeFuture = "time.future", Error, "a date or time lies in the future", "日期或时间晚于当前时间";
    /// Module class hours do not add up to the course's class hours.
    CourseHoursSum = "course.hours-sum", Error, "the modules' class hours do not add up to the course's", "各模块学时之和与课程学时不符";
    /// Ethics hours exceed class hours.
    CourseEthicsHours = "course.ethics-hours", Error, "ethics hours exceed class hours", "职业道德学时超过总学时";
    /// Fields that the completion status requires are missing.
    CompletionStatus = "completion.status", Error, "a field that the status requires is missing or not allowed", "学习状态与所需字段不一致";
    /// Score outside 0..maxScore, or `passed` disagrees with `passScore`.
    CompletionScore = "completion.score", Error, "the score is out of range or disagrees with the pass mark", "成绩超出范围或与合格线不一致";
    /// More face checks passed than were made.
    CompletionFaceChecks = "completion.face-checks", Error, "more face checks passed than were made", "人脸核验通过次数多于核验总次数";
    /// Class hours earned exceed the time between start and completion.
    CompletionHoursImplausible = "completion.hours-implausible", Error, "more class hours earned than time elapsed allows", "获得学时超过学习时段所能容纳的学时";
    /// Level missing where required or present where forbidden.
    CertificateLevel = "certificate.level", Error, "the level is missing where required or present where not allowed", "证书等级缺失或不应出现";
    /// Certificate number not of its type's shape, or disagreeing with level or issue date.
    CertificateNumber = "certificate.number", Error, "the certificate number does not fit its type, level or issue date", "证书编号与证书类型、等级或发证日期不符";
    /// Suspended or revoked without a reason.
    CertificateStatusReason = "certificate.status-reason", Error, "a suspended or revoked certificate needs a reason", "暂停或撤销的证书必须说明原因";
    /// A level the occupation does not have.
    CertificateLevelUnavailable = "certificate.level-unavailable", Warning, "the occupation has no such level", "该职业没有此等级";
    /// Two records of one upload share an id.
    BatchDuplicateId = "batch.duplicate-id", Error, "another record of this upload has the same id", "本次上传中另一条记录使用了相同的 id";
    /// A pre-job course below the profile's minimum class hours.
    TrainingPreJobMinimum = "training.pre-job-minimum", Error, "a pre-job course has fewer class hours than the profile's minimum", "岗前培训学时低于规定的最低学时";
    /// A completion studied more minutes per day than the profile's cap allows.
    TrainingDailyCap = "training.daily-cap", Warning, "more study minutes per day than the profile's cap", "日均学习时长超过规定上限";
    /// Class hours with more than two decimal places.
    NumberPrecision = "number.precision", Error, "class hours have more than two decimal places", "学时的小数位数超过两位";
    /// A competition grants a level its occupation does not have (2.1).
    CompetitionLevelUnavailable = "competition.level-unavailable", Warning, "the competition grants a level the occupation does not have", "竞赛所授等级不是该职业所设等级";
    /// A competition's `certificate` names no certificate earlier in the same upload (2.1).
    CompetitionCertificate = "competition.certificate", Error, "the certificate named is not a certificate earlier in this upload", "所指证书不是本次上传中排在其前的证书记录";
    /// A batch names a sender other than the one the upload is made for (an exchange service's
    /// authenticated sender, [`Options::expected_sender`](crate::validate::Options::expected_sender)).
    UploadSenderMismatch = "upload.sender-mismatch", Error, "the batch names a sender other than the uploader", "批次的发送单位与上传者不一致";
}

impl Code {
    /// Parse a dotted wire name.
    pub fn parse(s: &str) -> Option<Code> {
        s.parse().ok()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Code`] from a name that is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown validation code")]
pub struct UnknownCode;

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::DeserializeSeed::deserialize(
            crate::ident::ParseStr(<Code as FromStr>::from_str),
            deserializer,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
        }
        assert_eq!("nope".parse::<Code>(), Err(UnknownCode));
    }
}
