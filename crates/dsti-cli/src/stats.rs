//! `dsti stats`: counts by programme, province, year, occupation and level, written as JSON,
//! CSV or a self-contained HTML page with inline SVG charts (no scripts, nothing fetched).

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use dsti::history::Counts;
use dsti::stats::{Dimension, Row, Stats, LEVELS};

use crate::history::{scan_files, scanner};
use crate::Failure;

/// Output of `dsti stats`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatsFormat {
    /// One JSON document: the dimensions, the summary and one object per group.
    Json,
    /// A header and one line per group.
    Csv,
    /// A self-contained page with a table and charts.
    Html,
}

/// Arguments of `dsti stats`.
#[derive(clap::Args)]
pub(crate) struct StatsArgs {
    /// Uploads (NDJSON, JSON array or batch; read twice, so not stdin).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Group by these, comma-separated: programme, province, year, occupation, level,
    /// category. None: one group of everything.
    #[arg(long, value_delimiter = ',')]
    pub(crate) by: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub(crate) format: StatsFormat,
    /// A jurisdiction's profile (JSON), for validation.
    #[arg(long)]
    pub(crate) profile: Option<PathBuf>,
    /// Judge as of this time (RFC 3339 with offset); default: the clock.
    #[arg(long)]
    pub(crate) now: Option<String>,
    /// A digest key file: people who appear only by `documentDigest` then link with those
    /// who appear by document.
    #[arg(long)]
    pub(crate) digest_key_file: Option<PathBuf>,
}

