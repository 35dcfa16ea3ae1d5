//! `Map` operations for generated code (stdlib spec §7; the structure is in `value/map.rs`).
//!
//! Conventions: type descriptors first, then the arguments; `desc` is the `Map<K, V>` desc of
//! the map arguments and result; keys and values are 64-bit words. Maps passed in are borrowed;
//! a returned map is a new object on the current heap or an argument unchanged. None of these
//! suspend. `for {k, v} in m` iterates slots: `for s in 0..mesh_rt_map_slots(m)`, skipping
//! slots where `mesh_rt_map_slot_live` is false, reading `mesh_rt_map_slot_key` /
//! `mesh_rt_map_slot_value` (insertion order; at most `2 * size + 32` slots).

use crate::abi::process::panic_with;
use crate::value::list::List;
use crate::value::map::{self, Kind, Slot, Table};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// # Safety
/// `d` must be a descriptor pointer from generated code (see `Desc::from_ptr`).
unsafe fn desc_of(d: *mut u8) -> Desc {
    // SAFETY: forwarded contract.
    unsafe { Desc::from_ptr(d as *const TypeDesc) }
}

/// # Safety
/// `d` must be a MAP descriptor and `m` a live map of it.
unsafe fn map_of(d: *mut u8, m: *mut u8) -> (Kind, Table) {
    // SAFETY: forwarded contract.
    unsafe { (Kind::of(desc_of(d)), Table::from_raw(m)) }
}

/// `Map.new()` / `%{}`.
///
/// # Safety
/// `desc` must be a MAP descriptor.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_new(desc: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    Table::empty(Kind::of(unsafe { desc_of(desc) })).as_ptr()
}

/// A map literal `%{k1 => v1, …}`: `len` keys and values read from the two word buffers, in
/// order; later duplicates overwrite earlier ones (keeping the first position).
///
/// # Safety
/// `desc` must be a MAP descriptor; `keys` and `values` must each point to `len` words of the
/// key and value types (anything when `len` is 0).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_from(
    desc: *mut u8,
    keys: *mut u8,
    values: *mut u8,
    len: i64,
) -> *mut u8 {
    let len = usize::try_from(len).unwrap_or(0);
    // SAFETY: forwarded contract.
    let kind = Kind::of(unsafe { desc_of(desc) });
    if len == 0 || keys.is_null() || values.is_null() {
        return Table::empty(kind).as_ptr();
    }
    // SAFETY: the caller passes `len` words in each buffer.
    let (ks, vs) = unsafe {
        (
            std::slice::from_raw_parts(keys as *const u64, len),
            std::slice::from_raw_parts(values as *const u64, len),
        )
    };
    // SAFETY: forwarded contract.
    unsafe { map::from_pairs(kind, ks.iter().copied().zip(vs.iter().copied())) }.as_ptr()
}

/// `Map.from_list(pairs)`: from a `List<(K, V)>`; later duplicates overwrite earlier ones.
///
/// # Safety
/// `desc` must be a MAP descriptor; `pairs` a live list of `(K, V)` tuples.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_from_list(desc: *mut u8, pairs: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (kind, pairs) = unsafe { (Kind::of(desc_of(desc)), List::from_raw(pairs)) };
    // SAFETY: forwarded contract.
    unsafe { map::from_tuple_list(kind, pairs) }.as_ptr()
}

/// `Map.put(m, k, v)`: adds or replaces; a replaced key keeps its position.
///
/// # Safety
/// `desc` must be the map's MAP descriptor; `map` a live map; `key`, `value` words of its types.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_put(
    desc: *mut u8,
    map: *mut u8,
    key: i64,
    value: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (kind, m) = unsafe { map_of(desc, map) };
    // SAFETY: forwarded contract.
    unsafe { m.put(kind, key as u64, value as u64) }.as_ptr()
}

