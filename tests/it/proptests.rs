//! Property tests of the migrations, over records built by proptest strategies.
//!
//! Over generated 1.0 records (256 cases each):
//! - the upgrade validates under 2.0 with no error;
//! - `downgrade(upgrade(r)) == r`, except that a 15-digit ID number comes back lengthened to
//!   18 characters;
//! - migrating the same record twice gives identical output and reports.
//!
//! Over generated 2.0 records (256 cases: upgraded 1.0 records with 2.0-only fields added at
//! random, and records of the crate's 2.0 generator): when the downgrade succeeds, upgrading
//! its result gives back every value 1.0 can express, and the downgrade's report lists as
//! dropped exactly the values that do not come back.

use dsti::migrate::{self, Action};
use dsti::validate::{Options, Validator};
use dsti::{v1, v2, Kind, Version};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::mod11_2;

const COUNTIES: &[&str] = &[
    "110105", "310104", "440106", "440305", "330106", "510107", "650102", "820000",
];
const SURNAMES: &[&str] = &["王", "李", "张", "欧阳", "陈", "买买提·"];
const GIVEN: &[&str] = &["芳", "秀英", "伟", "艾力", "丽"];
const CATEGORIES: &[&str] = &[
    "母婴护理",
    "育婴",
    "保育",
    "养老护理",
    "病患陪护",
    "家务/保洁",
    "烹饪",
    "整理收纳",
    "洗涤护理",
    "月嫂",
    "保洁",
    "母婴护理、育婴",
    "养老护理、其他",
    "插花艺术",
    "宠物照料",
];
const OCCUPATIONS: &[&str] = &[
    "家政服务员",
    "母婴护理员",
    "家务服务员",
    "养老护理员",
    "保育师",
    "育婴员",
    "中式烹调师",
];
const TRAINING: &[&str] = &["岗前培训", "在岗培训", "转岗培训", "复训"];
const USCC_CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn date(days_since_1965: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1965, 1, 1).expect("date")
        + chrono::Duration::days(days_since_1965)
}

/// An ID number (15 digits when `short` and born before 2000) and whether it is a man's.
fn id_card() -> impl Strategy<Value = (String, bool)> {
    (
        0..COUNTIES.len(),
        0i64..(365 * 38),
        0u32..995,
        any::<bool>(),
    )
        .prop_map(|(county, day, seq, short)| {
            let county = if COUNTIES[county] == "820000" {
                "440305"
            } else {
                COUNTIES[county]
            };
            let birth = date(day);
            let male = seq % 2 == 1;
            if short && birth.format("%Y").to_string().starts_with("19") {
                (format!("{county}{}{seq:03}", birth.format("%y%m%d")), male)
            } else {
                let first17 = format!("{county}{}{seq:03}", birth.format("%Y%m%d"));
                (format!("{first17}{}", mod11_2(&first17)), male)
            }
        })
}

fn uscc() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["91", "52", "12"]),
        0..6usize,
        prop::collection::vec(0..31usize, 9),
    )
        .prop_map(|(prefix, county, chars)| {
            let mut s = format!("{prefix}{}", COUNTIES[county]);
            s.extend(chars.into_iter().map(|c| char::from(USCC_CHARSET[c])));
            let check = dsti::ident::Uscc::compute_check_character(&s).expect("17 chars");
            s.push(check);
            s
        })
}

fn name() -> impl Strategy<Value = String> {
    (0..SURNAMES.len(), 0..GIVEN.len()).prop_map(|(s, g)| format!("{}{}", SURNAMES[s], GIVEN[g]))
}

/// A past date between 2019 and 2025, as days since 1965.
fn recent_day() -> impl Strategy<Value = i64> {
    19723i64..(19723 + 365 * 7)
}

fn org() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(vec!["广州市巾帼家政培训学校", "上海市家政服务职业培训学校"]),
        uscc(),
    )
        .prop_map(|(n, c)| (n.to_owned(), c))
}

fn person() -> impl Strategy<Value = Value> {
    (
        name(),
        id_card(),
        0u8..4,
        recent_day(),
        proptest::option::of(0u64..1_000_000_000),
    )
        .prop_map(|(name, (id, male), verified, day, phone)| {
            let mut p = json!({"kind":"person","schemaVersion":"1.0","name":name,"idCardNo":id,
                "gender": if male { "男" } else { "女" }, "verified": verified >= 1});
            if let Some(phone) = phone {
                p["phone"] = json!(format!("13{phone:09}"));
            }
            // verified with a date, verified without one, unverified with and without a date
            if verified != 1 {
                p["verifiedDate"] = json!(date(day).to_string());
            }
            p
        })
}