/// Run `dsti stats`. Exit 0; 2 on usage or I/O errors.
pub(crate) fn run(args: StatsArgs) -> Result<ExitCode, Failure> {
    let mut by = Vec::new();
    for name in &args.by {
        let d: Dimension = name.trim().parse()?;
        if by.contains(&d) {
            return Err(Failure(format!("--by names {d} twice")));
        }
        by.push(d);
    }
    let mut scanner = scanner(
        args.profile.as_deref(),
        args.now.as_deref(),
        args.digest_key_file.as_deref(),
    )?;
    let mut stats = Stats::new(by);
    scan_files(&mut scanner, &args.files, |fact| stats.add(fact))?;
    let rows = stats.rows();
    let counts = scanner.counts();
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        StatsFormat::Json => {
            let doc = serde_json::json!({
                "by": stats.by().iter().map(|d| d.as_str()).collect::<Vec<_>>(),
                "summary": counts,
                "groups": rows,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        StatsFormat::Csv => out.write_all(csv(stats.by(), &rows).as_bytes())?,
        StatsFormat::Html => out.write_all(html(stats.by(), &rows, &counts).as_bytes())?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// A CSV field, quoted when it must be.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The CSV: the dimensions, then the counts, one column per certificate level.
fn csv(by: &[Dimension], rows: &[Row]) -> String {
    let mut header: Vec<String> = by.iter().map(|d| d.as_str().to_owned()).collect();
    header.extend(
        ["people", "completions", "classHours", "certificates"]
            .iter()
            .map(|s| (*s).to_owned()),
    );
    header.extend(LEVELS.iter().map(|l| format!("certificates:{l}")));
    header.push("competitionEntrants".to_owned());
    let mut text = header.join(",");
    text.push('\n');
    for row in rows {
        let mut fields: Vec<String> = by
            .iter()
            .map(|d| csv_field(row.group.get(d.as_str()).map_or("", String::as_str)))
            .collect();
        fields.push(row.people.to_string());
        fields.push(row.completions.to_string());
        fields.push(row.class_hours.to_string());
        fields.push(row.certificates.to_string());
        for level in LEVELS {
            fields.push(
                row.certificates_by_level
                    .get(level)
                    .copied()
                    .unwrap_or(0)
                    .to_string(),
            );
        }
        fields.push(row.competition_entrants.to_string());
        text.push_str(&fields.join(","));
        text.push('\n');
    }
    text
}

/// Escape text for HTML.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A group's name: its dimension values joined, or "all".
fn label(by: &[Dimension], row: &Row) -> String {
    if by.is_empty() {
        return "all".to_owned();
    }
    by.iter()
        .map(|d| row.group.get(d.as_str()).map_or("", String::as_str))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Groups shown in a chart at most (the table has all).
const CHART_GROUPS: usize = 30;

/// A horizontal bar chart of `value` per group, as inline SVG.
fn bar_chart(title: &str, by: &[Dimension], rows: &[Row], value: impl Fn(&Row) -> f64) -> String {
    let mut ranked: Vec<(String, f64)> = rows.iter().map(|r| (label(by, r), value(r))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.retain(|r| r.1 > 0.0);
    ranked.truncate(CHART_GROUPS);
    let max = ranked.iter().map(|r| r.1).fold(0.0_f64, f64::max);
    let bar_h = 18;
    let label_w = 260;
    let width = 760;
    let height = 30 + ranked.len() * (bar_h + 4);
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
        esc(title),
        esc(title)
    );
    for (i, (name, v)) in ranked.iter().enumerate() {
        let y = 10 + i * (bar_h + 4);
        let w = if max > 0.0 {
            (v / max * (width - label_w - 90) as f64).round()
        } else {
            0.0
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"l\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{bar_h}\" class=\"b\"><title>{}: {v}</title></rect><text x=\"{}\" y=\"{}\" class=\"v\">{v}</text>",
            label_w - 6,
            y + 13,
            esc(name),
            esc(name),
            label_w as f64 + w + 4.0,
            y + 13,
        );
    }
    if ranked.is_empty() {
        let _ = write!(svg, "<text x=\"0\" y=\"20\" class=\"l\">none</text>");
    }
    svg.push_str("</svg></figure>");
    svg
}

/// The page: a summary, charts and the full table.
fn html(by: &[Dimension], rows: &[Row], counts: &Counts) -> String {
    let dims = if by.is_empty() {
        "all records".to_owned()
    } else {
        by.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
    };
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>DSTI statistics by {d}</title><style>\
body{{font-family:system-ui,\"Noto Sans CJK SC\",sans-serif;margin:2em;color:#222}}\
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 8px;text-align:right}}\
td.k,th.k{{text-align:left}}figure{{margin:1em 0}}figcaption{{font-weight:bold}}\
.b{{fill:#3b6ea8}}.l,.v{{font-size:12px;fill:#222}}</style></head><body>\
<h1>DSTI statistics by {d}</h1><p>{} records read, {} invalid skipped, {} completions of courses not in the input, {} groups.</p>",
        counts.records,
        counts.invalid,
        counts.unresolved_courses,
        rows.len(),
        d = esc(&dims),
    );
    page.push_str(&bar_chart(
        "Distinct people who completed training",
        by,
        rows,
        |r| r.people as f64,
    ));
    page.push_str(&bar_chart("Completions", by, rows, |r| {
        r.completions as f64
    }));
    page.push_str(&bar_chart("Certificates", by, rows, |r| {
        r.certificates as f64
    }));
    page.push_str(&bar_chart("Competition entrants", by, rows, |r| {
        r.competition_entrants as f64
    }));
    page.push_str("<table><thead><tr>");
    for d in by {
        let _ = write!(page, "<th class=\"k\">{}</th>", esc(d.as_str()));
    }
    page.push_str("<th>people</th><th>completions</th><th>class hours</th><th>certificates</th>");
    for level in LEVELS {
        let _ = write!(page, "<th>{}</th>", esc(level));
    }
    page.push_str("<th>competition entrants</th></tr></thead><tbody>");
    for row in rows {
        page.push_str("<tr>");
        for d in by {
            let _ = write!(
                page,
                "<td class=\"k\">{}</td>",
                esc(row.group.get(d.as_str()).map_or("", String::as_str))
            );
        }
        let _ = write!(
            page,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            row.people, row.completions, row.class_hours, row.certificates
        );
        for level in LEVELS {
            let _ = write!(
                page,
                "<td>{}</td>",
                row.certificates_by_level.get(level).copied().unwrap_or(0)
            );
        }
        let _ = write!(page, "<td>{}</td></tr>", row.competition_entrants);
    }
    page.push_str("</tbody></table></body></html>\n");
    page
}
