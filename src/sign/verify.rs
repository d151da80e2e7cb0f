//! Everything `dsti verify` says about one record: its signature and, given status lists, its
//! status, as findings with a code, a path and what exactly failed.

use serde_json::Value;

use super::jws::{self, VerifyCode, PROOF};
use super::keys::Jwks;
use super::status::{self, StatusList};

/// One finding of [`check_record`]: a code, where (`/proof` or `/credentialStatus`) and what
/// exactly failed, in English (never a value from the record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The code.
    pub code: VerifyCode,
    /// JSON Pointer to the member concerned.
    pub path: &'static str,
    /// What failed.
    pub detail: &'static str,
}

/// Everything `dsti verify` says about one record: its signature (unless a verified batch
/// signature `covered` it and it has no proof of its own) and, with status lists, its status.
pub fn check_record(
    record: &Value,
    keys: &Jwks,
    lists: &[StatusList],
    covered: bool,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let has_proof = !matches!(record.get(PROOF), None | Some(Value::Null));
    if has_proof || !covered {
        if let Err(issue) = jws::verify_value(record, keys) {
            checks.push(Check {
                code: issue.code,
                path: "/proof",
                detail: issue.detail,
            });
        }
    }
    if let Some(code) = status::check(record, lists) {
        checks.push(Check {
            code,
            path: "/credentialStatus",
            detail: match code {
                VerifyCode::StatusSuspended => "the entry is set in the suspension list",
                _ => "the entry is set in the revocation list",
            },
        });
    }
    checks
}
