//! `Tuple`, `Range` and `Queue` (stdlib spec §9). None of these suspend.
//!
//! - A tuple is a `KIND_TUPLE` object. The `Tuple` functions receive the argument's and the
//!   result's descriptors and check both: the checker cannot know which element a run-time
//!   index picks, nor what a `Tuple` function used as a value is applied to.
//! - A `Range` is a two-field tuple object `{start, end}` whose descriptor the compiler emits
//!   as the struct `Range`.
//! - A `Queue<T>` is a persistent `List<T>` (its descriptor is a LIST desc named `Queue`): the
//!   list's O(1) amortised append and tail make it a FIFO; `new`, `push`, `size` and
//!   `is_empty` use the list functions directly.

use crate::abi::process::panic_with;
use crate::value::generic::object::{self, call1, truthy, Obj};
use crate::value::list::{self, Builder, List, Shape};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// # Safety
/// `d` must be a descriptor from generated code.
unsafe fn desc(d: *mut u8) -> Desc {
    // SAFETY: forwarded contract.
    unsafe { Desc::from_ptr(d as *const TypeDesc) }
}

/// Whether two descriptors describe the same type. Descriptors are shared per type within a
/// program, so this is usually pointer equality; the structural walk is a fallback, bounded
/// in depth because recursive types point back at themselves.
fn same_type(a: Desc, b: Desc, depth: u32) -> bool {
    if std::ptr::eq(a.as_ptr(), b.as_ptr()) || depth > 16 {
        return true;
    }
    a.kind() == b.kind()
        && a.name() == b.name()
        && a.count() == b.count()
        && (0..a.count()).all(|i| same_type(a.item(i), b.item(i), depth + 1))
}

/// A short name of a descriptor's type for messages.
fn type_name(d: Desc) -> String {
    use mesh_rt_abi::layout::*;
    match d.kind() {
        TY_INT => "Int".into(),
        TY_FLOAT => "Float".into(),
        TY_BOOL => "Bool".into(),
        TY_UNIT => "()".into(),
        TY_STRING => "String".into(),
        TY_TUPLE => "a tuple".into(),
        TY_LIST => "List".into(),
        TY_MAP => "Map".into(),
        TY_SET => "Set".into(),
        TY_FUN => "a function".into(),
        _ => d.name().to_string(),
    }
}

/// Element `i` of the tuple `t` for `op`, checked against the argument's descriptor: it must
/// be a tuple (a stdlib function used as a value can receive anything), `i` must be in range,
/// and the element must have the type the call site expects (`ret`).
///
/// # Safety
/// `arg` and `ret` must be descriptors from generated code and `t` a value of `arg` as a word
/// (the functions take any value, so it crosses as a word and is a pointer only once `arg`
/// says it is a tuple).
unsafe fn element(op: &str, arg: *mut u8, ret: *mut u8, t: i64, i: i64) -> i64 {
    // SAFETY: forwarded contract.
    let (arg, ret) = unsafe { (desc(arg), desc(ret)) };
    if arg.kind() != mesh_rt_abi::layout::TY_TUPLE {
        panic_with(&format!("{op}: expected a tuple, found {}", type_name(arg)));
    }
    let size = arg.count();
    let index = match usize::try_from(i) {
        Ok(index) if index < size => index,
        _ => panic_with(&format!("{op}: index {i} out of range (size {size})")),
    };
    let elem = arg.item(index);
    if !same_type(elem, ret, 0) {
        panic_with(&format!(
            "{op}: element {i} is {}, not {}",
            type_name(elem),
            type_name(ret)
        ));
    }
    // SAFETY: `t` is a tuple of `size` fields (contract) and `index` < size.
    unsafe { object::word(t as Obj, index) as i64 }
}

/// `Tuple.first(t)`.
///
/// # Safety
/// `arg` and `ret` must be descriptors from generated code and `t` a value of `arg`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_tuple_first(arg: *mut u8, ret: *mut u8, t: i64) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { element("Tuple.first", arg, ret, t, 0) }
}

/// `Tuple.second(t)`.
///
/// # Safety
/// As for [`mesh_rt_tuple_first`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_tuple_second(arg: *mut u8, ret: *mut u8, t: i64) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { element("Tuple.second", arg, ret, t, 1) }
}

