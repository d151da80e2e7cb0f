//! The reference pages of a version beside its kinds: the validation codes (from
//! [`dsti::Code`]), the profile format (`profile`) and the 1.0 → 2.0 mapping (`mapping`, and
//! the value tables that migration itself uses, [`dsti::migrate::tables`]).

use dsti::ident::{occupations, OCCUPATION_NAMES};
use dsti::migrate::tables::CATEGORIES;
use dsti::validate::Lang;
use dsti::{Code, Severity, Version};
use maud::{html, Markup};

use super::{chrome, crumbs, dir, mapping, other, profile};

/// A table's head row: one `<th>` per cell.
fn head(cells: &[Markup]) -> Markup {
    html! { thead { tr { @for c in cells { th { (c) } } } } }
}

/// A table in its sideways-scrolling box: head, then rows (each ending its line).
fn table(cells: &[Markup], rows: Markup) -> Markup {
    html! {
        div class="scroll" {
            table { "\n" (head(cells)) "\n" tbody { "\n" (rows) } }
        }
        "\n"
    }
}

/// A page of this module: `file` in `<version>/<lang>/`, titled `title`.
fn page(
    version: Version,
    lang: Lang,
    title: &str,
    here: &str,
    file: &str,
    body: &Markup,
) -> Markup {
    chrome::document(
        lang,
        &format!("{title} · DSTI {version}"),
        &crumbs(version, Some(here)),
        Some(&format!("../{}/{file}", dir(other(lang)))),
        body,
    )
}

/// The readings decided where the text was silent, for a clerk: English, Chinese.
const DECIDED: &[(&str, &str)] = &[
    ("One \"now\": every rule that compares with the present uses the same instant (--now, or the clock read once), the birth date inside an ID number included; the same input and now give the same verdict on any day.",
     "统一的“当前时间”：所有与当前时间比较的规则使用同一时刻（--now，或只读取一次系统时钟），包括证件号码中的出生日期；同样的输入和时间在任何一天得到同样的结论。"),
    ("Dates from instants are taken in UTC+08:00: \"today\" and the day an age is measured on do not change with the offset a timestamp was written in.",
     "由时刻得出的日期一律按 UTC+08:00 计算：“今天”和计算年龄的日期不随时间戳所写的时区偏移而变。"),
    ("Timestamps: YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM), upper-case T and Z, seconds 00–59, the offset required. Dates: YYYY-MM-DD. A date after today (+08:00) is time.future.",
     "时间戳：YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)，T 和 Z 大写，秒为 00–59，必须带时区偏移。日期：YYYY-MM-DD。晚于今天（+08:00）的日期为 time.future。"),
    ("Birth dates run from 1850-01-01 to today; outside is id-number.birthdate, stated or inside a number.",
     "出生日期为 1850-01-01 至今天；超出范围（无论是填写的还是号码中的）为 id-number.birthdate。"),
    ("GB 11643 structure (region, birth date, sex digit, MOD 11-2) applies to resident ID cards, the HMT residence permits and the 18-character foreign permanent residence ID; birthDate and gender must agree with any of them.",
     "GB 11643 的结构（地区、出生日期、性别位、MOD 11-2）适用于居民身份证、港澳台居民居住证和 18 位外国人永久居留身份证；birthDate 和 gender 须与之一致。"),
    ("Hours are compared in seconds: required = round(classHours × minutesPerClassHour × 60), no other tolerance; class hours have at most two decimal places (more is number.precision).",
     "学时按秒比较：所需秒数 = round(学时 × 每学时分钟数 × 60)，不另设容差；学时最多两位小数（更多为 number.precision）。"),
    ("Text (names, titles, localized values, reasons) contains a character that is not whitespace; maximum lengths are in the schemas.",
     "文本（姓名、标题、多语言文本的值、原因）须含非空白字符；最大长度见各模式。"),
    ("Language tags are BCP 47 in canonical case (zh-CN, en, zh-Hant-TW), no private use; a wrong key is reported at its own pointer.",
     "语言标签为规范大小写的 BCP 47 标签（zh-CN、en、zh-Hant-TW），不得使用私用标签；错误的键在其自身路径报告。"),
    ("Unified social credit codes: position 1 is not 0 and positions 3–8 are digits (uscc.format); a code on the profile's allow-list is admitted whatever its check character and positions.",
     "统一社会信用代码：第 1 位不为 0，第 3–8 位为数字（uscc.format）；列入配置文件允许名单的代码，无论校验码和各位如何均予接受。"),
    ("A leading UTF-8 byte-order mark is ignored; anywhere else it is json.syntax.",
     "文件或数据流开头的 UTF-8 BOM 被忽略；出现在其他位置为 json.syntax。"),
    ("A batch's envelope gets its own verdict line after its records, not counted in the total; an invalid envelope makes the exit status 1.",
     "批量上传包的封装在其记录之后单独给出一行结论，不计入总数；封装无效时退出码为 1。"),
    ("A profile applies to 1.0 records as to 2.0 records, in validation and migration.",
     "地方配置文件同样适用于 1.0 版记录，校验和迁移皆然。"),
];

