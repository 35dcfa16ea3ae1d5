//! Encoding a value by its descriptor: a walk over an explicit work list (no Rust
//! recursion), reading objects by their headers and allocating nothing on the Mesh heap.

use super::wire::{put_int, put_text, put_varint, tag, MAX_DEPTH, MAX_ELEMENTS, MAX_STRING};
use super::{fingerprint, shape, CodecError};
use crate::sched::process::{pid_node, pid_serial};
use crate::value::generic::object::{self, Obj};
use crate::value::list::List;
use crate::value::map::{Kind, Table};
use crate::value::string;
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// Appends the wire form of the message `word` (a live value of the current process of static
/// type `desc`) to `out`: version, fingerprint, value. On error `out` is left as it was.
///
/// # Safety
/// `desc` must be null or a live descriptor (compiler constant data) and `word` a live value
/// of the current process of that type.
pub unsafe fn encode(
    word: u64,
    desc: *const TypeDesc,
    out: &mut Vec<u8>,
) -> Result<(), CodecError> {
    // SAFETY: descriptors reaching the runtime are compiler constants (or the runtime's own).
    // SAFETY: contract.
    let desc = unsafe { Desc::from_ptr(desc) };
    let start = out.len();
    out.push(super::VERSION);
    out.extend_from_slice(&fingerprint::of(desc).to_be_bytes());
    // SAFETY: `word` is a live value of type `desc` (contract).
    let result = unsafe { value(word, desc, out) };
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// The wire form of `word` in a new buffer.
///
/// # Safety
/// As for [`encode`].
pub unsafe fn encode_message(word: u64, desc: *const TypeDesc) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    // SAFETY: forwarded contract.
    unsafe { encode(word, desc, &mut out)? };
    Ok(out)
}

