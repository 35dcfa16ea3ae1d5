//! Operations on any Mesh value, driven by its type descriptor (`value::typedesc`): structural
//! equality, ordering, hashing, and the Display and Debug text forms (stdlib spec §0.5, language
//! spec §3.5 and §4.10). The collections use them for their elements (`List.contains`, map
//! keys, `List.sort`); `abi/value.rs` exports them for generated code.
//!
//! Values are 64-bit words (ARCHITECTURE.md "Value representation"). Every operation walks the
//! value with an explicit work stack instead of recursion, so a long list or a deep chain of a
//! recursive sum type costs heap, not Rust stack; only maps and sets nested in each other recurse
//! (once per nesting level). The walks themselves allocate no Mesh objects (only the final
//! string of [`to_string`] / [`inspect`]), but a struct or sum type whose descriptor carries
//! user functions (`TypeDesc::user`: a user `impl Display`, `Eq`, `Ord` or `Hash`) is handled
//! by calling them, and they run Mesh code that may allocate and collect: each operation keeps
//! the value it walks rooted or visibly live until it is done.
//!
//! Conventions: Float equality is IEEE (`NaN != NaN`, `0.0 == -0.0`); Float ordering is the
//! IEEE order with NaN placed by `f64::total_cmp`, so sorting is total. Maps and sets are equal
//! when they hold the same entries in any order; they are ordered by their entries sorted by key.
//! Functions and opaque handles compare by identity.

mod compare;
mod display;
pub(crate) mod hash;
pub mod object;

pub use compare::{compare, eq};
pub use display::{debug, display};
pub use hash::hash;

use crate::value::typedesc::Desc;
use object::Obj;

/// The fields of a tuple, struct or variant object: `count` words from payload word `offset`,
/// typed by `desc.item(i)`.
#[derive(Clone, Copy)]
struct Fields {
    obj: Obj,
    offset: usize,
    /// The TUPLE, STRUCT or CASE desc whose items type the fields.
    desc: Desc,
}

impl Fields {
    /// The fields of a value of a TUPLE or STRUCT desc.
    ///
    /// # Safety
    /// `word` must be a tuple or struct object of `desc`.
    unsafe fn of_tuple(word: u64, desc: Desc) -> Fields {
        Fields {
            obj: word as Obj,
            offset: 0,
            desc,
        }
    }

    /// The tag and payload fields of a value of a SUM desc.
    ///
    /// # Safety
    /// `word` must be a variant object of `desc`.
    unsafe fn of_variant(word: u64, desc: Desc) -> (u64, Fields) {
        // SAFETY: payload word 0 of a variant is its tag (contract).
        let tag = unsafe { object::word(word as Obj, 0) };
        (
            tag,
            Fields {
                obj: word as Obj,
                offset: 1,
                desc: desc.item(tag as usize),
            },
        )
    }

    fn count(self) -> usize {
        self.desc.count()
    }

    /// Field `i` (< count).
    fn get(self, i: usize) -> u64 {
        // SAFETY: the object has `count` fields after `offset` (the constructors' contracts).
        unsafe { object::word(self.obj, self.offset + i) }
    }
}

/// The bytes of a string-like value (String, Atom, and opaque values that are strings, such as
/// Json), or `None` for other opaque objects.
///
/// # Safety
/// `word` must be a live heap object.
unsafe fn string_bytes<'a>(word: u64) -> Option<&'a [u8]> {
    let obj = word as Obj;
    // SAFETY: a live object has a header (contract).
    if obj.is_null() || unsafe { object::kind(obj) } != mesh_rt_abi::layout::KIND_STRING {
        return None;
    }
    // SAFETY: it is a string object.
    Some(unsafe { crate::value::string::bytes(obj) })
}

/// The Display form of `word` as a new Mesh string.
///
/// # Safety
/// `word` must be a value of the type `desc`.
pub unsafe fn to_string(word: u64, desc: Desc) -> Obj {
    let mut out = String::new();
    // SAFETY: forwarded contract.
    unsafe { display(word, desc, &mut out) };
    crate::value::string::alloc_str(&out)
}

/// The Debug form of `word` as a new Mesh string.
///
/// # Safety
/// `word` must be a value of the type `desc`.
pub unsafe fn inspect(word: u64, desc: Desc) -> Obj {
    let mut out = String::new();
    // SAFETY: forwarded contract.
    unsafe { debug(word, desc, &mut out) };
    crate::value::string::alloc_str(&out)
}

#[cfg(test)]
mod tests;