pub(super) fn codes_page(version: Version, lang: Lang) -> Markup {
    let h = |en, zh| html! { (lang.pick(en, zh)) };
    let rows = html! {
        @for &code in Code::ALL {
            @let severity = match code.default_severity() {
                Severity::Error => lang.pick("error", "错误"),
                Severity::Warning => lang.pick("warning", "警告"),
            };
            tr id=(code.as_str()) {
                td { code { (code.as_str()) } }
                td { (severity) }
                td lang="zh-CN" { (code.summary_zh()) }
                td lang="en" { (code.summary_en()) }
            }
            "\n"
        }
    };
    let body = html! {
        p class="lead" {
            (lang.pick(
                "Every issue carries a stable code; codes are public API, added and never renamed.",
                "每条问题都带有一个稳定的代码；代码是公开接口，只增不改。",
            ))
        }
        "\n"
        (table(
            &[
                h("Code", "代码"),
                h("Severity", "严重程度"),
                h("Message (Chinese)", "说明（中文）"),
                h("Message (English)", "说明（英文）"),
            ],
            rows,
        ))
        h2 id="decided" { (lang.pick("Values, decided", "取值规则（已明确）")) } "\n"
        ul {
            @for (en, zh) in DECIDED {
                li { (lang.pick(en, zh)) } "\n"
            }
        }
        "\n"
        h2 id="levels" { (lang.pick("Levels per occupation", "各职业的等级")) } "\n"
        p {
            (lang.pick(
                "From the national occupational skill standards shipped with the occupation table. A certificate at a level its occupation does not have is certificate.level-unavailable (a warning).",
                "取自随职业表发布的国家职业技能标准。证书等级为该职业所没有的等级时，报 certificate.level-unavailable（警告）。",
            ))
        }
        "\n"
        (table(
            &[h("Occupation", "职业"), h("Code", "代码"), h("Levels", "等级"), h("Standard edition", "标准版本")],
            html! {
                @for o in occupations() {
                    tr {
                        td lang="zh-CN" { (o.name_zh) }
                        td { code { (o.code) } }
                        td { @for (i, l) in o.levels.iter().enumerate() { @if i > 0 { ", " } code { (l.as_str()) } } }
                        td { (o.standard_edition) }
                    }
                    "\n"
                }
            },
        ))
    };
    page(
        version,
        lang,
        lang.pick("Validation codes", "校验代码"),
        lang.pick("codes", "校验代码"),
        "codes.html",
        &body,
    )
}

pub(super) fn profile_page(version: Version, lang: Lang) -> Markup {
    let h = |en, zh| html! { (lang.pick(en, zh)) };
    let rows = html! {
        @for key in profile::KEYS {
            tr {
                td { code { (key.name) } }
                td { (key.ty) }
                td {
                    @match profile::default_of(key.name) {
                        Some(d) => { code { (d) } }
                        None => { (lang.pick("(none: required)", "（无，必填）")) }
                    }
                }
                td { (lang.pick(key.en, key.zh)) }
            }
            "\n"
        }
    };
    let body = html! {
        p class="lead" {
            (lang.pick(
                "A profile is a small JSON file that a province publishes and `dsti validate --profile FILE` loads. Every key is optional except profile; an unknown key or a wrong type is an error (exit 2), never a silent default.",
                "地方配置文件是一个小型 JSON 文件，由省级部门发布，用 `dsti validate --profile 文件` 加载。除 profile 外各键均可省略；未知键或类型错误会报错（退出码 2），绝不静默采用默认值。",
            ))
        }
        "\n"
        (table(
            &[h("Key", "键"), h("Type", "类型"), h("Default", "默认值"), h("Meaning", "说明")],
            rows,
        ))
        h2 { (lang.pick("Example", "示例")) } "\n"
        div class="scroll" { pre { code { (profile::EXAMPLE) } } } "\n"
    };
    page(
        version,
        lang,
        lang.pick("Profiles", "地方配置文件"),
        lang.pick("profile", "配置文件"),
        "profile.html",
        &body,
    )
}

