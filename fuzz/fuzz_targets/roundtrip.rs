//! A record (or batch) parsed from bytes serializes, parses and serializes again to the same
//! bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::check_roundtrip(data);
});