/// `Map.get(m, k)`: the value, or for a missing key the default of `V` (`0`, `0.0`, `false`,
/// `""`); for any other `V` a missing key panics `Map.get: key not found`.
///
/// # Safety
/// `desc` must be the map's MAP descriptor; `map` a live map; `key` a key word.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_get(desc: *mut u8, map: *mut u8, key: i64) -> i64 {
    // SAFETY: forwarded contract.
    let (kind, m) = unsafe { map_of(desc, map) };
    // SAFETY: forwarded contract.
    let found = unsafe { m.find(kind, key as u64) }.map(|(_, v)| v);
    let value = kind.value.unwrap_or_else(Desc::unit);
    match found.or_else(|| map::default_value(value)) {
        Some(v) => v as i64,
        None => panic_with(&map::missing_key_error()),
    }
}

/// `Some(value)` or `None` for `key`, built with `option_desc`.
///
/// # Safety
/// `desc` must be the map's MAP descriptor; `option_desc` the `Option<V>` descriptor; `map` a
/// live map; `key` a key word.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_get_opt(
    desc: *mut u8,
    option_desc: *mut u8,
    map: *mut u8,
    key: i64,
) -> *mut u8 {
    use crate::value::generic::object::{none, some};
    // SAFETY: forwarded contract.
    let ((kind, m), od) = unsafe { (map_of(desc, map), desc_of(option_desc)) };
    // SAFETY: forwarded contract.
    match unsafe { m.find(kind, key as u64) } {
        Some((_, v)) => some(od, v),
        None => none(od),
    }
}

/// `Map.has_key(m, k)`.
///
/// # Safety
/// As for [`mesh_rt_map_get`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_has_key(desc: *mut u8, map: *mut u8, key: i64) -> u8 {
    // SAFETY: forwarded contract.
    let (kind, m) = unsafe { map_of(desc, map) };
    // SAFETY: forwarded contract.
    u8::from(unsafe { m.find(kind, key as u64) }.is_some())
}

/// `Map.delete(m, k)`: without `k`; a missing key returns the map unchanged.
///
/// # Safety
/// As for [`mesh_rt_map_get`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_delete(
    desc: *mut u8,
    map: *mut u8,
    key: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (kind, m) = unsafe { map_of(desc, map) };
    // SAFETY: forwarded contract.
    unsafe { m.remove(kind, key as u64) }.as_ptr()
}

/// `Map.size(m)`.
///
/// # Safety
/// `map` must be a live map.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_size(map: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { Table::from_raw(map) }.size() as i64
}

/// `Map.keys(m)` in insertion order; `list_desc` is the result's `List<K>` descriptor.
///
/// # Safety
/// `desc` must be the map's MAP descriptor, `list_desc` a LIST descriptor; `map` a live map.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_keys(
    desc: *mut u8,
    list_desc: *mut u8,
    map: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, m), ld) = unsafe { (map_of(desc, map), desc_of(list_desc)) };
    m.keys(kind, ld).as_ptr()
}

/// `Map.values(m)` in insertion order; `list_desc` is the result's `List<V>` descriptor.
///
/// # Safety
/// As for [`mesh_rt_map_keys`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_values(
    desc: *mut u8,
    list_desc: *mut u8,
    map: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, m), ld) = unsafe { (map_of(desc, map), desc_of(list_desc)) };
    m.values(kind, ld).as_ptr()
}

/// `Map.to_list(m)`: `(k, v)` tuples in insertion order; `list_desc` is the result's
/// `List<(K, V)>` descriptor.
///
/// # Safety
/// As for [`mesh_rt_map_keys`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_to_list(
    desc: *mut u8,
    list_desc: *mut u8,
    map: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, m), ld) = unsafe { (map_of(desc, map), desc_of(list_desc)) };
    m.to_list(kind, ld).as_ptr()
}