/// What remains to write.
enum Work {
    /// A value of a type, at a nesting depth (the top-level value is at 1).
    Value(u64, Desc, usize),
    /// A field name (before the field's value).
    Name(&'static str),
}

fn too_many(what: &'static str, n: usize) -> Result<(), CodecError> {
    if n > MAX_ELEMENTS {
        return Err(CodecError::TooLarge {
            what,
            len: n as u64,
        });
    }
    Ok(())
}

fn put_string(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), CodecError> {
    if bytes.len() > MAX_STRING {
        return Err(CodecError::TooLarge {
            what: "string",
            len: bytes.len() as u64,
        });
    }
    put_text(out, bytes);
    Ok(())
}

/// The bytes of a live string object.
///
/// # Safety
/// `word` must be a live string.
unsafe fn text<'a>(word: u64) -> &'a [u8] {
    // SAFETY: forwarded contract.
    unsafe { string::bytes(word as *const u8) }
}

/// # Safety
/// `root` must be a live value of type `desc`.
unsafe fn value(root: u64, desc: Desc, out: &mut Vec<u8>) -> Result<(), CodecError> {
    let mut work = vec![Work::Value(root, desc, 1)];
    while let Some(item) = work.pop() {
        let (word, desc, depth) = match item {
            Work::Name(name) => {
                put_text(out, name.as_bytes());
                continue;
            }
            Work::Value(w, d, depth) => (w, d, depth),
        };
        if depth > MAX_DEPTH {
            return Err(CodecError::TooDeep);
        }
        let obj = word as Obj;
        // Children are pushed in reverse so they are written in order.
        let mut children = |items: &mut dyn Iterator<Item = (u64, Desc)>| {
            let start = work.len();
            work.extend(items.map(|(w, d)| Work::Value(w, d, depth + 1)));
            work[start..].reverse();
        };
        match shape::of(desc)? {
            shape::Shape::Int => {
                out.push(tag::INT);
                put_int(out, word as i64);
            }
            shape::Shape::DateTime => {
                out.push(tag::DATETIME);
                put_int(out, word as i64);
            }
            shape::Shape::Float => {
                out.push(tag::FLOAT);
                out.extend_from_slice(&word.to_be_bytes());
            }
            shape::Shape::Bool => out.push(if word & 0xff != 0 {
                tag::TRUE
            } else {
                tag::FALSE
            }),
            shape::Shape::Unit => out.push(tag::UNIT),
            shape::Shape::String => {
                out.push(tag::STRING);
                // SAFETY: a String value is a live string.
                put_string(out, unsafe { text(word) })?;
            }
            shape::Shape::Atom => {
                out.push(tag::ATOM);
                // SAFETY: an Atom value is its name, a live string.
                put_string(out, unsafe { text(word) })?;
            }
            shape::Shape::Json => {
                out.push(tag::JSON);
                // SAFETY: a Json value is its text, a live string.
                put_string(out, unsafe { text(word) })?;
            }
            shape::Shape::Regex => {
                out.push(tag::TEXT);
                put_text(out, b"Regex");
                // SAFETY: a Regex value is its source, a live string.
                put_string(out, unsafe { text(word) })?;
            }
            shape::Shape::Pid => pid(out, word)?,
            shape::Shape::Tuple => {
                out.push(tag::TUPLE);
                put_varint(out, desc.count() as u64);
                // SAFETY: a tuple of `desc` has `count` fields.
                children(
                    &mut (0..desc.count()).map(|i| (unsafe { object::word(obj, i) }, desc.item(i))),
                );
            }
            shape::Shape::Struct => {
                out.push(tag::STRUCT);
                put_text(out, desc.name().as_bytes());
                put_varint(out, desc.count() as u64);
                let start = work.len();
                for i in 0..desc.count() {
                    work.push(Work::Name(desc.field_name(i).unwrap_or("")));
                    // SAFETY: a struct of `desc` has `count` fields.
                    let w = unsafe { object::word(obj, i) };
                    work.push(Work::Value(w, desc.item(i), depth + 1));
                }
                // Popped in order: name 0, value 0, name 1, …
                work[start..].reverse();
            }
            shape::Shape::Option | shape::Shape::Result | shape::Shape::Sum => {
                // SAFETY: a sum value's payload word 0 is its tag.
                let t = unsafe { object::word(obj, 0) } as usize;
                let case = desc.item(t);
                match shape::of(desc)? {
                    shape::Shape::Option => {
                        out.push([tag::SOME, tag::NONE][t.min(1)]);
                    }
                    shape::Shape::Result => {
                        out.push([tag::OK, tag::ERR][t.min(1)]);
                    }
                    _ => {
                        out.push(tag::SUM);
                        put_text(out, desc.name().as_bytes());
                        put_text(out, case.name().as_bytes());
                        put_varint(out, case.count() as u64);
                    }
                }
                // SAFETY: the variant's fields follow its tag.
                children(
                    &mut (0..case.count())
                        .map(|i| (unsafe { object::word(obj, 1 + i) }, case.item(i))),
                );
            }
            shape::Shape::List => {
                // SAFETY: a List value is a live list.
                let list = unsafe { List::from_word(word) };
                too_many("list", list.len())?;
                out.push(tag::LIST);
                put_varint(out, list.len() as u64);
                let elem = desc.elem();
                children(&mut list.iter().map(|w| (w, elem)));
            }
            shape::Shape::Map | shape::Shape::Set => {
                let kind = Kind::of(desc);
                // SAFETY: a Map or Set value is a live table of its desc.
                let table = unsafe { Table::from_word(word) };
                let map = matches!(shape::of(desc)?, shape::Shape::Map);
                too_many(if map { "map" } else { "set" }, table.size())?;
                out.push(if map { tag::MAP } else { tag::SET });
                put_varint(out, table.size() as u64);
                let (k, v) = (desc.item(0), desc.item(1));
                if map {
                    children(
                        &mut table
                            .entries(kind)
                            .flat_map(|(key, val)| [(key, k), (val, v)]),
                    );
                } else {
                    children(&mut table.entries(kind).map(|(key, _)| (key, k)));
                }
            }
            // SAFETY: a Request value is the runtime's six-field tuple.
            shape::Shape::Request => unsafe { request(out, obj)? },
            // SAFETY: a Response value is the runtime's three-field tuple.
            shape::Shape::Response => unsafe { response(out, obj)? },
        }
    }
    Ok(())
}

/// A pid: (node name, incarnation, serial); `("", 0, 0)` for the no-process pid.
fn pid(out: &mut Vec<u8>, word: u64) -> Result<(), CodecError> {
    out.push(tag::PID);
    if word == 0 {
        put_text(out, b"");
        out.extend_from_slice(&0u64.to_be_bytes());
        put_varint(out, 0);
        return Ok(());
    }
    let slot = pid_node(word);
    let node = crate::dist::node_of_slot(slot).ok_or(if slot == 0 {
        CodecError::NotDistributed
    } else {
        CodecError::UnknownNode(slot)
    })?;
    put_text(out, node.name.as_bytes());
    out.extend_from_slice(&node.incarnation.to_be_bytes());
    put_varint(out, pid_serial(word));
    Ok(())
}

/// Name/value pairs of a runtime tuple of 2n strings (or 0 for none).
///
/// # Safety
/// `pairs` must be 0 or a live tuple of an even number of strings.
unsafe fn string_pairs(out: &mut Vec<u8>, pairs: Obj) -> Result<(), CodecError> {
    // SAFETY: forwarded contract.
    let n = if pairs.is_null() {
        0
    } else {
        // SAFETY: a non-null `pairs` is a live tuple (contract).
        (unsafe { object::aux(pairs) }) as usize / 2
    };
    too_many("headers", n)?;
    put_varint(out, n as u64);
    for i in 0..2 * n {
        // SAFETY: field i exists and is a live string (contract).
        put_string(out, unsafe { text(object::word(pairs, i)) })?;
    }
    Ok(())
}

/// `Request`: `{method, path, query, body, headers, params}` (`abi/http.rs`).
///
/// # Safety
/// `obj` must be a live Request.
unsafe fn request(out: &mut Vec<u8>, obj: Obj) -> Result<(), CodecError> {
    out.push(tag::REQUEST);
    for i in 0..4 {
        // SAFETY: fields 0–3 are live strings (contract).
        put_string(out, unsafe { text(object::word(obj, i)) })?;
    }
    // SAFETY: fields 4 and 5 are tuples of string pairs (contract).
    unsafe {
        string_pairs(out, object::word(obj, 4) as Obj)?;
        string_pairs(out, object::word(obj, 5) as Obj)
    }
}

/// `Response`: `{status, body, headers or 0}` (`abi/http.rs`).
///
/// # Safety
/// `obj` must be a live Response.
unsafe fn response(out: &mut Vec<u8>, obj: Obj) -> Result<(), CodecError> {
    out.push(tag::RESPONSE);
    // SAFETY: the fields of a Response (contract).
    unsafe {
        put_int(out, object::word(obj, 0) as i64);
        put_string(out, text(object::word(obj, 1)))?;
        string_pairs(out, object::word(obj, 2) as Obj)
    }
}