fn course() -> impl Strategy<Value = Value> {
    (
        "[A-Z]{2}-[0-9]{1,6}",
        0..CATEGORIES.len(),
        0..TRAINING.len(),
        0u32..300,
        any::<bool>(),
        org(),
    )
        .prop_map(
            |(code, cat, training, hours, online, (org_name, org_code))| {
                json!({"kind":"course","schemaVersion":"1.0","courseCode":code,
                "courseName": format!("{}培训", CATEGORIES[cat]), "category": CATEGORIES[cat],
                "trainingType": TRAINING[training], "hours": hours, "online": online,
                "orgName": org_name, "orgCode": org_code})
            },
        )
}

fn completion() -> impl Strategy<Value = Value> {
    (
        id_card(),
        name(),
        "[A-Z]{2}-[0-9]{1,6}",
        org(),
        recent_day(),
        0i64..60,
        0u8..3,
        any::<bool>(),
        proptest::option::of(0u32..=200),
        0u32..1000,
    )
        .prop_map(
            |(
                (id, _),
                name,
                code,
                (org_name, org_code),
                start,
                days,
                result,
                has_end,
                score,
                hours,
            )| {
                let result = ["合格", "不合格", "未完成"][usize::from(result)];
                // The span runs from startDate 00:00:00 to endDate 23:59:59.
                let max_hours = ((days as u32 + 1) * 86_400 - 1) / (45 * 60);
                let mut c = json!({"kind":"completion","schemaVersion":"1.0","idCardNo":id,
                    "name":name,"courseCode":code,"orgName":org_name,"orgCode":org_code,
                    "startDate": date(start).to_string(), "hours": hours % (max_hours + 1),
                    "result": result});
                if has_end || result == "合格" {
                    c["endDate"] = json!(date(start + days).to_string());
                }
                if let Some(score) = score {
                    c["score"] = json!(f64::from(score) / 2.0);
                }
                c
            },
        )
}

fn certificate() -> impl Strategy<Value = Value> {
    (
        id_card(),
        name(),
        0..OCCUPATIONS.len(),
        0u8..3,
        1u8..=5,
        any::<bool>(),
        recent_day(),
        0u32..1_000_000,
        org(),
    )
        .prop_map(
            |((id, _), name, occ, shape, grade, old, day, serial, (org_name, org_code))| {
                let issued = date(day);
                let yy = issued.format("%y").to_string();
                let number = match shape {
                    0 => format!("S123444010100{yy}{grade}{serial:06}"),
                    1 => format!("{yy}12345678{grade}{:05}", serial % 100_000),
                    _ => format!("PX-{serial}"),
                };
                let level = if old {
                    ["高级技师", "技师", "高级", "中级", "初级"][usize::from(grade - 1)]
                } else {
                    ["一级", "二级", "三级", "四级", "五级"][usize::from(grade - 1)]
                };
                // Only levels the occupation's national standard has.
                let has_level = dsti::ident::occupation_named(OCCUPATIONS[occ])
                    .and_then(|n| n.occupation())
                    .map_or(true, |o| {
                        dsti::ident::Level::from_grade_digit(grade)
                            .is_some_and(|l| o.levels.contains(&l))
                    });
                let occupation = if has_level {
                    OCCUPATIONS[occ]
                } else {
                    "养老护理员"
                };
                json!({"kind":"certificate","schemaVersion":"1.0","certNo":number,"idCardNo":id,
                "name":name,"occupationName":occupation,"level":level,
                "issueDate": issued.to_string(),"orgName":org_name,"orgCode":org_code})
            },
        )
}

fn v1_record() -> impl Strategy<Value = Value> {
    prop_oneof![person(), course(), completion(), certificate()]
}

fn validator() -> Validator {
    Validator::new(Options::default())
}

