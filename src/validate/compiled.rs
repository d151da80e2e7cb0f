//! The committed schemas compiled for validation, once per process, for every edition.

use std::sync::OnceLock;

use crate::{edition, schema, DocumentKind, Version};

/// The compiled schema of `version` and `kind`, built once per process; `None` when the edition
/// has no such kind.
///
/// # Panics
/// When a generated schema does not compile: a bug, caught by the test suite.
pub(crate) fn compiled(
    version: Version,
    kind: DocumentKind,
) -> Option<&'static jsonschema::Validator> {
    static CELLS: [OnceLock<Vec<Option<jsonschema::Validator>>>; Version::ALL.len()] =
        [const { OnceLock::new() }; Version::ALL.len()];
    let index = Version::ALL.iter().position(|&v| v == version)?;
    let all = CELLS[index].get_or_init(|| {
        let edition = edition::of(version);
        DocumentKind::ALL
            .iter()
            .map(|&k| {
                edition.kinds.contains(&k).then(|| {
                    let s = crate::schemagen::engine_form(schema::generate(
                        version,
                        k,
                        schema::DEFAULT_BASE_URI,
                    ));
                    jsonschema::draft202012::options()
                        .should_validate_formats(true)
                        .build(&s)
                        .unwrap_or_else(|e| {
                            panic!("invariant: the generated {version} {k} schema compiles: {e}")
                        })
                })
            })
            .collect()
    });
    let at = DocumentKind::ALL.iter().position(|&k| k == kind)?;
    all.get(at)?.as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_of_every_edition_compiles() {
        for version in Version::ALL {
            for &kind in edition::of(version).kinds {
                assert!(compiled(version, kind).is_some(), "{version} {kind}");
            }
        }
        assert!(compiled(Version::V1_0, DocumentKind::Batch).is_none());
    }
}
