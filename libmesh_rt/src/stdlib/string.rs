//! `String` module logic (stdlib spec §3) over `&str`. Lengths and positions count Unicode
//! scalar values (code points), never bytes (§0.4). The trivial operations (`contains`,
//! `starts_with`, `trim`, case mapping) are the standard library's and are called directly by
//! `abi/stdlib_string.rs`; what needs a decision lives here.

/// `String.length`: the number of code points.
pub fn length(s: &str) -> i64 {
    s.chars().count() as i64
}

/// `String.slice`: code points `[start, end)`, both bounds clamped to `[0, length]`;
/// `end <= start` gives `""`. Never fails.
pub fn slice(s: &str, start: i64, end: i64) -> &str {
    if end <= start || end <= 0 {
        return "";
    }
    let from = byte_offset(s, start);
    let to = byte_offset(s, end);
    &s[from..to]
}

/// The byte offset of code point `index`, clamped to `[0, s.len()]`.
fn byte_offset(s: &str, index: i64) -> usize {
    if index <= 0 {
        return 0;
    }
    s.char_indices()
        .nth(index as usize)
        .map_or(s.len(), |(at, _)| at)
}

/// `String.replace`: every non-overlapping occurrence of `from`, left to right. An empty
/// `from` inserts `to` before every code point and at the end (`str::replace` does exactly
/// this: `"ab"` → `"-a-b-"`).
pub fn replace(s: &str, from: &str, to: &str) -> String {
    s.replace(from, to)
}

/// `String.split`: every piece between occurrences of `sep`, empty pieces kept. `""` gives
/// `[""]`; an empty `sep` splits between code points with an empty first and last piece.
pub fn split<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    s.split(sep).collect()
}

/// `String.to_int`: surrounding white space trimmed, then an optional `+`/`-` and ASCII
/// decimal digits fitting an `i64`. Anything else → `None`.
pub fn to_int(s: &str) -> Option<i64> {
    parse_int(s.trim())
}

/// An optional sign and decimal digits, nothing else, into an `i64` (no overflow).
/// Shared with `Env.get_int`, which does not trim.
pub fn parse_int(s: &str) -> Option<i64> {
    // `i64::from_str` accepts exactly this grammar (one optional sign, then at least one
    // ASCII digit) and reports overflow as an error.
    s.parse::<i64>().ok()
}

/// `String.to_float`: trimmed, then decimal or scientific notation (`3.14`, `-2e3`, `.5`,
/// `5.`), `inf`/`infinity` and `NaN` (any letter case, optional sign). Anything else → `None`.
pub fn to_float(s: &str) -> Option<f64> {
    // `f64::from_str` accepts exactly these forms and rejects hexadecimal, `_` separators,
    // a lone `.`, and an empty string.
    s.trim().parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_code_points() {
        assert_eq!(length(""), 0);
        assert_eq!(length("héllo"), 5);
        assert_eq!(length("日本語"), 3);
        assert_eq!(length("👋🏽"), 2);
    }

    #[test]
    fn slice_counts_code_points_and_clamps() {
        assert_eq!(slice("héllo", 1, 3), "él");
        assert_eq!(slice("héllo", 0, 5), "héllo");
        assert_eq!(slice("héllo", -10, 2), "hé");
        assert_eq!(slice("héllo", 3, 100), "lo");
        assert_eq!(slice("héllo", 4, 2), "");
        assert_eq!(slice("héllo", 2, 2), "");
        assert_eq!(slice("héllo", 7, 9), "");
        assert_eq!(slice("héllo", -5, -1), "");
        assert_eq!(slice("", 0, 3), "");
        assert_eq!(slice("{\"value\":\"x\"}", 9, 12), "\"x\"");
        assert_eq!(slice("ab", i64::MIN, i64::MAX), "ab");
    }

    #[test]
    fn replace_handles_empty_patterns() {
        assert_eq!(replace("a.b.c", ".", "::"), "a::b::c");
        assert_eq!(replace("aaa", "aa", "b"), "ba");
        assert_eq!(replace("ab", "", "-"), "-a-b-");
        assert_eq!(replace("", "", "-"), "-");
        assert_eq!(replace("héé", "é", "e"), "hee");
        assert_eq!(replace("abc", "x", "y"), "abc");
    }

    #[test]
    fn split_keeps_empty_pieces() {
        assert_eq!(split("a,,b", ","), ["a", "", "b"]);
        assert_eq!(split("", ","), [""]);
        assert_eq!(split("ab", ""), ["", "a", "b", ""]);
        assert_eq!(split("a--b--", "--"), ["a", "b", ""]);
    }

    #[test]
    fn to_int_trims_and_takes_an_optional_sign() {
        assert_eq!(to_int(" 42\n"), Some(42));
        assert_eq!(to_int("-7"), Some(-7));
        assert_eq!(to_int("+7"), Some(7));
        assert_eq!(to_int("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(to_int("9223372036854775807"), Some(i64::MAX));
        assert_eq!(to_int("9223372036854775808"), None);
        assert_eq!(to_int(""), None);
        assert_eq!(to_int("-"), None);
        assert_eq!(to_int("1.5"), None);
        assert_eq!(to_int("1 2"), None);
        assert_eq!(to_int("0x10"), None);
        assert_eq!(to_int("--1"), None);
        assert_eq!(to_int("١٢"), None);
        assert_eq!(parse_int(" 1"), None);
    }

    #[test]
    fn to_float_accepts_the_spec_forms() {
        assert_eq!(to_float("2.75"), Some(2.75));
        assert_eq!(to_float("-2e3"), Some(-2000.0));
        assert_eq!(to_float(".5"), Some(0.5));
        assert_eq!(to_float("5."), Some(5.0));
        assert_eq!(to_float(" 1E2 "), Some(100.0));
        assert_eq!(to_float("inf"), Some(f64::INFINITY));
        assert_eq!(to_float("-inf"), Some(f64::NEG_INFINITY));
        assert!(to_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(to_float("7"), Some(7.0));
        assert_eq!(to_float(""), None);
        assert_eq!(to_float("."), None);
        assert_eq!(to_float("abc"), None);
        assert_eq!(to_float("1,5"), None);
        assert_eq!(to_float("0x1p3"), None);
    }
}
