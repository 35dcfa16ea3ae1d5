//! The Display and Debug text of any value (stdlib spec §0.5; language spec §3.5, §4.10),
//! matching what the compiler generates for derived `Display`/`Debug`:
//!
//! | Value | Display | Debug |
//! |---|---|---|
//! | Int, Float, Bool, `()` | `42`, `2.5`, `true`, `()` | same |
//! | String | itself | quoted, JSON escapes: `"a\"b"` |
//! | List | `[1, 2]`, `[a, b]` | `["a", "b"]` |
//! | Map | `%{1 => 10, 2 => 20}` (insertion order) | `%{"k" => 1}` |
//! | Set | `#{1, 2}` (insertion order) | `#{"a"}` |
//! | tuple | `(1, a)` | `(1, "a")` |
//! | struct | `Point(1, a)` | `Point { x: 1, name: "a" }` |
//! | variant | `Some(3)`, `None`, `Circle(2)` | `Some("a")` |
//!
//! A struct or sum type with a user `impl Display` prints with it (its descriptor carries the
//! generated function); Debug always uses the structural form.

use super::{string_bytes, Fields};
use crate::value::list::{self, List};
use crate::value::map::{self, Table};
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::*;
use std::fmt::Write;

/// Appends the Display form of `word` to `out`.
///
/// # Safety
/// `word` must be a value of the type `desc`.
pub unsafe fn display(word: u64, desc: Desc, out: &mut String) {
    // A user Display function may allocate (and collect): keep the value alive meanwhile,
    // since its parts are otherwise only on this function's Rust work list.
    let _root = crate::mem::Root::new(word);
    // SAFETY: forwarded contract.
    unsafe { render(word, desc, out, false) }
}

/// Appends the Debug (`inspect`) form of `word` to `out`.
///
/// # Safety
/// `word` must be a value of the type `desc`.
pub unsafe fn debug(word: u64, desc: Desc, out: &mut String) {
    // SAFETY: forwarded contract.
    unsafe { render(word, desc, out, true) }
}

