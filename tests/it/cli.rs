//! End-to-end tests of the `dsti` binary.
