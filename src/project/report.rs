//! The report of `dsti export`, in the shapes of the migration report (one frame writes
//! both): text for people (English or Chinese), one JSON document
//! (`{"records":[…],"summary":{…}}`) or NDJSON (a line per record, then `{"summary":{…}}`)
//! for programs.

use std::io::{self, Write};

use super::{Outcome, ProjectionReport};
use crate::report::records::RecordFrame;
use crate::report::Format;
use crate::text::Lang;

/// Writes the report of one projection run as records arrive, then its summary.
#[derive(Debug)]
pub struct ProjectionReportWriter<W: Write> {
    frame: RecordFrame<W>,
    projected: u64,
    skipped: u64,
    refused: u64,
}

impl<W: Write> ProjectionReportWriter<W> {
    /// A writer of `format` in `lang`.
    pub fn new(out: W, format: Format, lang: Lang) -> io::Result<Self> {
        Ok(ProjectionReportWriter {
            frame: RecordFrame::new(out, format, lang)?,
            projected: 0,
            skipped: 0,
            refused: 0,
        })
    }

    /// How many records were projected, skipped and refused so far.
    pub fn counts(&self) -> (u64, u64, u64) {
        (self.projected, self.skipped, self.refused)
    }

    /// Write the report of one record.
    pub fn write(&mut self, report: &ProjectionReport) -> io::Result<()> {
        match report.outcome {
            Outcome::Projected => self.projected += 1,
            Outcome::Skipped { .. } => self.skipped += 1,
            Outcome::Refused { .. } => self.refused += 1,
        }
        if self.frame.record(report)? {
            return Ok(());
        }
        let lang = self.frame.lang();
        let kind = report.kind.map_or("?", |k| k.as_str());
        let target = report.target.as_str();
        let what = match (&report.outcome, lang) {
            (Outcome::Projected, Lang::Zh) => format!("已投射为 {target}"),
            (Outcome::Projected, _) => format!("projected to {target}"),
            (Outcome::Skipped { reason }, Lang::Zh) => format!("未投射：{}", reason.message(lang)),
            (Outcome::Skipped { reason }, _) => format!("not projected: {}", reason.message(lang)),
            (Outcome::Refused { reason }, Lang::Zh) => {
                format!("已拒绝：{}", reason.message(lang))
            }
            (Outcome::Refused { reason }, _) => format!("refused: {}", reason.message(lang)),
        };
        self.frame.head(report.index, kind, &what)?;
        let lost = if lang == Lang::Zh { "丢失" } else { "lost" };
        for loss in &report.losses {
            self.frame.note(lost, &loss.path, loss.message(lang))?;
        }
        Ok(())
    }

    /// Write the summary and flush; returns (projected, skipped, refused).
    pub fn finish(self) -> io::Result<(u64, u64, u64)> {
        let (projected, skipped, refused) = (self.projected, self.skipped, self.refused);
        let total = projected + skipped + refused;
        let text = match self.frame.lang() {
            Lang::Zh => format!(
                "共 {total} 条记录：已投射 {projected} 条，未投射 {skipped} 条，拒绝 {refused} 条"
            ),
            _ => format!(
                "{total} records: {projected} projected, {skipped} not projected, {refused} refused"
            ),
        };
        let counts = [
            ("projected", projected),
            ("skipped", skipped),
            ("refused", refused),
        ];
        self.frame.finish(&counts, &text)?;
        Ok((projected, skipped, refused))
    }
}