/// `Map.merge(a, b)`: entries of `a`, then `b`'s; on conflict `b`'s value at `a`'s position.
///
/// # Safety
/// `desc` must be the MAP descriptor of both; `a` and `b` live maps.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_merge(
    desc: *mut u8,
    a: *mut u8,
    b: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let ((kind, a), b) = unsafe { (map_of(desc, a), Table::from_raw(b)) };
    // SAFETY: entries of `b` are words of the map's types (contract).
    b.entries(kind)
        .fold(a, |m, (k, v)| unsafe { m.put(kind, k, v) })
        .as_ptr()
}

/// The number of iteration slots (entries and holes) of a map or set.
///
/// # Safety
/// `map` must be a live map or set.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_slots(map: *mut u8) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { Table::from_raw(map) }.slots() as i64
}

/// Whether iteration slot `slot` holds an entry (false for holes and out of range).
///
/// # Safety
/// `map` must be a live map or set.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_slot_live(map: *mut u8, slot: i64) -> u8 {
    // SAFETY: forwarded contract.
    let t = unsafe { Table::from_raw(map) };
    u8::from(usize::try_from(slot).is_ok_and(|s| t.is_live(s)))
}

/// The key of the entry in slot `slot`. Panics when the slot holds no entry.
///
/// # Safety
/// `desc` must be the map's MAP descriptor; `map` a live map.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_slot_key(
    desc: *mut u8,
    map: *mut u8,
    slot: i64,
) -> i64 {
    // SAFETY: forwarded contract.
    let (kind, m) = unsafe { map_of(desc, map) };
    live_slot(kind, m, slot, "Map").0 as i64
}

/// The value of the entry in slot `slot`. Panics when the slot holds no entry.
///
/// # Safety
/// As for [`mesh_rt_map_slot_key`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_map_slot_value(
    desc: *mut u8,
    map: *mut u8,
    slot: i64,
) -> i64 {
    // SAFETY: forwarded contract.
    let (kind, m) = unsafe { map_of(desc, map) };
    live_slot(kind, m, slot, "Map").1 as i64
}

/// The (key, value) in a live slot, or a panic naming the misuse.
pub(crate) fn live_slot(kind: Kind, t: Table, slot: i64, what: &str) -> (u64, u64) {
    match usize::try_from(slot).map(|s| t.slot(kind, s)) {
        Ok(Slot::Live(k, v)) => (k, v),
        _ => panic_with(&format!("{what} iteration: slot {slot} holds no entry")),
    }
}

/// `T.from_row(row)` (stdlib spec §28.1): `Ok(struct)` decoded by the descriptor of `T`, or
/// `Err(<why>)`.
///
/// # Safety
/// `desc` must be the `Result<T, String>` descriptor (its `Ok` case holding the struct's),
/// `map_desc` the `Map<String, String>` descriptor and `row` a live map of that type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_row_decode(
    desc: *mut u8,
    map_desc: *mut u8,
    row: *mut u8,
) -> *mut u8 {
    use crate::value::string;
    let result = desc as *const TypeDesc;
    // SAFETY: forwarded contract: a compiler-emitted descriptor, live for the program.
    let target = unsafe { Desc::from_ptr(result) }.item(0).item(0);
    // SAFETY: forwarded contract.
    let (kind, m) = unsafe { map_of(map_desc, row) };
    // The columns as Rust strings first: decoding allocates, and may collect.
    let columns: Vec<(String, String)> = m
        .entries(kind)
        // SAFETY: keys and values of a Map<String, String> are live strings.
        .map(|(k, v)| unsafe {
            (
                string::as_str(k as *const u8).to_string(),
                string::as_str(v as *const u8).to_string(),
            )
        })
        .collect();
    let column = |name: &str| {
        columns
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let decoded = crate::value::row::decode(target, column);
    // SAFETY: `result` is a Result descriptor; the payload is a value of `T` or a new string.
    unsafe {
        match decoded {
            Ok(word) => crate::stdlib::option::ok(result, word),
            Err(message) => crate::stdlib::option::err(result, string::alloc_str(&message) as u64),
        }
    }
}