enum Work {
    Value(u64, Desc),
    Text(&'static str),
    /// Remaining fields from index `.1`; `.2` = print field names (`name: v`).
    Fields(Fields, usize, bool),
    List(list::Iter, Desc, bool),
    Table(map::Entries, Desc, Option<Desc>, bool),
}

/// # Safety
/// `word` must be a value of the type `desc`.
unsafe fn render(word: u64, desc: Desc, out: &mut String, debug: bool) {
    let mut stack = vec![Work::Value(word, desc)];
    while let Some(work) = stack.pop() {
        match work {
            // SAFETY: every value pushed is a value of its desc (the contract, then the fields,
            // elements and entries of such values).
            Work::Value(w, d) => unsafe { value(w, d, out, debug, &mut stack) },
            Work::Text(s) => out.push_str(s),
            Work::Fields(f, i, named) => {
                if i < f.count() {
                    stack.push(Work::Fields(f, i + 1, named));
                    stack.push(Work::Value(f.get(i), f.desc.item(i)));
                    if i > 0 {
                        out.push_str(", ");
                    }
                    if let Some(name) = f.desc.field_name(i).filter(|_| named) {
                        out.push_str(name);
                        out.push_str(": ");
                    }
                }
            }
            Work::List(mut it, elem, first) => {
                if let Some(x) = it.next() {
                    if !first {
                        out.push_str(", ");
                    }
                    stack.push(Work::List(it, elem, false));
                    stack.push(Work::Value(x, elem));
                }
            }
            Work::Table(mut it, key, value, first) => {
                if let Some((k, v)) = it.next() {
                    if !first {
                        out.push_str(", ");
                    }
                    stack.push(Work::Table(it, key, value, false));
                    if let Some(vd) = value {
                        stack.push(Work::Value(v, vd));
                        stack.push(Work::Text(" => "));
                    }
                    stack.push(Work::Value(k, key));
                }
            }
        }
    }
}

/// Writes a scalar, or the opening of a compound value and pushes its parts and closing.
///
/// # Safety
/// `w` must be a value of the type `desc`.
unsafe fn value(w: u64, desc: Desc, out: &mut String, debug: bool, stack: &mut Vec<Work>) {
    // Only structs and sum types have user functions.
    if let Some(f) = desc.user_display().filter(|_| !debug) {
        // The function takes a value of the type and returns a Mesh string (the `Desc`
        // contract); the value is rooted by `display`.
        let s = f(w);
        // SAFETY: the function returns a live string.
        if let Some(bytes) = unsafe { string_bytes(s) } {
            out.push_str(&String::from_utf8_lossy(bytes));
        }
        return;
    }
    match desc.kind() {
        TY_INT => {
            let _ = write!(out, "{}", w as i64);
        }
        TY_FLOAT => out.push_str(&crate::value::display::float(f64::from_bits(w))),
        TY_BOOL => out.push_str(if w as u8 != 0 { "true" } else { "false" }),
        TY_UNIT => out.push_str("()"),
        TY_PID => {
            // Node slot (top 16 bits, 0 = this node) and serial (`sched::pid_text`).
            let _ = write!(out, "#PID<{}.{}>", w >> 48, w & ((1 << 48) - 1));
        }
        TY_STRING | TY_ATOM | TY_OPAQUE => {
            // SAFETY: values of these kinds are heap objects (contract).
            let text = unsafe { string_bytes(w) }.map(String::from_utf8_lossy);
            match (desc.kind(), text) {
                (TY_STRING, Some(s)) if debug => out.push_str(&crate::value::json::quote(&s)),
                (TY_ATOM, Some(s)) if debug => {
                    out.push(':');
                    out.push_str(&s);
                }
                (_, Some(s)) => out.push_str(&s),
                (_, None) => {
                    let _ = write!(out, "#{}", desc.name());
                }
            }
        }
        TY_TUPLE => {
            // SAFETY: values of a TUPLE desc are tuple objects (contract).
            let fields = unsafe { Fields::of_tuple(w, desc) };
            out.push('(');
            stack.push(Work::Text(")"));
            stack.push(Work::Fields(fields, 0, false));
        }
        TY_STRUCT => {
            // SAFETY: values of a STRUCT desc are tuple objects (contract).
            let fields = unsafe { Fields::of_tuple(w, desc) };
            // A struct of another module has a module-qualified desc name (`Types.User`);
            // it displays as the spec's `Name(v1, v2)` (language §3.5).
            let name = desc.name().rsplit('.').next().unwrap_or_default();
            constructor(name, fields, debug, out, stack);
        }
        TY_SUM => {
            // SAFETY: values of a SUM desc are variant objects (contract).
            let (_, fields) = unsafe { Fields::of_variant(w, desc) };
            constructor(fields.desc.name(), fields, false, out, stack);
        }
        TY_LIST => {
            // SAFETY: values of a LIST desc are lists (contract).
            let list = unsafe { List::from_word(w) };
            out.push('[');
            stack.push(Work::Text("]"));
            stack.push(Work::List(list.iter(), desc.elem(), true));
        }
        TY_MAP | TY_SET => {
            // SAFETY: values of MAP and SET descs are tables of that desc (contract).
            let table = unsafe { Table::from_word(w) };
            let is_map = desc.kind() == TY_MAP;
            let kind = map::Kind::of(desc);
            out.push_str(if is_map { "%{" } else { "#{" });
            stack.push(Work::Text("}"));
            let value = is_map.then(|| desc.item(1));
            stack.push(Work::Table(table.entries(kind), desc.elem(), value, true));
        }
        TY_FUN => out.push_str("#Function"),
        _ => {
            let _ = write!(out, "#{}", desc.name());
        }
    }
}

/// `Name`, `Name(a, b)` or (`named`) `Name { f: a, g: b }`.
fn constructor(name: &str, fields: Fields, named: bool, out: &mut String, stack: &mut Vec<Work>) {
    out.push_str(name);
    if fields.count() == 0 {
        return;
    }
    let named = named && fields.desc.field_name(0).is_some();
    out.push_str(if named { " { " } else { "(" });
    stack.push(Work::Text(if named { " }" } else { ")" }));
    stack.push(Work::Fields(fields, 0, named));
}