/// The record with its ID number lengthened to 18 characters.
fn lengthened(v1: &Value) -> Value {
    let record: v1::Record = serde_json::from_value(v1.clone()).expect("typed");
    // Numbers as the typed record writes them (`34`, not `34.0`).
    let mut out = serde_json::to_value(&record).expect("json");
    let id = match &record {
        v1::Record::Person(p) => p.id_card_no.to_18(),
        v1::Record::Completion(c) => c.id_card_no.to_18(),
        v1::Record::Certificate(c) => c.id_card_no.to_18(),
        v1::Record::Course(_) => return out,
        _ => unreachable!(),
    };
    out["idCardNo"] = Value::String(id);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_1_0_records_are_valid(v1 in v1_record()) {
        let verdict = validator().validate_value(&v1);
        prop_assert!(verdict.issues.is_empty(), "{}: {:?}", v1, verdict.issues);
    }

    #[test]
    fn upgrade_validates_under_2_0(v1 in v1_record()) {
        let out = migrate::migrate(&v1, Version::V2_0);
        let record = out.record.ok_or_else(|| TestCaseError::fail(format!("{v1}: {:?}", out.report)))?;
        let value = record.to_value();
        let verdict = validator().validate_value(&value);
        prop_assert!(verdict.is_valid(), "{}: {:?}", value, verdict.issues);
    }

    #[test]
    fn downgrade_of_upgrade_is_identity(v1 in v1_record()) {
        let typed: v1::Record = serde_json::from_value(v1.clone()).expect("typed");
        let (v2, _) = migrate::upgrade(&typed).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (back, notes) = migrate::downgrade(&v2).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(serde_json::to_value(&back).expect("json"), lengthened(&v1));
        prop_assert!(notes.iter().all(|n| n.action != Action::Dropped), "{:?}", notes);
    }

    #[test]
    fn migrating_twice_gives_identical_output(v1 in v1_record()) {
        let a = migrate::migrate(&v1, Version::V2_0);
        let b = migrate::migrate(&v1, Version::V2_0);
        prop_assert_eq!(
            a.record.as_ref().map(|r| serde_json::to_string(r).expect("json")),
            b.record.as_ref().map(|r| serde_json::to_string(r).expect("json"))
        );
        prop_assert_eq!(&a.report, &b.report);
        let a2 = a.record.ok_or_else(|| TestCaseError::fail(format!("{v1}: {:?}", a.report)))?;
        let b2 = b.record.ok_or_else(|| TestCaseError::fail(format!("{v1}: {:?}", b.report)))?;
        let a1 = migrate::migrate(&a2.to_value(), Version::V1_0);
        let b1 = migrate::migrate(&b2.to_value(), Version::V1_0);
        prop_assert!(a1.record.is_some(), "{:?}", a1.report);
        prop_assert_eq!(a1.record, b1.record);
    }

    #[test]
    fn downgrade_keeps_what_1_0_can_say_and_reports_the_rest((v2, expressible) in v2_record()) {
        let (v1, notes) = match migrate::downgrade(&v2) {
            Ok(done) => done,
            // A 2.0 generator's record may be one 1.0 cannot express (a passport holder, a
            // completion without the learner's name); the enriched ones never are.
            Err(e) => {
                prop_assert!(!expressible, "{}", e);
                return Ok(());
            }
        };
        let v1_json = serde_json::to_value(&v1).expect("json");
        prop_assert!(validator().validate_value(&v1_json).is_valid(), "{}", v1_json);
        let (again, _) = migrate::upgrade(&v1).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let original = serde_json::to_value(&v2).expect("json");
        let again = serde_json::to_value(&again).expect("json");
        let mut leaves = Vec::new();
        leaves_of(&original, &mut String::new(), &mut leaves);
        let dropped: Vec<&str> = notes
            .iter()
            .filter(|n| n.action == Action::Dropped)
            .map(|n| n.path.as_str())
            .collect();
        for (path, value) in &leaves {
            let kept = again.pointer(path).is_some_and(|v| same(v, value));
            let reported = dropped.iter().any(|d| path == d || path.starts_with(&format!("{d}/")));
            prop_assert_eq!(kept, !reported, "{} in {} (dropped {:?})", path, original, dropped);
            // What 1.0 can express always comes back.
            for always in EXPRESSIBLE {
                if path == always {
                    prop_assert!(kept, "{} lost", path);
                }
            }
        }
        for d in &dropped {
            prop_assert!(original.pointer(d).is_some(), "{} not in the input", d);
        }
    }
}

