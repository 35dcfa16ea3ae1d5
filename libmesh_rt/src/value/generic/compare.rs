//! Structural equality and ordering of values (see `generic.rs` for the conventions). One
//! engine serves both: it walks two values side by side with an explicit stack and stops at the
//! first difference. Lists are compared element by element, then by length; tuples and structs
//! field by field; sum values by variant (declaration order), then fields. A struct or sum
//! type with a user `impl Eq` (for equality) or `impl Ord` (for ordering) is compared with it
//! instead, wherever it occurs in the value.

use super::{string_bytes, Fields};
use crate::value::list::{self, List};
use crate::value::map::Table;
use crate::value::typedesc::{BinaryFn, Desc};
use mesh_rt_abi::layout::*;
use std::cmp::Ordering;

/// Structural equality.
///
/// # Safety
/// `a` and `b` must be values of the type `desc`.
pub unsafe fn eq(a: u64, b: u64, desc: Desc) -> bool {
    // SAFETY: forwarded contract.
    unsafe { run(a, b, desc, Mode::Eq) == Ordering::Equal }
}

/// Structural ordering (the derived `Ord`: `compare`, `List.sort` without a comparator).
///
/// # Safety
/// `a` and `b` must be values of the type `desc`.
pub unsafe fn compare(a: u64, b: u64, desc: Desc) -> Ordering {
    // SAFETY: forwarded contract.
    unsafe { run(a, b, desc, Mode::Ord) }
}

/// Equality only needs "equal or not": any non-`Equal` result means different.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Eq,
    Ord,
}

enum Work {
    Pair(u64, u64, Desc),
    Fields(Fields, Fields, usize),
    Lists(list::Iter, list::Iter, Desc),
}

/// # Safety
/// As for [`compare`].
unsafe fn run(a: u64, b: u64, desc: Desc, mode: Mode) -> Ordering {
    // SAFETY: forwarded contract.
    let result = unsafe { walk(a, b, desc, mode) };
    // A user function may allocate and so collect, while the parts of `a` and `b` on the
    // walk's work list are reachable only from them: keep both visibly live until the end.
    std::hint::black_box((a, b));
    result
}

/// # Safety
/// As for [`compare`].
unsafe fn walk(a: u64, b: u64, desc: Desc, mode: Mode) -> Ordering {
    let mut stack = vec![Work::Pair(a, b, desc)];
    while let Some(work) = stack.pop() {
        let result = match work {
            // SAFETY: every pair pushed holds two values of its desc (the contract, then the
            // fields and elements of such values).
            Work::Pair(a, b, desc) => unsafe { step(a, b, desc, mode, &mut stack) },
            Work::Fields(fa, fb, i) => {
                if i < fa.count() {
                    stack.push(Work::Fields(fa, fb, i + 1));
                    stack.push(Work::Pair(fa.get(i), fb.get(i), fa.desc.item(i)));
                }
                Ordering::Equal
            }
            Work::Lists(mut ia, mut ib, elem) => match (ia.next(), ib.next()) {
                (Some(x), Some(y)) => {
                    stack.push(Work::Lists(ia, ib, elem));
                    stack.push(Work::Pair(x, y, elem));
                    Ordering::Equal
                }
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
            },
        };
        if result != Ordering::Equal {
            return result;
        }
    }
    Ordering::Equal
}

/// Compares two values of `desc` directly, or pushes their parts.
///
/// # Safety
/// `a` and `b` must be values of the type `desc`.
unsafe fn step(a: u64, b: u64, desc: Desc, mode: Mode, stack: &mut Vec<Work>) -> Ordering {
    match desc.kind() {
        TY_INT => (a as i64).cmp(&(b as i64)),
        TY_FLOAT => float(f64::from_bits(a), f64::from_bits(b), mode),
        TY_BOOL => (a as u8 != 0).cmp(&(b as u8 != 0)),
        TY_UNIT => Ordering::Equal,
        TY_PID => a.cmp(&b),
        TY_STRING | TY_ATOM | TY_OPAQUE => {
            if a == b {
                return Ordering::Equal;
            }
            // SAFETY: values of these kinds are heap objects (contract).
            match unsafe { (string_bytes(a), string_bytes(b)) } {
                (Some(x), Some(y)) => x.cmp(y),
                _ => a.cmp(&b),
            }
        }
        TY_STRUCT | TY_SUM if user_fn(desc, mode).is_some() => user(a, b, desc, mode),
        TY_TUPLE | TY_STRUCT => {
            // SAFETY: values of these descs are tuple objects (contract).
            let (fa, fb) = unsafe { (Fields::of_tuple(a, desc), Fields::of_tuple(b, desc)) };
            stack.push(Work::Fields(fa, fb, 0));
            Ordering::Equal
        }
        TY_SUM => {
            // SAFETY: values of a SUM desc are variant objects (contract).
            let ((ta, fa), (tb, fb)) =
                unsafe { (Fields::of_variant(a, desc), Fields::of_variant(b, desc)) };
            if ta != tb {
                return ta.cmp(&tb);
            }
            stack.push(Work::Fields(fa, fb, 0));
            Ordering::Equal
        }
        TY_LIST => {
            // SAFETY: values of a LIST desc are lists (contract).
            let (la, lb) = unsafe { (List::from_word(a), List::from_word(b)) };
            stack.push(Work::Lists(la.iter(), lb.iter(), desc.elem()));
            Ordering::Equal
        }
        TY_MAP | TY_SET => {
            // SAFETY: values of MAP and SET descs are tables of that desc (contract).
            let (ta, tb) = unsafe { (Table::from_word(a), Table::from_word(b)) };
            match mode {
                // SAFETY: as above.
                Mode::Eq => match unsafe { ta.equals(tb, desc) } {
                    true => Ordering::Equal,
                    false => Ordering::Less,
                },
                // SAFETY: as above.
                Mode::Ord => unsafe { ta.compare(tb, desc) },
            }
        }
        _ => a.cmp(&b),
    }
}

/// The type's user function for the operation (`Eq.eq` for equality, `Ord.compare` for
/// ordering), if it has one; otherwise its values compare structurally.
fn user_fn(desc: Desc, mode: Mode) -> Option<BinaryFn> {
    match mode {
        Mode::Eq => desc.user_eq(),
        Mode::Ord => desc.user_compare(),
    }
}

/// Compares with the type's user function (see [`user_fn`]). It runs Mesh code, which may
/// allocate: [`run`] keeps the values being walked live.
fn user(a: u64, b: u64, desc: Desc, mode: Mode) -> Ordering {
    let Some(f) = user_fn(desc, mode) else {
        return Ordering::Equal;
    };
    match mode {
        // Equality only needs "equal or not" (see `Mode`).
        Mode::Eq if f(a, b) != 0 => Ordering::Equal,
        Mode::Eq => Ordering::Less,
        Mode::Ord => f(a, b).cmp(&0),
    }
}

fn float(a: f64, b: f64, mode: Mode) -> Ordering {
    match mode {
        Mode::Eq if a == b => Ordering::Equal,
        Mode::Eq => Ordering::Less,
        Mode::Ord => a.partial_cmp(&b).unwrap_or_else(|| a.total_cmp(&b)),
    }
}
