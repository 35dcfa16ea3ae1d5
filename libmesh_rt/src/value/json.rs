//! JSON text helpers (stdlib spec §11): string escaping, the JSON form of a Float, reading
//! members (`Json.get`, `Json.get_nested`), and parsing a document into the canonical text a
//! `Json` value holds (`Json.parse`). Compound values are encoded by compiler-generated code
//! that calls these for the leaves.
//!
//! A `Json` value at run time is the string of its compact encoding, written by the rules of
//! §11.2: object members in ascending byte order of their keys, the last duplicate winning.

use std::fmt::Write;

pub mod decode;

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

/// `Json.get_nested`: `text[k1][k2]` read as by [`get`]; `""` when any level is missing.
pub fn get_nested(text: &str, k1: &str, k2: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) else {
        return String::new();
    };
    let Some(serde_json::Value::Object(inner)) = map.get(k1) else {
        return String::new();
    };
    match inner.get(k2) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => canonical(other),
    }
}

/// `Json.parse`: any JSON document as its canonical compact text, or the parser's message
/// with position (`expected value at line 1 column 1`). Nesting is bounded by the parser's
/// recursion limit (128 levels), which also bounds [`write`]'s recursion.
pub fn parse(text: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(canonical(&value))
}

/// A parsed value as compact text with sorted keys (§11.2).
fn canonical(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write(&mut out, value);
    out
}

fn write(out: &mut String, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64() {
            Some(x) if !n.is_i64() && !n.is_u64() => out.push_str(&float(x)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quote(k));
                out.push(':');
                write(out, v);
            }
            out.push('}');
        }
    }
}

/// `Json.encode_map`: an object of string values, members sorted by key.
pub fn encode_map<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut members: Vec<(&str, &str)> = entries.into_iter().collect();
    members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    members.dedup_by(|later, earlier| later.0 == earlier.0);
    let body: Vec<String> = members
        .into_iter()
        .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// `Json.encode_list`: an array of strings.
pub fn encode_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let body: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", body.join(","))
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

    #[test]
    fn parse_sorts_members_keeps_the_last_duplicate_and_reports_positions() {
        assert_eq!(
            parse(r#" {"b": [1, 2.0, -3e2], "a": {"z": null, "y": "\u00e9\n"}, "b": true} "#),
            Ok(r#"{"a":{"y":"é\n","z":null},"b":true}"#.into())
        );
        assert!(parse("1e400").is_err());
        assert_eq!(
            parse(""),
            Err("EOF while parsing a value at line 1 column 0".into())
        );
        assert_eq!(parse("x"), Err("expected value at line 1 column 1".into()));
        assert!(parse(&"[".repeat(1000)).is_err());
        assert_eq!(
            parse("18446744073709551615"),
            Ok("18446744073709551615".into())
        );
    }

    #[test]
    fn nested_reads_and_string_collections() {
        let doc = r#"{"a":{"b":{"c":1},"s":"x"},"n":1}"#;
        assert_eq!(get_nested(doc, "a", "b"), r#"{"c":1}"#);
        assert_eq!(get_nested(doc, "a", "s"), "x");
        assert_eq!(get_nested(doc, "n", "s"), "");
        assert_eq!(get_nested(doc, "a", "zz"), "");
        assert_eq!(
            encode_map([("b", "1"), ("a", "\"")]),
            r#"{"a":"\"","b":"1"}"#
        );
        assert_eq!(encode_map([]), "{}");
        assert_eq!(encode_list(["x", "é"]), r#"["x","é"]"#);
    }
}