/// `Tuple.nth(t, i)`: element `i` (zero-based); panics when `i` is out of range or the element
/// is not of the type the call expects.
///
/// # Safety
/// As for [`mesh_rt_tuple_first`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_tuple_nth(
    arg: *mut u8,
    ret: *mut u8,
    t: i64,
    i: i64,
) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { element("Tuple.nth", arg, ret, t, i) }
}

/// `Tuple.size(t)`.
///
/// # Safety
/// `arg` must be a descriptor from generated code and `t` a value of it.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_tuple_size(arg: *mut u8, _t: i64) -> i64 {
    // SAFETY: forwarded contract.
    let arg = unsafe { desc(arg) };
    if arg.kind() != mesh_rt_abi::layout::TY_TUPLE {
        panic_with(&format!(
            "Tuple.size: expected a tuple, found {}",
            type_name(arg)
        ));
    }
    arg.count() as i64
}

/// `Range.new(start, end)` and the literal `start..end`: a new Range object of `desc`.
///
/// # Safety
/// `desc` must be the `Range` descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_range_new(
    desc_ptr: *mut u8,
    start: i64,
    end: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    object::alloc_tuple(unsafe { desc(desc_ptr) }, &[start as u64, end as u64])
}

/// The bounds of a Range object.
///
/// # Safety
/// `r` must be a live Range object.
unsafe fn bounds(r: Obj) -> (i64, i64) {
    // SAFETY: a Range has two Int fields.
    unsafe { (object::word(r, 0) as i64, object::word(r, 1) as i64) }
}

/// `Range.length(r)`: `max(0, end - start)` (saturating at the Int maximum).
///
/// # Safety
/// `r` must be a live Range object.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_range_length(r: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    let (start, end) = unsafe { bounds(r) };
    (i128::from(end) - i128::from(start)).clamp(0, i128::from(i64::MAX)) as i64
}

/// `Range.to_list(r)`: the Ints `[start, end)` ascending (a new `List<Int>`).
///
/// # Safety
/// `list_desc` must be the `List<Int>` descriptor and `r` a live Range object.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_range_to_list(list_desc: *mut u8, r: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((start, end), shape) = unsafe { (bounds(r), Shape::list(desc(list_desc))) };
    list::ops::range(shape, start, end).as_ptr()
}

/// `Range.map(r, f)`: `f` of each Int of the range, in order (a new `List<Int>`).
///
/// # Safety
/// `list_desc` must be the `List<Int>` descriptor, `r` a live Range and `f` a closure from
/// Int to Int.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_range_map(
    list_desc: *mut u8,
    r: *mut u8,
    f: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((start, end), shape) = unsafe { (bounds(r), Shape::list(desc(list_desc))) };
    let mut b = Builder::new(shape);
    for i in start..end {
        // SAFETY: forwarded contract.
        b.push(unsafe { call1(f, i as u64) });
    }
    b.finish().as_ptr()
}

/// `Range.filter(r, p)`: the Ints of the range for which `p` is true (a new `List<Int>`).
///
/// # Safety
/// As for [`mesh_rt_range_map`], with `p` a closure from Int to Bool.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_range_filter(
    list_desc: *mut u8,
    r: *mut u8,
    p: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((start, end), shape) = unsafe { (bounds(r), Shape::list(desc(list_desc))) };
    let mut b = Builder::new(shape);
    for i in start..end {
        // SAFETY: forwarded contract.
        if truthy(unsafe { call1(p, i as u64) }) {
            b.push(i as u64);
        }
    }
    b.finish().as_ptr()
}

/// `Queue.peek(q)`: the front element; panics `Queue.peek: empty queue`.
///
/// # Safety
/// `q` must be a live queue (list).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_queue_peek(q: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    match unsafe { List::from_raw(q) }.first() {
        Some(x) => x as i64,
        None => panic_with("Queue.peek: empty queue"),
    }
}

/// `Queue.pop(q)`: `(front, rest)` as a new tuple of `desc`; panics `Queue.pop: empty queue`.
///
/// # Safety
/// `desc` must be the `(T, Queue<T>)` descriptor and `q` a live queue of it.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_queue_pop(desc_ptr: *mut u8, q: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (tuple, queue) = unsafe { (desc(desc_ptr), List::from_raw(q)) };
    let Some(front) = queue.first() else {
        panic_with("Queue.pop: empty queue")
    };
    let rest = queue.drop_front(Shape::list(tuple.item(1)), 1);
    // `front` is still reachable from `q`, and `rest` is on the stack for the collector.
    object::alloc_tuple(tuple, &[front, rest.as_word()])
}
