//! Check-character algorithms, the only copies in the crate: ISO 7064 MOD 11-2 (GB 11643
//! resident ID numbers), GB 32100 (unified social credit codes) with its character set,
//! GB 11714 (organization codes) and ICAO 9303 7-3-1 (machine-readable travel documents).
//!
//! Pure functions over ASCII: they return `None` for input outside their alphabet or of the
//! wrong length, never panic, and say nothing about the input in any error. The validators
//! of the identifier layer and the synthetic-data generator both call them.

use crate::ident::all_digits;

/// The weights of ISO 7064 MOD 11-2 over 17 digits: 2^(17-i) mod 11.
const MOD11_2_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The ISO 7064 MOD 11-2 check character of GB 11643 over 17 digits: `'0'..='9'` or `'X'`.
///
/// `None` unless `first17` is exactly 17 ASCII digits. The migration code uses this to
/// lengthen 15-digit resident ID numbers.
pub(crate) fn mod11_2_check_char(first17: &str) -> Option<char> {
    if !all_digits(first17, 17) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(MOD11_2_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(char::from(b"10X98765432"[(sum % 11) as usize]))
}

/// The ICAO 9303 check digit (weights 7, 3, 1 repeating; digits count as themselves, letters
/// `A`=10 … `Z`=35; sum mod 10). `None` if `s` has anything but digits and upper-case letters.
pub(crate) fn icao_check_digit(s: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, b) in s.bytes().enumerate() {
        let value = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return None,
        };
        sum += value * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

/// The GB 32100 character set, in value order: `0`–`9` are 0–9, `A` is 10 … `Y` is 30.
/// `I`, `O`, `S`, `V` and `Z` are not used.
pub(crate) const USCC_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The GB 32100 weights 3^i mod 31 for i = 0..17.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The value of a character of [`USCC_CHARSET`]; `None` for any other byte.
pub(crate) fn uscc_char_value(b: u8) -> Option<u32> {
    USCC_CHARSET.iter().position(|&c| c == b).map(|v| v as u32)
}

/// The GB 32100 check character of the first 17 characters of a credit code, or `None` if
/// `first17` is not 17 characters of [`USCC_CHARSET`].
pub(crate) fn gb32100_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in first17.bytes().zip(USCC_WEIGHTS) {
        sum += uscc_char_value(b)? * w;
    }
    let check = (31 - sum % 31) % 31;
    USCC_CHARSET.get(check as usize).map(|&c| char::from(c))
}

/// The weights of GB 11714 over the 8-character body of an organization code.
#[cfg_attr(not(feature = "synth"), allow(dead_code))]
const GB11714_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The GB 11714 check character (`'0'..='9'` or `'X'`) of the 8-character body of an
/// organization code (digits count as themselves, letters `A`=10 … `Z`=35), or `None` if
/// `body` is not 8 digits and upper-case letters. (The validators do not check organization
/// codes; synthesis writes them.)
#[cfg_attr(not(feature = "synth"), allow(dead_code))]
pub(crate) fn gb11714_check_char(body: &str) -> Option<char> {
    if body.len() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in body.bytes().zip(GB11714_WEIGHTS) {
        let value = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return None,
        };
        sum += value * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from(b'0' + c as u8),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mod11_2_and_icao() {
        assert_eq!(mod11_2_check_char("11010519491231002"), Some('X'));
        assert_eq!(mod11_2_check_char("44052418800101001"), Some('4'));
        assert_eq!(mod11_2_check_char("4405241880010100"), None);
        assert_eq!(icao_check_digit("USA11006200123"), Some(8));
        assert_eq!(icao_check_digit("L898902C<"), None);
        assert_eq!(icao_check_digit("L898902C3"), Some(6));
    }

    #[test]
    fn weights_are_powers() {
        for (i, w) in USCC_WEIGHTS.iter().enumerate() {
            assert_eq!(*w, (0..i).fold(1, |acc, _| acc * 3 % 31));
        }
        for (i, w) in MOD11_2_WEIGHTS.iter().enumerate() {
            assert_eq!(*w, (0..17 - i).fold(1, |acc, _| acc * 2 % 11));
        }
    }

    #[test]
    fn gb32100_and_gb11714() {
        // A published credit code: 91350100M000100Y43 (organization code M000100Y4).
        assert_eq!(gb32100_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(gb32100_check_char("91350100I000100Y4"), None);
        assert_eq!(gb32100_check_char("91350100M000100Y"), None);
        assert_eq!(gb11714_check_char("M000100Y"), Some('4'));
        // Worked by hand: 3*13+7*2+9*1+10*4+5*3+8*5+4*6+2*9 = 199; 11 - 199 % 11 = 10 → X.
        assert_eq!(gb11714_check_char("D2143569"), Some('X'));
        assert_eq!(gb11714_check_char("D214356"), None);
        assert_eq!(gb11714_check_char("d2143569"), None);
        assert_eq!(uscc_char_value(b'Y'), Some(30));
        assert_eq!(uscc_char_value(b'I'), None);
    }
}
