//! JSON text helpers (stdlib spec §11.2): string escaping, the JSON form of a Float, and
//! reading a top-level member (`Json.get`). Compound values are encoded by compiler-generated
//! code that calls these for the leaves.

use std::fmt::Write;

/// `s` as a JSON string literal: `"` and `\` escaped, `\b \f \n \r \t`, other control
/// characters as `\u00xx`; `/` and non-ASCII written as-is.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Float as a JSON number: shortest round-trip, whole values keep `.0`, exponent form for
/// very large or small magnitudes (`1e21`, `1e-7`), NaN and infinities as `null`.
pub fn float(x: f64) -> String {
    if !x.is_finite() {
        return "null".into();
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        return format!("{x:e}");
    }
    let s = format!("{x}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

/// `Json.get`: the top-level member `key` of the object in `text` — a string's contents, a
/// number's text, `true`/`false`, compact text of arrays and objects; `""` for `null`, a
/// missing key, a non-object or invalid JSON. Never fails.
pub fn get(text: &str, key: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) else {
        return String::new();
    };
    match map.get(key) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_per_spec() {
        assert_eq!(quote("a\"b\\c/é\n\u{1}"), "\"a\\\"b\\\\c/é\\n\\u0001\"");
    }

    #[test]
    fn float_keeps_fraction_and_uses_exponents_at_the_extremes() {
        assert_eq!(float(2.0), "2.0");
        assert_eq!(float(3.5), "3.5");
        assert_eq!(float(1e21), "1e21");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(float(f64::NAN), "null");
        assert_eq!(float(-0.5), "-0.5");
    }

    #[test]
    fn get_reads_top_level_members() {
        let doc = r#"{"a":"x","n":42,"f":3.5,"b":true,"o":{"k":[1,2]},"z":null}"#;
        assert_eq!(get(doc, "a"), "x");
        assert_eq!(get(doc, "n"), "42");
        assert_eq!(get(doc, "f"), "3.5");
        assert_eq!(get(doc, "b"), "true");
        assert_eq!(get(doc, "o"), r#"{"k":[1,2]}"#);
        assert_eq!(get(doc, "z"), "");
        assert_eq!(get(doc, "missing"), "");
        assert_eq!(get("not json", "a"), "");
        assert_eq!(get("[1]", "a"), "");
    }
}
