//! Messages in both languages name the specific reason, not only the code: a clerk reading
//! Chinese learns as much as one reading English.

use dsti::validate::{Lang, Options, Validator};

use crate::root;

const NOW: &str = "2026-11-28T12:00:00+08:00";

/// The messages of the findings of vector `file` (2.0, invalid) in `lang`.
fn messages(file: &str, lang: Lang) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("tests/vectors/2.0/invalid").join(file))
        .expect("vector");
    let now = chrono::DateTime::parse_from_rfc3339(NOW).expect("now");
    Validator::new(Options::default().now(now).lang(lang))
        .validate_str(text.trim_end())
        .issues
        .into_iter()
        .map(|f| f.message)
        .collect()
}

#[test]
fn certificate_number_reasons_in_both_languages() {
    let cases = [
        (
            "certificate-number-level-digit.json",
            "level digit disagrees with the level",
            "等级位与证书等级不一致",
        ),
        (
            "certificate-number-year.json",
            "year disagrees with the issue date",
            "年份位与发证日期不一致",
        ),
        (
            "certificate-number-shape.json",
            "",
            "不符合该类证书的编号格式",
        ),
    ];
    for (file, en, zh) in cases {
        let [english] = &messages(file, Lang::En)[..] else {
            panic!("{file}: one finding");
        };
        assert!(
            english.starts_with("certificate number: ") && english.contains(en),
            "{english}"
        );
        let [chinese] = &messages(file, Lang::Zh)[..] else {
            panic!("{file}: one finding");
        };
        if file == "certificate-number-level-digit.json" {
            // Which level the digit means, and which digit the level needs.
            assert!(english.contains("which means level "), "{english}");
            assert!(
                chinese.starts_with(&format!("证书编号：{zh}：第 16 位为 "))
                    && chinese.contains("表示"),
                "{chinese}"
            );
        } else {
            assert_eq!(chinese, &format!("证书编号：{zh}"), "{file}");
        }
    }
}
