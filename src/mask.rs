//! Masking of sensitive values.
//!
//! ID numbers, phone numbers and names never appear whole in any human-facing output. The
//! default mask keeps the first 3 and the last 2 characters, so that neither the county code
//! nor the birth date of a resident ID number leaks: `110*************2X`.

use std::fmt;

/// How many characters a mask keeps at each end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mask {
    /// Characters kept at the start.
    pub keep_start: usize,
    /// Characters kept at the end.
    pub keep_end: usize,
}

impl Default for Mask {
    fn default() -> Self {
        Mask {
            keep_start: 3,
            keep_end: 2,
        }
    }
}

impl Mask {
    /// A mask that hides every character.
    pub const FULL: Mask = Mask {
        keep_start: 0,
        keep_end: 0,
    };

    /// Mask `value`: kept characters stay, every other becomes `*`.
    ///
    /// A value too short to keep both ends and still hide at least half of it is hidden whole,
    /// so that short names (two or three characters) never show.
    ///
    /// ```
    /// use dsti::Mask;
    /// assert_eq!(Mask::default().apply("11010519491231002X"), "110*************2X");
    /// assert_eq!(Mask::default().apply("张三"), "**");
    /// ```
    pub fn apply(&self, value: &str) -> String {
        let len = value.chars().count();
        let kept = self.keep_start + self.keep_end;
        if kept * 2 > len {
            return "*".repeat(len);
        }
        value
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i < self.keep_start || i >= len - self.keep_end {
                    c
                } else {
                    '*'
                }
            })
            .collect()
    }
}

/// A `Display`/`Debug` wrapper that shows a value masked with the default [`Mask`].
pub(crate) struct Masked<'a>(pub(crate) &'a str);

impl fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Mask::default().apply(self.0))
    }
}

impl fmt::Debug for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_three_and_two() {
        assert_eq!(
            Mask::default().apply("440524188001010014"),
            "440*************14"
        );
        assert_eq!(Mask::default().apply("13812345678"), "138******78");
    }

    #[test]
    fn short_values_are_hidden_whole() {
        assert_eq!(Mask::default().apply("欧阳娜娜"), "****");
        assert_eq!(Mask::default().apply(""), "");
        assert_eq!(Mask::FULL.apply("abc"), "***");
    }
}
