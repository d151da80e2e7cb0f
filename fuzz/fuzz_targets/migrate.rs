//! PENDING: `src/migrate.rs` (a JSON-level `migrate(value, to)`) does not exist yet.
//!
//! Until it does, this target feeds arbitrary JSON of either version to the validator's value
//! entry point (which reads `schemaVersion` and takes the 1.0 or the 2.0 path). When the
//! migration lands, replace the body with, for `to` in both versions:
//!
//! ```ignore
//! if let Ok(out) = dsti::migrate::migrate(value.clone(), to) {
//!     // the result validates under the target version, and migrating it again to the
//!     // same version is the identity
//! }
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    for validator in checks::validators() {
        let verdict = validator.validate_value(&value);
        checks::check_verdict(&verdict);
    }
});
