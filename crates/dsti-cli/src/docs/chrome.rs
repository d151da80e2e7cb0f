//! The frame of every page of the reference site: the document head with its one inline style
//! sheet, the header with the language switch, the crumbs and the footer.

use dsti::validate::Lang;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::{html_lang, other};

/// The site's only style sheet, inlined in every page. A constant of this file: the one string
/// a page carries unescaped (CSS is not HTML text, and `"` must stay `"` in it).
const CSS: &str = "\
*{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%}\
body{margin:0;font:16px/1.6 system-ui,-apple-system,\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;color:#1f2328;background:#f6f8fa}\
header{background:#0b4f8a;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between}\
header a{color:#fff}\
header .brand{font-weight:700;text-decoration:none}\
header .lang{border:1px solid #fff8;border-radius:1rem;padding:.1rem .7rem;text-decoration:none;font-size:.9rem}\
nav.crumbs{padding:.5rem 1rem;font-size:.9rem;background:#e8eef5;overflow-wrap:anywhere}\
main{max-width:72rem;margin:0 auto;padding:1rem}\
h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0 1rem}\
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}\
a{color:#0b5cad}\
p.lead{color:#444}\
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;background:#fff;border:1px solid #d0d7de;border-radius:.5rem;margin:.5rem 0 1rem}\
table{border-collapse:collapse;width:100%;min-width:40rem;font-size:.9rem}\
th,td{text-align:left;vertical-align:top;padding:.5rem .6rem;border-bottom:1px solid #e5e9ee}\
th{background:#f0f3f6;position:sticky;top:0;white-space:nowrap}\
tr:last-child td{border-bottom:0}\
td.name{white-space:nowrap;font-weight:600}\
td.name .depth{color:#8a939c;font-weight:400}\
code{font:.85em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f4;border-radius:.25rem;padding:.05rem .3rem;overflow-wrap:break-word}\
pre{margin:0;padding:.75rem 1rem;white-space:pre;line-height:1.5}\
pre code{background:none;padding:0;font-size:.85rem}\
details.pattern{margin:.15rem 0 0;font-size:.85em;color:#57606a}\
details.pattern summary,details.values summary{cursor:pointer}\
details.pattern code{display:block;margin-top:.2rem;word-break:break-all;color:#1f2328}\
td.cons{min-width:16rem}\
td.desc{min-width:14rem}\
td.desc .eg{margin-top:.35rem;color:#57606a}\
td.desc .eg code{color:#1f2328}\
p.toc,p.note{font-size:.9rem;color:#57606a}\
table.findings{min-width:0}\
table.findings td:not(:last-child){white-space:nowrap}\
ul.constraints{margin:0;padding-left:1.1rem}\
.req{color:#b42318;font-weight:700}\
.opt{color:#57606a}\
ul.cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem}\
ul.cards li{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:.75rem 1rem}\
ul.cards a{font-weight:700;text-decoration:none}\
ul.cards p{margin:.25rem 0 0;font-size:.9rem;color:#444}\
footer{max-width:72rem;margin:0 auto;padding:1rem;color:#57606a;font-size:.8rem}\
@media (max-width:40rem){main{padding:.75rem}h1{font-size:1.3rem}table{font-size:.85rem}\
.scroll.cards{overflow:visible;background:none;border:0}\
table.fields{min-width:0}\
table.fields td.cons,table.fields td.desc{min-width:0}\
table.fields thead{display:none}\
table.fields,table.fields tbody,table.fields tr,table.fields td{display:block;width:100%}\
table.fields tr{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;margin:0 0 .75rem;padding:.25rem 0}\
table.fields td{border:0;padding:.2rem .75rem}\
table.fields td:empty{display:none}\
table.fields td[data-label]::before{content:attr(data-label);display:block;font-size:.75rem;color:#57606a;font-weight:400}\
table.fields td.name{font-size:1rem;border-bottom:1px solid #e5e9ee;padding-bottom:.4rem;white-space:normal;overflow-wrap:anywhere}}";

/// A whole HTML document. `switch`: the same page in the other language, for a page two
/// directories below the site's root (`<version>/<lang>/`); `None` for the root page.
pub(super) fn document(
    lang: Lang,
    title: &str,
    crumbs: &Markup,
    switch: Option<&str>,
    body: &Markup,
) -> Markup {
    let home = if switch.is_some() {
        "../../index.html"
    } else {
        "index.html"
    };
    html! {
        (DOCTYPE) "\n"
        html lang=(html_lang(lang)) {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                title { (title) } "\n"
                style { (PreEscaped(CSS)) } "\n"
            }
            "\n"
            body {
                "\n"
                header {
                    a class="brand" href=(home) { "DSTI" }
                    @if let Some(href) = switch {
                        a class="lang" href=(href) hreflang=(html_lang(other(lang))) lang=(html_lang(other(lang))) {
                            (lang.pick("中文", "English"))
                        }
                    }
                }
                "\n"
                nav class="crumbs" { (crumbs) } "\n"
                main {
                    "\n"
                    h1 { (title) } "\n"
                    (body)
                }
                "\n"
                footer {
                    (lang.pick(
                        "Generated by dsti from the standard's Rust types.",
                        "由 dsti 根据标准的 Rust 类型生成。",
                    ))
                }
                "\n"
            }
            "\n"
        }
        "\n"
    }
}
