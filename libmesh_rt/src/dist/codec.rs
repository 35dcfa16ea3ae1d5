//! The value wire format of runtime-cluster.md §3.6: how a message, spawn arguments or a
//! clustered route's request/response cross nodes.
//!
//! **Driven by descriptors on both sides.** The sender walks its value by the descriptor of
//! its static type (`encode`), the receiver rebuilds it by the descriptor *it* expects
//! (`decode`): the receive's message type, a spawned function's parameter types. The bytes
//! are self-describing (every value is tagged; structs carry their type and field names, sum
//! values their type and variant names) so the receiver checks each step against its
//! descriptor, and the message starts with a fingerprint of the sender's descriptor so that
//! a message of another type is dropped exactly as a local one is (`desc_compatible`),
//! empty collections included. Decoded objects carry the receiver's own descriptors (with its
//! user `Display`/`Eq`/`Ord`/`Hash` functions), never descriptors made up from the bytes.
//!
//! ```text
//! message = version:u8 (1)  fingerprint:u64 (big-endian)  value
//! value   = tag:u8 payload          (tags: `wire::tag`)
//! int     = zigzag LEB128 varint    len/count = LEB128 varint (≤ 10 bytes, no overflow)
//! text    = len bytes (UTF-8)
//! ```
//!
//! | tag | value | payload |
//! |---|---|---|
//! | `INT` | `Int` | int |
//! | `FLOAT` | `Float` | 8 bytes, the IEEE bits big-endian |
//! | `FALSE` / `TRUE` | `Bool` | — |
//! | `UNIT` | `()` | — |
//! | `STRING` | `String` (≤ 16 MiB) | text |
//! | `ATOM` | `Atom` | text (the name) |
//! | `TUPLE` | tuples | count, values |
//! | `STRUCT` | structs (`Range` too) | type name, count, (field name, value)… |
//! | `SUM` | sum values | type name, variant name, count, values |
//! | `NONE` / `SOME` / `OK` / `ERR` | `Option` / `Result` | — / value |
//! | `LIST` | `List`, `Queue` | count, values |
//! | `MAP` | `Map` | count, (key, value)… in the map's order |
//! | `SET` | `Set` | count, values in the set's order |
//! | `PID` | `Pid` | node name text, incarnation u64 big-endian, serial varint (`""`, 0, 0: no process) |
//! | `JSON` | `Json` | its compact text |
//! | `DATETIME` | `DateTime` | int (Unix ms) |
//! | `TEXT` | `Regex`, `Query`, `Expr`, `HttpRequest` | type name, text |
//! | `REQUEST` | `Request` | method, path, query, body texts; headers, params: count, (name, value)… |
//! | `RESPONSE` | `Response` | status int; body text; headers: count, (name, value)… |
//!
//! Collections hold at most 1 000 000 elements, strings 16 MiB, and values nest at most
//! `MAX_DEPTH` deep, on both sides. Closures and resource handles are refused when encoding
//! (`CodecError::NotSerialisable`, whose `panic_text` is the spec's panic).
//!
//! Decoding never panics and never trusts a length: buffers grow with the bytes actually
//! read, and every error is a `CodecError`. Both walks are iterative (no Rust recursion), so
//! deep values need no stack.

mod decode;
mod encode;
mod fingerprint;
#[cfg(test)]
mod fuzz;
mod remote;
mod shape;
#[cfg(test)]
mod tests;
pub(crate) mod wire;

pub use decode::{decode, decode_fragment};
pub use encode::{encode, encode_for_send, encode_message};
pub use remote::{decode_remote, decode_remote_here, is_remote, remote_envelope};
pub use wire::{MAX_DEPTH, MAX_ELEMENTS, MAX_STRING, VERSION};

use mesh_rt_abi::TypeDesc;
use std::fmt;

/// Whether `input` starts like a message of type `desc` (format version and the type's
/// fingerprint) — what a spawn request checks before starting a process that decodes its
/// arguments.
///
/// # Safety
/// `desc` must be null (an error) or a live descriptor.
pub unsafe fn check_header(input: &[u8], desc: *const TypeDesc) -> Result<(), CodecError> {
    if desc.is_null() {
        return Err(CodecError::NoDescriptor);
    }
    // SAFETY: contract.
    let desc = unsafe { crate::value::typedesc::Desc::from_ptr(desc) };
    let mut r = wire::Reader::new(input);
    let version = r.u8()?;
    if version != VERSION {
        return Err(CodecError::BadVersion(version));
    }
    if r.u64_be()? != fingerprint::of(desc) {
        return Err(CodecError::TypeMismatch);
    }
    Ok(())
}