pub(super) fn migration_page(version: Version, lang: Lang) -> Markup {
    let h = |en, zh| html! { (lang.pick(en, zh)) };
    let rows = html! {
        @for m in mapping::MAPPINGS {
            tr {
                td {
                    @if m.kind == "*" { (lang.pick("all", "全部")) } @else { code { (m.kind) } }
                }
                td {
                    @if m.v1.is_empty() { "—" } @else { code { (m.v1) } }
                }
                td { code { (m.v2) } }
                td { (lang.pick(m.en, m.zh)) }
            }
            "\n"
        }
    };
    let body = html! {
        p class="lead" {
            (lang.pick(
                "How each field maps when 1.0 is upgraded to 2.0. Nothing is dropped silently: every assumption, conversion or drop has a line in the report, and a record that cannot be migrated is reported with why. A downgrade (2.0 → 1.0) is lossy: it lists every field it drops and refuses a record 1.0 cannot express (a passport holder). `dsti migrate --to 2.1` upgrades a 2.0 record by its `schemaVersion` alone and a 1.0 record through 2.0; from 2.1 to 2.0 a certificate's `proof` and `credentialStatus` and a course's `programmeKind` are dropped, each reported, and a competition entry is refused (2.0 has no such kind).",
                "1.0 升级到 2.0 时各字段的对应关系。升级不会静默丢弃任何数据：每一处推定、转换或舍弃都在报告中列出；无法迁移的记录会说明原因。降级（2.0 → 1.0）有损，会列出舍弃的字段，并拒绝 1.0 无法表达的记录（如护照持有人）。`dsti migrate --to 2.1` 将 2.0 记录升级为 2.1 时只改变 `schemaVersion`，1.0 记录经 2.0 升级；由 2.1 降级到 2.0 时舍弃证书的 `proof`、`credentialStatus` 和课程的 `programmeKind`（逐项列出），并拒绝竞赛记录（2.0 没有此类记录）。",
            ))
        }
        "\n"
        (table(
            &[h("Kind", "类型"), html! { "1.0" }, html! { "2.0" }, h("Rule", "规则")],
            rows,
        ))
        (migration_tables(lang))
    };
    page(
        version,
        lang,
        lang.pick("1.0 → 2.0 mapping", "1.0 → 2.0 迁移对照"),
        lang.pick("migration", "迁移"),
        "migration.html",
        &body,
    )
}

/// The value tables that migration itself uses: 1.0 categories and occupation names, rendered
/// from the same data.
fn migration_tables(lang: Lang) -> Markup {
    let categories = html! {
        @for row in CATEGORIES {
            tr {
                td { (row.text) }
                td { code { (row.category.as_str()) } }
                td { code { (row.occupation) } }
                td { (row.job_type.unwrap_or("—")) }
            }
            "\n"
        }
    };
    let occupations = html! {
        @for row in OCCUPATION_NAMES {
            tr {
                td { (row.name) }
                td { code { (row.code) } }
                td { (row.job_type.unwrap_or("—")) }
            }
            "\n"
        }
    };
    html! {
        h2 { (lang.pick("Course categories", "课程类别对照")) } "\n"
        (table(
            &[
                html! { "1.0 " code { "category" } },
                html! { code { "serviceCategories" } },
                html! { code { "occupation.code" } },
                html! { code { "occupation.jobType" } },
            ],
            categories,
        ))
        h2 { (lang.pick("Occupation names", "职业名称对照")) } "\n"
        (table(
            &[
                html! { "1.0 " code { "occupationName" } },
                html! { code { "occupation.code" } },
                html! { code { "occupation.jobType" } },
            ],
            occupations,
        ))
    }
}
