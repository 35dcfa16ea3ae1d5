//! Structural hashing: equal values (by [`super::eq`]) hash equal. A value is fed word by word
//! into a streaming hasher in a fixed walk order (strings by content, Floats with `-0.0`
//! folded into `0.0`); maps and sets, whose equality ignores order, contribute an
//! order-independent sum of their entries' hashes. A struct or sum type with a user
//! `impl Hash` contributes what its `hash` returns (see [`user`] for a user `Eq` without
//! one). Stable within a process (no random seed), and in fact across processes of the same
//! runtime.

use super::{string_bytes, Fields};
use crate::value::list::{self, List};
use crate::value::map::Table;
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::*;

/// The hash of `word`, a value of the type `desc`.
///
/// # Safety
/// `word` must be a value of the type `desc`.
pub unsafe fn hash(word: u64, desc: Desc) -> u64 {
    // SAFETY: forwarded contract.
    let h = unsafe { walk(word, desc) };
    // A user function may allocate and so collect, while the parts of `word` on the walk's
    // work list are reachable only from it: keep it visibly live until the end.
    std::hint::black_box(word);
    h
}

/// # Safety
/// As for [`hash`].
unsafe fn walk(word: u64, desc: Desc) -> u64 {
    let mut h = Hasher::new();
    let mut stack = vec![Work::Value(word, desc)];
    while let Some(work) = stack.pop() {
        match work {
            // SAFETY: every value pushed is a value of its desc (the contract, then the fields
            // and elements of such values).
            Work::Value(w, d) => unsafe { step(&mut h, w, d, &mut stack) },
            Work::Fields(f, i) => {
                if i < f.count() {
                    stack.push(Work::Fields(f, i + 1));
                    stack.push(Work::Value(f.get(i), f.desc.item(i)));
                }
            }
            Work::List(mut it, elem) => {
                if let Some(x) = it.next() {
                    stack.push(Work::List(it, elem));
                    stack.push(Work::Value(x, elem));
                }
            }
        }
    }
    h.finish()
}

enum Work {
    Value(u64, Desc),
    Fields(Fields, usize),
    List(list::Iter, Desc),
}

/// # Safety
/// `w` must be a value of the type `desc`.
unsafe fn step(h: &mut Hasher, w: u64, desc: Desc, stack: &mut Vec<Work>) {
    match desc.kind() {
        TY_INT | TY_PID => h.add(w),
        TY_FLOAT => h.add(float_bits(f64::from_bits(w))),
        TY_BOOL => h.add(u64::from(w as u8 != 0)),
        TY_UNIT => h.add(0),
        TY_STRING | TY_ATOM | TY_OPAQUE => {
            // SAFETY: values of these kinds are heap objects (contract).
            match unsafe { string_bytes(w) } {
                Some(bytes) => h.bytes(bytes),
                None => h.add(w),
            }
        }
        TY_STRUCT | TY_SUM if desc.user_hash().is_some() || desc.user_eq().is_some() => {
            h.add(user(w, desc));
        }
        TY_TUPLE | TY_STRUCT => {
            // SAFETY: values of these descs are tuple objects (contract).
            stack.push(Work::Fields(unsafe { Fields::of_tuple(w, desc) }, 0));
        }
        TY_SUM => {
            // SAFETY: values of a SUM desc are variant objects (contract).
            let (tag, fields) = unsafe { Fields::of_variant(w, desc) };
            h.add(tag);
            stack.push(Work::Fields(fields, 0));
        }
        TY_LIST => {
            // SAFETY: values of a LIST desc are lists (contract).
            let list = unsafe { List::from_word(w) };
            h.add(list.len() as u64);
            stack.push(Work::List(list.iter(), desc.elem()));
        }
        TY_MAP | TY_SET => {
            // SAFETY: values of MAP and SET descs are tables of that desc (contract).
            h.add(unsafe { Table::from_word(w).hash(desc) });
        }
        _ => h.add(w),
    }
}

/// The hash of a value whose type has a user `impl Hash` (its `hash`), or a user `impl Eq`
/// without one: then a constant, since only a constant is sure to agree with any equality
/// (maps and sets keyed by the type stay correct, with every key in one hash bucket).
fn user(w: u64, desc: Desc) -> u64 {
    desc.user_hash().map_or(0, |f| f(w))
}

/// Float bits with every zero as `0.0` and every NaN as one NaN.
fn float_bits(x: f64) -> u64 {
    if x == 0.0 {
        0
    } else if x.is_nan() {
        f64::NAN.to_bits()
    } else {
        x.to_bits()
    }
}

/// A small multiplicative streaming hasher with a final avalanche (splitmix64's finaliser).
pub(crate) struct Hasher(u64);

impl Hasher {
    pub(crate) fn new() -> Hasher {
        Hasher(0x9e37_79b9_7f4a_7c15)
    }

    pub(crate) fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(26) ^ x).wrapping_mul(0x5851_f42d_4c95_7f2d);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(last));
        self.add(bytes.len() as u64);
    }

    pub(crate) fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
