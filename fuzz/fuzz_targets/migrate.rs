//! `dsti::migrate::migrate(value, to)` on arbitrary JSON, to both versions. See
//! `check_migrate` in `fuzz/common/checks.rs` for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    checks::check_migrate(&value);
});
