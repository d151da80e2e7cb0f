//! The report of `dsti compat`: one line per change and a verdict for people, or one JSON
//! document for programs. The comparison itself is the library's ([`dsti::compat`]).

use dsti::compat::{is_broken, Change, Mode};
use serde_json::Value;

/// The report of a comparison as JSON: `{ "mode", "compatible", "changes": [...] }`.
pub fn report_json(changes: &[Change], mode: Mode) -> Value {
    serde_json::json!({
        "mode": mode.as_str(),
        "compatible": !is_broken(changes, mode),
        "changes": changes,
    })
}

/// The report of a comparison for people: one line per change, then a verdict.
pub fn report_text(changes: &[Change], mode: Mode) -> String {
    let mut out = String::new();
    for change in changes {
        out.push_str(&change.to_string());
        out.push('\n');
    }
    let breaking = changes.iter().filter(|c| mode.is_broken_by(c)).count();
    out.push_str(&format!(
        "{} change(s), {breaking} breaking {} compatibility: {}\n",
        changes.len(),
        mode.as_str(),
        if breaking == 0 {
            "compatible"
        } else {
            "INCOMPATIBLE"
        }
    ));
    out
}
