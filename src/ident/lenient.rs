//! The one lenient normalization of hand-typed identifiers: what every `parse_lenient` does
//! before it runs the strict parser.
//!
//! Lenient parsing is for what people type into a form, never for the wire form (which is
//! strict). Every `parse_lenient` goes through one normalization with the class of its type, so
//! that the same input is folded the same way whatever the type:
//!
//! | step | codes: [`DocumentNumber`], [`Uscc`], [`RegionCode`], [`OccupationCode`], [`CertificateNumber`], [`PhoneNumber`] | names: [`PersonName`] |
//! |---|---|---|
//! | trim whitespace at either end (the ideographic space U+3000 included) | yes | yes |
//! | full-width ASCII (`１２ｘ`, `（Ｌ）`) to ASCII | yes | yes |
//! | whitespace inside (`110105 19491231 002X`) | removed | each run becomes one space |
//! | letter case | upper-cased (`x` → `X`) | kept |
//! | middle-dot variants `•` U+2022, `・` U+30FB, `･` U+FF65, `‧` U+2027, `∙` U+2219, `⋅` U+22C5, `·` U+0387 | kept (the strict parser refuses them) | become the middle dot `·` U+00B7 |
//! | `.` (or full-width `．`) between two non-Latin letters (`阿依古丽.买买提`) | kept | becomes `·` |
//!
//! Then each type's own extras, applied after the common steps:
//! - [`PhoneNumber`]: hyphens are removed (`138-1234-5678`).
//! - [`OccupationCode`]: the 2022 classification's marks `(L)`, `(S)`, `(L/S)` at the end are
//!   removed (`4-10-01-06 (S)`).
//!
//! [`LanguageTag::parse_lenient`](crate::ident::LanguageTag::parse_lenient) is not an
//! identifier of a person or an organization: it writes a tag in canonical BCP 47 case
//! (`zh_cn` → `zh-CN`) instead.
//!
//! [`DocumentNumber`]: crate::ident::DocumentNumber
//! [`Uscc`]: crate::ident::Uscc
//! [`RegionCode`]: crate::ident::RegionCode
//! [`OccupationCode`]: crate::ident::OccupationCode
//! [`CertificateNumber`]: crate::ident::CertificateNumber
//! [`PhoneNumber`]: crate::ident::PhoneNumber
//! [`PersonName`]: crate::ident::PersonName

use super::fold_full_width;

/// Which column of the table a type follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Codes and numbers: no inner whitespace, upper case.
    Code,
    /// Names of people: inner whitespace collapsed, case kept, middle dots unified.
    Name,
}

/// The middle-dot look-alikes that people type for `·` U+00B7 in a name.
pub(crate) const MIDDLE_DOT_VARIANTS: &[char] = &[
    '\u{2022}', '\u{30FB}', '\u{FF65}', '\u{2027}', '\u{2219}', '\u{22C5}', '\u{0387}',
];

/// The lenient normalization of the module's table, for a type of class `class`.
pub(crate) fn normalize(s: &str, class: Class) -> String {
    let folded = fold_full_width(s);
    let trimmed = folded.trim();
    match class {
        Class::Code => trimmed
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect(),
        Class::Name => {
            let mut chars: Vec<char> = Vec::with_capacity(trimmed.len());
            for c in trimmed.chars() {
                if c.is_whitespace() {
                    if chars.last() != Some(&' ') {
                        chars.push(' ');
                    }
                } else if MIDDLE_DOT_VARIANTS.contains(&c) {
                    chars.push('\u{00B7}');
                } else {
                    chars.push(c);
                }
            }
            let letter = |c: Option<&char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphabetic());
            (0..chars.len())
                .map(|i| {
                    let c = chars[i];
                    let between = i > 0 && letter(chars.get(i - 1)) && letter(chars.get(i + 1));
                    if c == '.' && between {
                        '\u{00B7}'
                    } else {
                        c
                    }
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::{
        CertificateNumber, DocumentNumber, OccupationCode, PersonName, PhoneNumber, RegionCode,
        Uscc,
    };

    #[test]
    fn codes_follow_one_table() {
        assert_eq!(
            normalize(" １１０１０５ 1949\u{3000}x ", Class::Code),
            "1101051949X"
        );
        assert_eq!(normalize("ab\tc", Class::Code), "ABC");
        // Every code type gets the same folding: inner spaces, full width, case.
        let typed = " ９１４４０１０１ma5cyuf35n ";
        assert_eq!(
            Uscc::parse_lenient(typed).map(|u| u.as_str().to_owned()),
            Ok("91440101MA5CYUF35N".to_owned())
        );
        assert_eq!(
            DocumentNumber::parse_lenient("110105 19491231 002ｘ").map(|n| n.as_str().to_owned()),
            Ok("11010519491231002X".to_owned())
        );
        assert_eq!(
            RegionCode::parse_lenient(" ４４０１ 06").map(|r| r.as_str().to_owned()),
            Ok("440106".to_owned())
        );
        assert_eq!(
            OccupationCode::parse_lenient("４-10-01-06 (s)").map(|r| r.as_str().to_owned()),
            Ok("4-10-01-06".to_owned())
        );
        assert_eq!(
            CertificateNumber::parse_lenient(" y3101 2026 000 50000 1234 5 ")
                .map(|r| r.as_str().to_owned()),
            Ok("Y310120260005000012345".to_owned())
        );
        assert_eq!(
            PhoneNumber::parse_lenient("１３８ 1234-5678").map(|r| r.as_str().to_owned()),
            Ok("13812345678".to_owned())
        );
    }

    #[test]
    fn names_unify_middle_dots_and_keep_case() {
        for typed in [
            "阿依古丽.买买提",
            "阿依古丽．买买提",
            "阿依古丽•买买提",
            "阿依古丽・买买提",
            "阿依古丽･买买提",
            "阿依古丽‧买买提",
            " 阿依古丽·买买提\u{3000}",
        ] {
            assert_eq!(
                PersonName::parse_lenient(typed).map(|n| n.as_str().to_owned()),
                Ok("阿依古丽·买买提".to_owned()),
                "{typed}"
            );
        }
        assert_eq!(normalize("John  A. Smith", Class::Name), "John A. Smith");
        assert_eq!(normalize("ａnna", Class::Name), "anna");
    }
}
