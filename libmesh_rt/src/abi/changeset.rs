//! `Changeset` (stdlib spec §28.3) over `db::changeset`. A Mesh `Changeset` is a string
//! holding `Changeset::encode` (desc: an OPAQUE named `Changeset`), so it is an ordinary
//! immutable value: collected, copied between processes, and a `Repo` write can hand it back
//! in `Err` as it came. Each function decodes its argument, applies the Rust operation and
//! encodes a new value. Values only come from these functions, so a string that does not
//! decode is a runtime bug (a panic naming it). None of these suspend.

use crate::abi::pg::{row_map, string_pairs, strings};
use crate::abi::process::panic_with;
use crate::db::changeset::Changeset;
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// The changeset in the Mesh value `cs`.
///
/// # Safety
/// `cs` must be a live string.
pub(crate) unsafe fn changeset_of(cs: *mut u8) -> Changeset {
    // SAFETY: forwarded contract.
    let text = unsafe { as_str(cs) };
    Changeset::decode(text).unwrap_or_else(|| panic_with("Changeset: malformed Changeset value"))
}

/// `cs` as a new Mesh value.
pub(crate) fn changeset_value(cs: &Changeset) -> *mut u8 {
    alloc_str(&cs.encode())
}

/// The text of a live Mesh string (an atom too).
///
/// # Safety
/// `s` must be a live string.
unsafe fn text(s: *mut u8) -> String {
    // SAFETY: forwarded contract.
    unsafe { as_str(s) }.to_string()
}

/// `Changeset.cast(data, params, allowed)`.
///
/// # Safety
/// `data_desc`/`params_desc` must be the `Map<String, String>` descriptors of the live maps
/// `data`/`params`; `allowed` a live `List<Atom>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_cast(
    data_desc: *mut u8,
    params_desc: *mut u8,
    data: *mut u8,
    params: *mut u8,
    allowed: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (data, params, allowed) = unsafe {
        (
            string_pairs(data_desc, data),
            string_pairs(params_desc, params),
            strings(allowed),
        )
    };
    changeset_value(&Changeset::cast(&data, &params, &allowed))
}

/// `Changeset.cast_with_types(data, params, allowed, field_types)`.
///
/// # Safety
/// As [`mesh_rt_changeset_cast`]; `field_types` a live `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_cast_with_types(
    data_desc: *mut u8,
    params_desc: *mut u8,
    data: *mut u8,
    params: *mut u8,
    allowed: *mut u8,
    field_types: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (data, params, allowed, types) = unsafe {
        (
            string_pairs(data_desc, data),
            string_pairs(params_desc, params),
            strings(allowed),
            strings(field_types),
        )
    };
    changeset_value(&Changeset::cast_with_types(
        &data, &params, &allowed, &types,
    ))
}

/// `Changeset.validate_required(cs, fields)`.
///
/// # Safety
/// `cs` must be a live Changeset, `fields` a live `List<Atom>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_validate_required(
    cs: *mut u8,
    fields: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (cs, fields) = unsafe { (changeset_of(cs), strings(fields)) };
    changeset_value(&cs.validate_required(&fields))
}

/// `Changeset.validate_length(cs, field, min, max)`.
///
/// # Safety
/// `cs` must be a live Changeset, `field` a live atom.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_validate_length(
    cs: *mut u8,
    field: *mut u8,
    min: i64,
    max: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (cs, field) = unsafe { (changeset_of(cs), text(field)) };
    changeset_value(&cs.validate_length(&field, min, max))
}

/// `Changeset.validate_format(cs, field, needle)`.
///
/// # Safety
/// `cs` must be a live Changeset, `field` a live atom, `needle` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_validate_format(
    cs: *mut u8,
    field: *mut u8,
    needle: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (cs, field, needle) = unsafe { (changeset_of(cs), text(field), text(needle)) };
    changeset_value(&cs.validate_format(&field, &needle))
}

/// `Changeset.validate_inclusion(cs, field, allowed)`.
///
/// # Safety
/// `cs` must be a live Changeset, `field` a live atom, `allowed` a live `List<String>`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_validate_inclusion(
    cs: *mut u8,
    field: *mut u8,
    allowed: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (cs, field, allowed) = unsafe { (changeset_of(cs), text(field), strings(allowed)) };
    changeset_value(&cs.validate_inclusion(&field, &allowed))
}

/// `Changeset.validate_number(cs, field, gt, lt, gte, lte)`.
///
/// # Safety
/// `cs` must be a live Changeset, `field` a live atom.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_validate_number(
    cs: *mut u8,
    field: *mut u8,
    gt: i64,
    lt: i64,
    gte: i64,
    lte: i64,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (cs, field) = unsafe { (changeset_of(cs), text(field)) };
    changeset_value(&cs.validate_number(&field, gt, lt, gte, lte))
}

/// `Changeset.valid(cs)`.
///
/// # Safety
/// `cs` must be a live Changeset.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_valid(cs: *mut u8) -> u8 {
    // SAFETY: forwarded contract.
    u8::from(unsafe { changeset_of(cs) }.is_valid())
}

/// `Changeset.errors(cs)`: the first error of each field, in the order they were found.
///
/// # Safety
/// `desc` must be the `Map<String, String>` descriptor, `cs` a live Changeset.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_errors(desc: *mut u8, cs: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (desc, cs) = unsafe { (Desc::from_ptr(desc as *const TypeDesc), changeset_of(cs)) };
    row_map(desc, &cs.errors)
}

/// `Changeset.changes(cs)`: the accepted changes.
///
/// # Safety
/// As [`mesh_rt_changeset_errors`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_changes(desc: *mut u8, cs: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (desc, cs) = unsafe { (Desc::from_ptr(desc as *const TypeDesc), changeset_of(cs)) };
    row_map(desc, &cs.changes)
}

/// `Changeset.get_change(cs, field)`: `""` when absent.
///
/// # Safety
/// `cs` must be a live Changeset, `field` a live atom.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_get_change(
    cs: *mut u8,
    field: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (cs, field) = unsafe { (changeset_of(cs), text(field)) };
    alloc_str(cs.change(&field).unwrap_or(""))
}

/// `Changeset.get_error(cs, field)`: `""` when absent.
///
/// # Safety
/// `cs` must be a live Changeset, `field` a live atom.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_changeset_get_error(
    cs: *mut u8,
    field: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (cs, field) = unsafe { (changeset_of(cs), text(field)) };
    alloc_str(cs.error(&field).unwrap_or(""))
}