/// Paths 1.0 can always express.
const EXPRESSIBLE: &[&str] = &[
    "/kind",
    "/name",
    "/document/number",
    "/learner/document/number",
    "/holder/document/number",
    "/holderName",
    "/number",
    "/code",
    "/provider/name",
    "/provider/uscc",
    "/issuer/name",
    "/issuer/uscc",
    "/issuedOn",
    "/phone",
];

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            x == y
                || matches!(
                    (
                        chrono::DateTime::parse_from_rfc3339(x),
                        chrono::DateTime::parse_from_rfc3339(y)
                    ),
                    (Ok(p), Ok(q)) if p == q
                )
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Every leaf (a scalar or an array) with its pointer.
fn leaves_of(v: &Value, at: &mut String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                let len = at.len();
                at.push('/');
                at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                leaves_of(item, at, out);
                at.truncate(len);
            }
        }
        _ => out.push((at.clone(), v.clone())),
    }
}

/// 2.0 records: upgraded 1.0 records with 2.0-only fields added, and the 2.0 generator's.
/// With whether the record is one 1.0 can express.
fn v2_record() -> impl Strategy<Value = (v2::Record, bool)> {
    prop_oneof![
        3 => (v1_record(), any::<u16>()).prop_map(|(v1, bits)| (enrich(&v1, bits), true)),
        1 => any::<u64>().prop_map(|seed| (dsti::synth::Generator::new(seed).record(None), false)),
    ]
}

fn enrich(v1: &Value, bits: u16) -> v2::Record {
    let typed: v1::Record = serde_json::from_value(v1.clone()).expect("typed");
    let (v2, _) = migrate::upgrade(&typed).expect("upgrades");
    let mut value = serde_json::to_value(&v2).expect("json");
    let on = |i: u16| bits & (1 << i) != 0;
    if on(0) {
        value["id"] = json!("00000000-0000-4000-8000-00000000abcd");
    }
    if on(1) {
        value["extensions"]["cn.gov.bj.rsj:batch"] = json!("2024-07");
    }
    match v2.kind() {
        Kind::Person => {
            if on(2) {
                value["region"] = json!("110105");
            }
            if on(3) {
                if let Value::Object(doc) = &value["document"] {
                    let number = doc["number"].as_str().unwrap_or_default().to_owned();
                    value["birthDate"] = json!(format!(
                        "{}-{}-{}",
                        &number[6..10],
                        &number[10..12],
                        &number[12..14]
                    ));
                }
            }
            if on(4) && value.get("verification").is_some() {
                value["verification"]["method"] = json!("face-match");
            }
            if on(5) {
                value.as_object_mut().expect("object").remove("gender");
            }
        }
        Kind::Course => {
            if on(2) {
                value["title"]["en"] = json!("Training");
            }
            if on(3) {
                value["deliveryMode"] = json!("blended");
            }
            if on(4) {
                value["programme"] = json!("技能中国行动");
            }
            if on(5) {
                value["classHours"] = json!(value["classHours"].as_f64().unwrap_or(0.0) + 0.5);
            }
            if on(6) {
                value["serviceCategories"] = json!(["cooking", "laundry-care"]);
            }
        }
        Kind::Completion => {
            if on(2) {
                value["trainingType"] = json!("pre-job");
            }
            if on(3) {
                value["course"]["title"] = json!({"zh-CN": "课程"});
            }
            if on(4) {
                value["creditsEarned"] = json!(2);
            }
            if on(5) && value.get("assessment").is_some() {
                value["assessment"]["method"] = json!("written");
            }
            if on(6) {
                value["onlineLearning"] =
                    json!({"studyMinutes": 10, "faceChecks": {"passed": 1, "total": 1}});
            }
            if on(7) {
                value["learner"]
                    .as_object_mut()
                    .expect("object")
                    .remove("personId");
            }
        }
        _ => {
            if on(2) {
                value["verificationUrl"] = json!("https://example.com/c");
            }
            if on(3) {
                value["validUntil"] = json!("2099-12-31");
            }
            if on(4) {
                value["evidence"] = json!(["00000000-0000-4000-8000-00000000abcd"]);
            }
            if on(5) && value["occupation"]["code"] != "4-99-00-00" {
                value["occupation"]
                    .as_object_mut()
                    .expect("object")
                    .remove("name");
            }
        }
    }
    serde_json::from_value(value).expect("still a 2.0 record")
}
