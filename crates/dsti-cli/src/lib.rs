//! The `dsti` command-line tool's own code beside the binary (`src/main.rs`): what the command
//! line names and the tool writes, kept out of the `dsti` library.
//!
//! - [`load`]: the files and schema sets an argument names (`-` for stdin, the framing chosen
//!   by extension, `DIR#VERSION`, catalogues, version names).
//! - [`docs`]: the bilingual reference site of `dsti docs`, rendered with compile-time-escaped
//!   templates.
//! - [`kit`]: the release bundle, the conformance kit over the test vectors, and the command
//!   line's language from the environment.
//!
//! This is a library target so that the binary's integration tests reach the same code; it is
//! no stable API.

pub mod docs;
pub mod kit;
pub mod load;
