//! The reference pages of a version beside its kinds: the validation codes (from
//! [`dsti::Code`]), the profile format (`profile`) and the 1.0 → 2.0 mapping (`mapping`, and
//! the value tables that migration itself uses, [`dsti::migrate::tables`]).

use dsti::ident::OCCUPATION_NAMES;
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
                "How each field maps when 1.0 is upgraded to 2.0. Nothing is dropped silently: every assumption, conversion or drop has a line in the report, and a record that cannot be migrated is reported with why. A downgrade (2.0 → 1.0) is lossy: it lists every field it drops and refuses a record 1.0 cannot express (a passport holder).",
                "1.0 升级到 2.0 时各字段的对应关系。升级不会静默丢弃任何数据：每一处推定、转换或舍弃都在报告中列出；无法迁移的记录会说明原因。降级（2.0 → 1.0）有损，会列出舍弃的字段，并拒绝 1.0 无法表达的记录（如护照持有人）。",
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
