//! RFC 8785 JSON Canonicalization Scheme (JCS): the one byte string a JSON value signs as.
//!
//! Object members sorted by the UTF-16 code units of their names, no whitespace, strings
//! escaped as ECMAScript's `JSON.stringify` escapes them, numbers written as ECMAScript's
//! `Number.prototype.toString` writes an IEEE 754 double. Written over [`serde_json::Value`],
//! which already refuses what JCS cannot represent (NaN, infinities, lone surrogates).

use serde_json::Value;

/// The canonical bytes of `value` (RFC 8785).
///
/// ```
/// let v: serde_json::Value = serde_json::from_str(r#"{"b": 1.50, "a": [1e21, "\u20ac"]}"#).unwrap();
/// assert_eq!(dsti::sign::jcs::canonicalize(&v), r#"{"a":[1e+21,"€"],"b":1.5}"#.as_bytes());
/// ```
pub fn canonicalize(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    write_value(value, &mut out);
    out
}

/// The canonical bytes of `value` appended to `out`.
pub fn canonicalize_into(value: &Value, out: &mut Vec<u8>) {
    write_value(value, out);
}

/// The canonical bytes of the object `value` without its top-level member `skip` (the bytes a
/// record with a `proof` signs as), without copying the value. A value that is not an object
/// is written whole.
pub fn canonicalize_without(value: &Value, skip: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    match value {
        Value::Object(map) => write_object(map.iter().filter(|(k, _)| *k != skip), &mut out),
        _ => write_value(value, &mut out),
    }
    out
}

fn write_object<'a>(members: impl Iterator<Item = (&'a String, &'a Value)>, out: &mut Vec<u8>) {
    let mut members: Vec<(&String, &Value)> = members.collect();
    members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    out.push(b'{');
    for (i, (key, item)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(key, out);
        out.push(b':');
        write_value(item, out);
    }
    out.push(b'}');
}

fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(map.iter(), out),
    }
}

/// A string as `JSON.stringify` writes it: `"` `\` and the C0 controls escaped, the short
/// forms where there is one, `\u00xx` (lower-case hex) for the rest; everything else as is.
fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0a => b"\\n",
            0x0c => b"\\f",
            0x0d => b"\\r",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0f)]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn write_number(n: &serde_json::Number, out: &mut Vec<u8>) {
    // Integers that a double holds exactly are written as they are; every other number is the
    // double JSON parsers read it as (JCS numbers are IEEE 754 doubles).
    if let Some(i) = n.as_i64() {
        if i.unsigned_abs() <= 1 << 53 {
            out.extend_from_slice(i.to_string().as_bytes());
            return;
        }
    }
    if let Some(u) = n.as_u64() {
        if u <= 1 << 53 {
            out.extend_from_slice(u.to_string().as_bytes());
            return;
        }
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    out.extend_from_slice(es6_number(f).as_bytes());
}

/// ECMAScript's `Number.prototype.toString()` of a finite double (ECMA-262 Number::toString):
/// the shortest digits that read back as the same double, placed by the exponent's size.
pub fn es6_number(f: f64) -> String {
    if f == 0.0 {
        return "0".to_owned();
    }
    if !f.is_finite() {
        // Not reachable from a serde_json::Value; `null` is what JSON.stringify writes.
        return "null".to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "d.ddddde±x".
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let mut digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    tie_to_even(&mut digits, exp, f.abs());
    let k = digits.len() as i32;
    // n: the position of the decimal point relative to the digits (ECMA-262's n).
    let n = exp + 1;
    let mut s = String::with_capacity(32);
    if f < 0.0 {
        s.push('-');
    }
    if k <= n && n <= 21 {
        s.push_str(&digits);
        s.push_str(&"0".repeat((n - k) as usize));
    } else if 0 < n && n <= 21 {
        s.push_str(&digits[..n as usize]);
        s.push('.');
        s.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        s.push_str("0.");
        s.push_str(&"0".repeat((-n) as usize));
        s.push_str(&digits);
    } else {
        let e = n - 1;
        s.push_str(&digits[..1]);
        if k > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push('e');
        s.push(if e < 0 { '-' } else { '+' });
        s.push_str(&e.unsigned_abs().to_string());
    }
    s
}

/// ECMA-262 picks, of two shortest digit strings equally near the double, the one ending in an
/// even digit; Rust's shortest formatting may pick the other. `digits` (shortest, `d.ddd×10^exp`)
/// is replaced by its neighbour in the last digit when both read back as `f` and `f` lies
/// exactly half-way between them.
fn tie_to_even(digits: &mut String, exp: i32, f: f64) {
    let Some(last) = digits.bytes().last().map(|b| b - b'0') else {
        return;
    };
    if last % 2 == 0 {
        return;
    }
    let prefix = &digits[..digits.len() - 1];
    for other in [last.wrapping_sub(1), last + 1] {
        if other > 9 {
            continue;
        }
        let candidate = format!("{prefix}{other}");
        let text = format!("{}.{}e{exp}", &candidate[..1], &candidate[1..]);
        if text.parse::<f64>() != Ok(f) {
            continue;
        }
        // The exact decimal value of f (a double has at most 767 significant digits).
        let exact = format!("{f:.800e}");
        let (mantissa, exact_exp) = exact.split_once('e').unwrap_or((&exact, "0"));
        let exact_digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
        let midpoint = format!("{prefix}{}5", last.min(other));
        if exact_exp.parse::<i32>() == Ok(exp) && exact_digits.trim_end_matches('0') == midpoint {
            *digits = candidate;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8785 Appendix B: IEEE 754 bit patterns and the text JCS writes for them.
    #[test]
    fn rfc8785_appendix_b_numbers() {
        let cases: &[(u64, &str)] = &[
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for &(bits, text) in cases {
            assert_eq!(es6_number(f64::from_bits(bits)), text, "{bits:016x}");
        }
    }

    /// RFC 8785 §3.2.3: members sorted by UTF-16 code units, not by code points or UTF-8.
    #[test]
    fn rfc8785_sorting_example() {
        let v: Value = serde_json::from_str(
            r#"{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
                "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
                "\u00f6": "Latin Small Letter O With Diaeresis"}"#,
        )
        .expect("json");
        let keys: Vec<String> = String::from_utf8(canonicalize(&v))
            .expect("utf-8")
            .split(',')
            .map(|m| {
                m.split(':')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches('{')
                    .to_owned()
            })
            .collect();
        let want = [
            "\"\\r\"",
            "\"1\"",
            "\"\u{80}\"",
            "\"\u{f6}\"",
            "\"\u{20ac}\"",
            "\"\u{1f600}\"",
            "\"\u{fb33}\"",
        ];
        assert_eq!(keys, want);
    }

    /// RFC 8785 §3.2.2 example: numbers, strings and literals together.
    #[test]
    fn rfc8785_primitive_example() {
        let v: Value = serde_json::from_str(
            r#"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
                "literals": [null, true, false]}"#,
        )
        .expect("json");
        let want = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assert_eq!(String::from_utf8(canonicalize(&v)).expect("utf-8"), want);
    }
}