/// Why a value could not be encoded or decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodecError {
    /// Encoding: a value of this type cannot leave its node (closures, resource handles,
    /// iterators); the name is the type's (`Fun`, `PoolHandle`, `SqliteConn`, …).
    NotSerialisable(String),
    /// Encoding: a pid of this node, but the node has no identity (not distributed).
    NotDistributed,
    /// Encoding: a pid whose node slot names no node.
    UnknownNode(u16),
    /// A string over `MAX_STRING` bytes or a collection over `MAX_ELEMENTS` elements.
    TooLarge { what: &'static str, len: u64 },
    /// Values nested deeper than `MAX_DEPTH`.
    TooDeep,
    /// Decoding: the input ended inside a value.
    Truncated,
    /// Decoding: the first byte is not a version this node reads.
    BadVersion(u8),
    /// Decoding: the message's type is not the one the receiver expects (fingerprints
    /// differ).
    TypeMismatch,
    /// Decoding: a tag that is not the one the expected type allows here.
    BadTag { expected: &'static str, found: u8 },
    /// Decoding: a struct, sum, variant or field name that is not the expected one.
    BadName { expected: String, found: String },
    /// Decoding: a count that is not the expected type's (tuple or struct arity, fields of a
    /// variant).
    BadCount { expected: u64, found: u64 },
    /// Decoding: a string that is not UTF-8.
    InvalidUtf8,
    /// Decoding: a varint longer than 10 bytes or over 64 bits.
    BadVarint,
    /// Decoding: bytes after the value.
    TrailingBytes,
    /// Decoding: a value that is well-formed but invalid for its type (a DateTime outside
    /// years 0000–9999, invalid Json text, an HTTP status outside 100–999, a duplicate map
    /// key or set element).
    InvalidValue(&'static str),
    /// Decoding: every node slot is taken (65 535 node incarnations seen).
    NoSlots,
    /// Decoding: the receiver has no descriptor to decode by.
    NoDescriptor,
}

impl CodecError {
    /// The text a sending actor panics with when its value cannot be encoded
    /// (runtime-cluster §3.6: `remote send failed: <Type> values cannot leave their node`).
    pub fn panic_text(&self) -> String {
        match self {
            CodecError::NotSerialisable(ty) => {
                format!("remote send failed: {ty} values cannot leave their node")
            }
            other => format!("remote send failed: {other}"),
        }
    }
}

impl fmt::Display for CodecError {
    /// The reason in `mesh node: dropped message from <peer>: <reason>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::NotSerialisable(ty) => write!(f, "{ty} values cannot leave their node"),
            CodecError::NotDistributed => f.write_str("this node is not distributed"),
            CodecError::UnknownNode(slot) => write!(f, "pid of unknown node slot {slot}"),
            CodecError::TooLarge { what, len } => write!(f, "{what} too large ({len})"),
            CodecError::TooDeep => write!(f, "value nested deeper than {MAX_DEPTH}"),
            CodecError::Truncated => f.write_str("truncated value"),
            CodecError::BadVersion(v) => write!(f, "unsupported format version {v}"),
            CodecError::TypeMismatch => f.write_str("message of another type"),
            CodecError::BadTag { expected, found } => {
                write!(f, "expected {expected}, found tag {found}")
            }
            CodecError::BadName { expected, found } => {
                write!(f, "expected name {expected:?}, found {found:?}")
            }
            CodecError::BadCount { expected, found } => {
                write!(f, "expected {expected} fields, found {found}")
            }
            CodecError::InvalidUtf8 => f.write_str("invalid UTF-8"),
            CodecError::BadVarint => f.write_str("invalid varint"),
            CodecError::TrailingBytes => f.write_str("trailing bytes"),
            CodecError::InvalidValue(what) => write!(f, "invalid {what}"),
            CodecError::NoSlots => f.write_str("too many nodes"),
            CodecError::NoDescriptor => f.write_str("no type to decode by"),
        }
    }
}

impl std::error::Error for CodecError {}
