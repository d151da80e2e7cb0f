//! Every identifier parser (`FromStr`, `parse_lenient`) on arbitrary strings: what parses
//! re-serializes to a string that parses to the same value, lenient results are canonical,
//! and `Debug` of the sensitive ones never shows the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common/checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        checks::check_identifiers(s);
    }
});
