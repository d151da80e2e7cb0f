//! The Chinese wording of identifier errors: what was parsed and why it failed, in the words of
//! the English [`IdentError`] (never the value).

use super::IdentError;
use crate::text::Lang;

/// The Chinese name of what was parsed.
fn what_zh(what: &str) -> Option<&'static str> {
    Some(match what {
        "ID card number" => "身份证号码",
        "birth date" => "出生日期",
        "certificate number" => "证书编号",
        "country code" => "国家代码",
        "date" => "日期",
        "document digest" => "证件摘要",
        "document number" => "证件号码",
        "extension key" => "扩展字段键",
        "https address" => "https 网址",
        "identity document" => "身份证件",
        "language tag" => "语言标签",
        "localized text" => "多语言文本",
        "number" => "数值",
        "occupation code" => "职业编码",
        "person name" => "姓名",
        "person reference" => "人员引用",
        "phone number" => "手机号码",
        "record id" => "记录 id",
        "region code" => "行政区划代码",
        "result" => "结果",
        "text" => "文本",
        "timestamp" => "时间",
        "training type" => "培训类型",
        "unified social credit code" => "统一社会信用代码",
        _ => return None,
    })
}

/// The Chinese reason, which says how to fix where it can.
fn reason_zh(reason: &str) -> Option<&'static str> {
    Some(match reason {
        "a passport needs its issuing country" => "护照须填写签发国家（issuingCountry）",
        "characters 2 and 3 are not a province-level code" => "第 2、3 位不是省级行政区划代码",
        "check character is wrong" => "校验码错误，请核对号码（最后一位为 X 时须大写）",
        "contains a control character" => "含有控制字符",
        "does not start with a province-level code" => "前两位不是省级行政区划代码",
        "each text must be 1 to 2000 characters" => "每种语言的文本须为 1 至 2000 个字符",
        "each text must have a character other than whitespace" => "每种语言的文本须含非空白字符",
        "has no character other than whitespace" => "不能只含空白字符",
        "length is out of bounds" => "长度超出范围",
        "longer than 2048 characters" => "超过 2048 个字符",
        "must be 18 digits or upper-case letters other than I, O, S, V and Z" => {
            "须为 18 位数字或大写字母（不含 I、O、S、V、Z）"
        }
        "must be 5 to 18 digits or upper-case letters" => "须为 5 至 18 位数字或大写字母（如 X 须大写）",
        "must be 6 digits" => "须为 6 位数字",
        "must be a finite number of at least 0" => "须为不小于 0 的有限数值",
        "must be a language tag such as zh-CN or en" => "须为语言标签，如 zh-CN 或 en",
        "must be a lower-case hyphenated UUID" => "须为小写带连字符的 UUID",
        "must be a real date written YYYY-MM-DD" => "须为真实日期，写作 YYYY-MM-DD",
        "must be an 11-digit mainland mobile number or an E.164 number" => {
            "须为 11 位大陆手机号码或 E.164 格式号码（如 +85298765432）"
        }
        "must be an RFC 3339 date-time with an offset" => {
            "须为带时区偏移的 RFC 3339 时间，如 2026-03-01T09:00:00+08:00"
        }
        "must be namespace:name with a reverse-DNS or region-code namespace" => {
            "须为“命名空间:名称”，命名空间为反向域名或行政区划代码"
        }
        "must have the form 4-10-01-06" => "格式须如 4-10-01-06",
        "must not be before 1850-01-01" => "不得早于 1850-01-01",
        "name parts are separated by the middle dot U+00B7" => "姓名各部分须用间隔号 ·（U+00B7）分隔",
        "needs personId, document or documentDigest" => "须含 personId、document 或 documentDigest",
        "not an https address" => "不是 https 网址",
        "not an officially assigned ISO 3166-1 alpha-3 code" => "不是正式分配的 ISO 3166-1 三字母代码",
        "not hmac-sm3:<hex> or hmac-sha256:<hex>" => "须为 hmac-sm3:<十六进制> 或 hmac-sha256:<十六进制>",
        "not in the table" => "不在对照表中",
        "starts or ends with whitespace" => "首尾不能有空白字符",
        "the birth date is not a real date between 1850 and today" => {
            "号码中的出生日期不是 1850 年至今的真实日期"
        }
        "the first character is 0 or characters 3 to 8 are not all digits" => {
            "第 1 位不能为 0，第 3 至 8 位须为数字"
        }
        "the zh-CN version is required" => "须含 zh-CN（简体中文）文本",
        "too short or too long" => "长度过短或过长",
        "a resident ID number is 17 digits and a check character" => {
            "居民身份证号码须为 17 位数字加 1 位校验码（X 须大写）"
        }
        "a residence permit number is 810000, 820000 or 830000, 11 digits and a check character" => {
            "居住证号码须以 810000、820000 或 830000 开头，后接 11 位数字和 1 位校验码"
        }
        "a travel permit number is H or M and 8 or 10 digits" => "通行证号码须为 H 或 M 加 8 或 10 位数字",
        "a Taiwan travel permit number is 8 or 10 digits" => "台湾居民来往大陆通行证号码须为 8 或 10 位数字",
        "not the shape of a skill-level certificate number" => {
            "不符合职业技能等级证书编号格式（S 或 Y 加 21 位数字）"
        }
        "not the shape of a vocational qualification certificate number" => {
            "不符合职业资格证书编号格式（16 位数字）"
        }
        "level digit disagrees with the level" => "等级位与证书等级不一致",
        "year disagrees with the issue date" => "年份位与发证日期不一致",
        _ => return None,
    })
}

impl IdentError {
    /// What is wrong, in `lang`: in English `invalid <what>: <reason>`, in Chinese the same
    /// where the reason has a translation, else the code's summary. Never the value.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => match (what_zh(self.what()), reason_zh(self.reason())) {
                (Some(what), Some(reason)) => {
                    let gap = if what.ends_with(|c: char| c.is_ascii()) {
                        " "
                    } else {
                        ""
                    };
                    format!("{what}{gap}无效：{reason}")
                }
                (None, Some(reason)) => reason.to_owned(),
                _ => self.code().summary_zh().to_owned(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::{DocumentNumber, PhoneNumber, RecordId, Timestamp, Uscc};

    #[test]
    fn chinese_messages_say_how_to_fix() {
        let e = "11010519491231002x"
            .parse::<DocumentNumber>()
            .expect_err("invalid");
        assert!(
            e.message(Lang::Zh).contains("大写"),
            "{}",
            e.message(Lang::Zh)
        );
        assert!(e.message(Lang::En).contains("upper-case"));
        let e = "2026-03-01 09:00"
            .parse::<Timestamp>()
            .expect_err("invalid");
        assert!(e.message(Lang::Zh).contains("+08:00"));
        let e = "not-a-uuid".parse::<RecordId>().expect_err("invalid");
        assert_eq!(e.message(Lang::Zh), "记录 id 无效：须为小写带连字符的 UUID");
        let e = "91440101MA5CYUF35I".parse::<Uscc>().expect_err("invalid");
        assert!(e.message(Lang::Zh).starts_with("统一社会信用代码无效"));
        let e = "12345".parse::<PhoneNumber>().expect_err("invalid");
        assert!(!e.message(Lang::Zh).contains("12345"));
    }
}
