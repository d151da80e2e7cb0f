//! Arbitrary bytes through `Validator::validate_reader` in every `InputFormat`, with the
//! default limits and with small ones. See `fuzz/common/checks.rs` for the invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    // The parallel reader spawns threads: compare it on short inputs only, for speed.
    checks::check_validate(data, data.len() <= 512);
});
