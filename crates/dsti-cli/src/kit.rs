//! What the association hands implementers: the command line's language from the environment
//! ([`lang`]), the test vectors as a suite ([`vectors`]), the conformance kit that runs them
//! through another implementation's command line ([`conformance`]) and the reproducible
//! release bundle ([`bundle`]).

pub mod bundle;
pub mod conformance;
pub mod lang;
pub mod vectors;
