//! The report of `dsti migrate`: text for people (English or Chinese), one JSON document
//! (`{"records":[…],"summary":{"total","migrated","refused"}}`) or NDJSON (a line per record,
//! then `{"summary":{…}}`) for programs.

use std::io::{self, Write};

use super::records::RecordFrame;
use super::Format;
use crate::migrate::{Action, MigrationReport, Outcome};
use crate::text::Lang;

/// Writes the report of one migration run as records arrive, then its summary.
#[derive(Debug)]
pub struct MigrationReportWriter<W: Write> {
    frame: RecordFrame<W>,
    migrated: u64,
    refused: u64,
}

impl Action {
    /// The action's name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Action::Assumed, Lang::Zh) => "假定",
            (Action::Mapped, Lang::Zh) => "映射",
            (Action::Kept, Lang::Zh) => "保留",
            (Action::Dropped, Lang::Zh) => "舍弃",
            (Action::Derived, Lang::Zh) => "推导",
            (Action::Assumed, _) => "assumed",
            (Action::Mapped, _) => "mapped",
            (Action::Kept, _) => "kept",
            (Action::Dropped, _) => "dropped",
            (Action::Derived, _) => "derived",
        }
    }
}

impl<W: Write> MigrationReportWriter<W> {
    /// A writer of `format` in `lang`.
    pub fn new(out: W, format: Format, lang: Lang) -> io::Result<Self> {
        Ok(MigrationReportWriter {
            frame: RecordFrame::new(out, format, lang)?,
            migrated: 0,
            refused: 0,
        })
    }

    /// How many records were migrated and refused so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.migrated, self.refused)
    }

    /// Write the report of one record.
    pub fn write(&mut self, report: &MigrationReport) -> io::Result<()> {
        if report.migrated() {
            self.migrated += 1;
        } else {
            self.refused += 1;
        }
        if self.frame.record(report)? {
            return Ok(());
        }
        let lang = self.frame.lang();
        let kind = report.kind.map_or("?", |k| k.as_str());
        let what = match (&report.outcome, lang) {
            (Outcome::Refused { reason }, Lang::Zh) => format!("已拒绝：{}", reason.message(lang)),
            (Outcome::Refused { reason }, _) => format!("refused: {}", reason.message(lang)),
            (_, Lang::Zh) => "已迁移".to_owned(),
            _ => "migrated".to_owned(),
        };
        self.frame.head(report.index, kind, &what)?;
        for note in &report.notes {
            let label = note.action.label(lang);
            self.frame.note(label, &note.path, note.message(lang))?;
        }
        Ok(())
    }

    /// Write the summary and flush; returns (migrated, refused).
    pub fn finish(self) -> io::Result<(u64, u64)> {
        let (migrated, refused) = (self.migrated, self.refused);
        let total = migrated + refused;
        let text = match self.frame.lang() {
            Lang::Zh => format!("共 {total} 条记录：已迁移 {migrated} 条，拒绝 {refused} 条"),
            _ => format!("{total} records: {migrated} migrated, {refused} refused"),
        };
        let counts = [("migrated", migrated), ("refused", refused)];
        self.frame.finish(&counts, &text)?;
        Ok((migrated, refused))
    }
}
