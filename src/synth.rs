//! Synthetic 2.0 records: realistic, valid, and the same for the same seed ([`v1`] and
//! [`v2_1`] make the other editions' records).
//!
//! Vendors use them to test an integration without real personal data; benchmarks use them by
//! the million. Every record the [`Generator`] makes passes the [validator](crate::validate)
//! with no error and no warning, under the default profile and under the stricter example
//! profile of the README (60 pre-job hours for maternity care, 40 for elderly care, at most 480
//! study minutes a day).
//!
//! ```
//! use dsti::synth::{write_ndjson, Generator};
//! use dsti::Kind;
//!
//! let mut generator = Generator::new(7);
//! let person = generator.person();
//! assert!(serde_json::to_string(&person)?.starts_with(r#"{"kind":"person","schemaVersion":"2.0""#));
//!
//! // Ten completions as NDJSON, one record a line.
//! let mut out = Vec::new();
//! write_ndjson(&mut out, Some(Kind::Completion), 10, 7)?;
//! assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 10);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What the records look like
//!
//! - **People**: Chinese names (common surnames, compound ones such as 欧阳 and 司马, given
//!   names of one or two characters, about 2 % minority names such as 阿依古丽·买买提), 88 %
//!   women as in the trade, born 1965–2006. About 97 % hold a resident ID card under one of
//!   about fifty real GB/T 2260 county codes, with the right sex digit and MOD 11-2 check
//!   character; the rest hold a passport, a Hong Kong/Macao travel permit, an HMT residence
//!   permit or a 2023-form foreign permanent residence ID. `gender` and `birthDate` agree
//!   with the document; phone numbers are mainland mobiles; a verification happens in
//!   2023–2025, long after the 16th birthday.
//! - **Organizations**: names such as 广州市巾帼家政服务有限公司 or 上海市家政服务职业培训学校,
//!   credit codes (`91` companies, `52` private schools, `12` public appraisal centres) with
//!   the organization's county, a GB 11714 organization code and a correct GB 32100 check
//!   character.
//! - **Courses** for 家政服务员 (job types 母婴护理员, 家务服务员, 家庭照护员, 整理收纳师),
//!   养老护理员, 婴幼儿发展引导员 and 保育师, with Chinese and English titles, 16–120 class
//!   hours (sometimes a half), modules whose hours add up exactly, and ethics hours.
//! - **Completions** of the courses generated before, by the people generated before, with
//!   times in order, enough days for the class hours, a status that fits the other fields,
//!   online-learning outcomes and assessments.
//! - **Certificates**, often resting on a completion generated before: skill-level
//!   certificates with 22-character numbers and a level the occupation has, special-ability
//!   and training-completion certificates without a level; mostly valid, the others with a
//!   reason.
//!
//! All timestamps lie in 2023–2025 and carry `+08:00`. Later records refer to earlier ones
//! (a completion's `learner.personId` and `course.id`, a certificate's `evidence`), so a
//! mixed stream hangs together: every id it refers to is that of a record earlier in the
//! stream. A learner or holder who is not a person of the stream is referred to by document.
//! A stream of one kind cannot hang together that way: a stream of completions refers to
//! courses it does not contain (the generator makes them up and keeps them to itself). The
//! generator remembers only the last few hundred records, so memory stays constant however
//! many are made.
//!
//! # Reproducibility
//!
//! The random numbers come from xoshiro256** (Blackman and Vigna), seeded through splitmix64,
//! both written out in this module: no dependency can change the stream of numbers a seed
//! gives. The records are a function of that stream and of this module's tables and draws
//! only; a release that changes what a seed produces is a breaking change of this module and
//! says so. A test pins a fingerprint of the output of seed 1.
//!
//! It is fast: generating and writing NDJSON runs at several hundred thousand records a
//! second on one core in a release build.

use std::io::{self, Write};

use crate::Kind;

mod rng;
mod tables;
pub mod v1;
mod v2;
pub mod v2_1;

pub use v2::Generator;

/// Writes `count` records of `kind` (a realistic mix when `None`) made by a
/// [`Generator`] for `seed`, one JSON record a line (NDJSON).
///
/// Streams: memory stays constant however large `count` is. Output is buffered here, in
/// blocks of 64 KiB, so `out` need not be a [`BufWriter`](std::io::BufWriter); it is flushed
/// at the end.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_ndjson<W: Write>(out: W, kind: Option<Kind>, count: u64, seed: u64) -> io::Result<()> {
    let mut generator = Generator::new(seed);
    write_lines(out, count, || generator.record(kind))
}

/// Write `count` records from `next` as NDJSON, buffered in 64 KiB blocks.
pub(crate) fn write_lines<W: Write, T: serde::Serialize>(
    mut out: W,
    count: u64,
    mut next: impl FnMut() -> T,
) -> io::Result<()> {
    const BLOCK: usize = 64 << 10;
    let mut buf = Vec::with_capacity(BLOCK + (8 << 10));
    for _ in 0..count {
        serde_json::to_writer(&mut buf, &next())?;
        buf.push(b'\n');
        if buf.len() >= BLOCK {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()
}
