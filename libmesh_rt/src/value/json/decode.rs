//! `T.from_json` (stdlib spec §11.4): a parsed JSON document turned into a Mesh value of the
//! type a descriptor describes. The compiler passes the `Result<T, String>` descriptor; the
//! decoder walks `T`'s descriptor (struct field names, sum cases, element types) alongside the
//! document, so one runtime function serves every `deriving(Json)` type.
//!
//! Values built on the way are kept in locals (seen by the stack scan) or in [`Root`]s, never
//! only in a Rust collection: every allocation may collect (`mem.rs`).

use crate::mem::Root;
use crate::value::generic::object::{alloc_tuple, alloc_variant, none, some};
use crate::value::list::{Builder, Shape};
use crate::value::map::{Kind, Table};
use crate::value::string::alloc_str;
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::{
    TY_BOOL, TY_FLOAT, TY_INT, TY_LIST, TY_MAP, TY_OPAQUE, TY_SET, TY_STRING, TY_STRUCT, TY_SUM,
    TY_UNIT,
};
use serde_json::Value;

/// Decodes `text` as a value of the type `desc` describes: the value's word, or the error text
/// of §11.4 (the parser's message when `text` is not JSON).
pub fn decode(text: &str, desc: Desc) -> Result<u64, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    value_of(&value, desc)
}

/// One JSON value as a value of `desc`. Recursion follows the document, whose depth the
/// parser bounds (128 levels).
fn value_of(value: &Value, desc: Desc) -> Result<u64, String> {
    match desc.kind() {
        TY_INT => match value {
            Value::Number(n) => Ok(match n.as_i64() {
                Some(i) => i,
                // A float (or an integer beyond Int) truncates toward zero, saturating.
                None => n.as_f64().unwrap_or(0.0) as i64,
            } as u64),
            _ => Err("expected Int".into()),
        },
        TY_FLOAT => match value.as_f64() {
            Some(x) => Ok(x.to_bits()),
            None => Err("expected Float".into()),
        },
        TY_BOOL => match value {
            Value::Bool(b) => Ok(u64::from(*b)),
            _ => Err("expected Bool".into()),
        },
        TY_STRING => match value {
            Value::String(s) => Ok(alloc_str(s) as u64),
            _ => Err("expected String".into()),
        },
        TY_UNIT => match value {
            Value::Null => Ok(0),
            _ => Err("expected null".into()),
        },
        // A `Json` field holds the member as its canonical text.
        TY_OPAQUE if desc.name() == "Json" => Ok(alloc_str(&super::canonical(value)) as u64),
        TY_SUM if desc.name() == "Option" => match value {
            Value::Null => Ok(none(desc) as u64),
            v => {
                let inner = value_of(v, desc.item(0).item(0))?;
                Ok(some(desc, inner) as u64)
            }
        },
        TY_STRUCT => struct_of(value, desc),
        TY_SUM => sum_of(value, desc),
        TY_LIST => {
            let Value::Array(items) = value else {
                return Err("expected Array".into());
            };
            let mut builder = Builder::new(Shape::list(desc));
            for item in items {
                let w = value_of(item, desc.elem())?;
                builder.push(w);
            }
            Ok(builder.finish().as_word())
        }
        TY_SET => {
            let Value::Array(items) = value else {
                return Err("expected Array".into());
            };
            let kind = Kind::of(desc);
            let mut table = Table::empty(kind);
            for item in items {
                let w = value_of(item, desc.elem())?;
                // SAFETY: `w` is a value of the set's element type, decoded by its desc.
                table = unsafe { table.put(kind, w, 0) };
            }
            Ok(table.as_word())
        }
        TY_MAP => {
            let Value::Object(members) = value else {
                return Err("expected Object".into());
            };
            let kind = Kind::of(desc);
            let mut table = Table::empty(kind);
            for (key, member) in members {
                let v = value_of(member, desc.item(1))?;
                let root = Root::new(v);
                let k = alloc_str(key) as u64;
                // SAFETY: the sema check makes the key type String; `v` was decoded by the
                // value desc.
                table = unsafe { table.put(kind, k, root.get()) };
            }
            Ok(table.as_word())
        }
        _ => Err(format!("cannot decode a value of type {}", desc.name())),
    }
}

/// A struct from an object with a member per field (`None` for an absent `Option` field).
fn struct_of(value: &Value, desc: Desc) -> Result<u64, String> {
    let Value::Object(members) = value else {
        return Err("expected Object".into());
    };
    let mut fields: Vec<Root> = Vec::with_capacity(desc.count());
    for i in 0..desc.count() {
        let name = desc.field_name(i).unwrap_or("");
        let field = desc.item(i);
        let w = match members.get(name) {
            Some(member) => value_of(member, field)?,
            None if is_option(field) => none(field) as u64,
            None => return Err(format!("missing field: {name}")),
        };
        fields.push(Root::new(w));
    }
    let words: Vec<u64> = fields.iter().map(Root::get).collect();
    Ok(alloc_tuple(desc, &words) as u64)
}

/// A sum value from `{"tag": "<Variant>", "fields": [...]}` (a nullary variant may omit
/// `fields`).
fn sum_of(value: &Value, desc: Desc) -> Result<u64, String> {
    let Value::Object(members) = value else {
        return Err("expected Object".into());
    };
    let tag = match members.get("tag") {
        Some(Value::String(tag)) => tag,
        Some(_) => return Err("expected String".into()),
        None => return Err("missing field: tag".into()),
    };
    let Some(index) = (0..desc.count()).find(|&i| desc.item(i).name() == tag) else {
        return Err(format!("unknown variant for {}", desc.name()));
    };
    let case = desc.item(index);
    let empty = Vec::new();
    let payload = match members.get("fields") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) if case.count() == 0 => &empty,
        None => return Err("missing field: fields".into()),
        Some(_) => return Err("expected Array".into()),
    };
    if payload.len() != case.count() {
        return Err(format!(
            "expected {} fields for {tag}, found {}",
            case.count(),
            payload.len()
        ));
    }
    let mut fields: Vec<Root> = Vec::with_capacity(payload.len());
    for (i, item) in payload.iter().enumerate() {
        fields.push(Root::new(value_of(item, case.item(i))?));
    }
    let words: Vec<u64> = fields.iter().map(Root::get).collect();
    Ok(alloc_variant(desc, index as u64, &words) as u64)
}

fn is_option(desc: Desc) -> bool {
    desc.kind() == TY_SUM && desc.name() == "Option"
}
