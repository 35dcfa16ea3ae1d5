//! `T.from_row(row)` for `deriving(Row)` structs (stdlib spec §28.1): a database row (column
//! name → text) turned into a struct by its descriptor, field by field in declaration order.
//! The compiler admits only Int, Float, Bool, String and `Option` of those as field types
//! (E0039), so those are the only kinds handled here.
//!
//! Values built on the way are kept in [`Root`]s: every allocation may collect (`mem.rs`).

use crate::mem::Root;
use crate::value::generic::object::{alloc_tuple, none, some};
use crate::value::string::alloc_str;
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::{TY_BOOL, TY_FLOAT, TY_INT, TY_STRING, TY_SUM};

/// The struct `desc` describes, from `column(name)` (the column's text, `None` when the row
/// has no such column): its word, or the first failure's message.
pub fn decode(desc: Desc, column: impl Fn(&str) -> Option<String>) -> Result<u64, String> {
    let mut fields: Vec<Root> = Vec::with_capacity(desc.count());
    for i in 0..desc.count() {
        let name = desc.field_name(i).unwrap_or("");
        let field = desc.item(i);
        let text = column(name);
        let word = if is_option(field) {
            match text.as_deref() {
                None | Some("") => none(field) as u64,
                Some(t) => {
                    let inner = Root::new(scalar(t, field.item(0).item(0))?);
                    some(field, inner.get()) as u64
                }
            }
        } else {
            match text {
                Some(t) => scalar(&t, field)?,
                None => return Err(format!("missing column: {name}")),
            }
        };
        fields.push(Root::new(word));
    }
    let words: Vec<u64> = fields.iter().map(Root::get).collect();
    Ok(alloc_tuple(desc, &words) as u64)
}

fn is_option(desc: Desc) -> bool {
    desc.kind() == TY_SUM && desc.name() == "Option"
}

/// One column's text as a value of the scalar type `desc`.
fn scalar(text: &str, desc: Desc) -> Result<u64, String> {
    match desc.kind() {
        TY_STRING => Ok(alloc_str(text) as u64),
        TY_INT => parse_int(text)
            .map(|n| n as u64)
            .ok_or_else(|| format!("cannot parse '{text}' as Int")),
        TY_FLOAT => parse_float(text)
            .map(f64::to_bits)
            .ok_or_else(|| format!("cannot parse '{text}' as Float")),
        TY_BOOL => parse_bool(text)
            .map(u64::from)
            .ok_or_else(|| format!("cannot parse '{text}' as Bool")),
        _ => Err(format!("cannot decode a column as {}", desc.name())),
    }
}

/// Trimmed, base 10.
fn parse_int(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// Trimmed; `Infinity` and `-Infinity` as well as Rust's float syntax (`inf`, `NaN`, exponents).
fn parse_float(text: &str) -> Option<f64> {
    match text.trim() {
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        t => t.parse().ok(),
    }
}

/// Case-insensitive `true t 1 yes` / `false f 0 no`.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Some(true),
        "false" | "f" | "0" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_follow_the_spec_rules() {
        assert_eq!(parse_int(" 42 "), Some(42));
        assert_eq!(parse_int("4.2"), None);
        assert_eq!(parse_float("Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_float(" -1.5 "), Some(-1.5));
        assert_eq!(parse_float("x"), None);
        assert_eq!(parse_bool("YES"), Some(true));
        assert_eq!(parse_bool("f"), Some(false));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
