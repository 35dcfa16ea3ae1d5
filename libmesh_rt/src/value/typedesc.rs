//! Safe views over the compiler's run-time type descriptors (`mesh_rt_abi::TypeDesc`, see
//! `layout::TY_*` for what each field means per kind). Descriptors are constant data emitted
//! into the executable and never freed, so a checked [`Desc`] is a `'static` reference; the
//! only unsafe step is [`Desc::from_ptr`], done once where a descriptor pointer enters the
//! runtime (abi/). Generic value operations (`value::generic`) and the collections read element
//! types, names and field names through these views.

use mesh_rt_abi::layout::{self, TY_UNIT};
use mesh_rt_abi::{StrRef, TypeDesc};

/// A descriptor (`TypeDesc`) the runtime can read: kind, items, name and field names.
#[derive(Clone, Copy)]
pub struct Desc(&'static TypeDesc);

/// A generated function of one value word (`TypeDesc::user`). It runs Mesh code: it may
/// allocate (and so collect), suspend the process, or panic (unwinding through the caller).
pub type UnaryFn = extern "C-unwind" fn(u64) -> u64;

/// A generated function of two value words (`TypeDesc::user`); as for [`UnaryFn`].
pub type BinaryFn = extern "C-unwind" fn(u64, u64) -> i64;

/// A descriptor in a `static` (raw pointers are not `Sync` by default).
struct StaticDesc(TypeDesc);

// SAFETY: the wrapped descriptor is immutable and its pointers are all null.
unsafe impl Sync for StaticDesc {}

/// Stand-in for a null descriptor pointer: values described by it are treated as `()`.
static UNIT: StaticDesc = StaticDesc(TypeDesc {
    kind: TY_UNIT,
    count: 0,
    name: StrRef {
        ptr: std::ptr::null(),
        len: 0,
    },
    items: std::ptr::null(),
    names: std::ptr::null(),
    user: mesh_rt_abi::UserFns::NONE,
});

impl Desc {
    /// Views a descriptor pointer; null reads as the `()` descriptor.
    ///
    /// # Safety
    /// `ptr` must be null or point to a `TypeDesc` that lives for the rest of the program
    /// (compiler constant data, or leaked in tests) whose `items` hold `count` such pointers and
    /// whose `names`, when not null, hold `count` valid UTF-8 `StrRef`s, and whose `user`
    /// functions are null or generated functions of the signatures `UserFns` documents for
    /// values of this type; the same must hold for every descriptor reachable through `items`.
    pub unsafe fn from_ptr(ptr: *const TypeDesc) -> Desc {
        if ptr.is_null() {
            return Desc(&UNIT.0);
        }
        // SAFETY: per the contract the descriptor is live for the rest of the program.
        Desc(unsafe { &*ptr })
    }

    /// The `()` descriptor.
    pub fn unit() -> Desc {
        Desc(&UNIT.0)
    }

    /// The function of a struct's or sum type's user `impl Display`: value → Mesh string.
    pub fn user_display(self) -> Option<UnaryFn> {
        // SAFETY: a non-null user function has this signature (the `from_ptr` contract).
        unsafe { user_fn(self.0.user.display) }
    }

    /// The function of a user `impl Eq`: (a, b) → 1 when equal, else 0.
    pub fn user_eq(self) -> Option<BinaryFn> {
        // SAFETY: as for `user_display`.
        unsafe { user_fn(self.0.user.eq) }
    }

    /// The function of a user `impl Ord`: (a, b) → -1, 0 or 1.
    pub fn user_compare(self) -> Option<BinaryFn> {
        // SAFETY: as for `user_display`.
        unsafe { user_fn(self.0.user.compare) }
    }

    /// The function of a user `impl Hash`: value → Int.
    pub fn user_hash(self) -> Option<UnaryFn> {
        // SAFETY: as for `user_display`.
        unsafe { user_fn(self.0.user.hash) }
    }

    /// The raw pointer (for object headers: word 1 of tuples, variants and nodes).
    pub fn as_ptr(self) -> *const TypeDesc {
        self.0 as *const TypeDesc
    }

    /// `layout::TY_*`.
    pub fn kind(self) -> u32 {
        self.0.kind
    }

    /// Number of items (element types, fields, variants).
    pub fn count(self) -> usize {
        if self.0.items.is_null() {
            0
        } else {
            self.0.count as usize
        }
    }

    /// Item `i` (element, field or variant desc); the `()` desc when out of range.
    pub fn item(self, i: usize) -> Desc {
        if i >= self.count() {
            return Desc::unit();
        }
        // SAFETY: `items` holds `count` descriptor pointers satisfying `from_ptr`'s contract
        // (the invariant of every `Desc`), and `i < count`.
        unsafe { Desc::from_ptr(*self.0.items.add(i)) }
    }

    /// The name (struct, sum or variant name); `""` when absent.
    pub fn name(self) -> &'static str {
        // SAFETY: names in descriptors are static UTF-8 (the `Desc` invariant).
        unsafe { str_ref(self.0.name) }
    }

    /// Field name `i` (structs, named-field variants), or `None` when the desc has no names or
    /// the name is empty (positional fields of a variant that mixes both).
    pub fn field_name(self, i: usize) -> Option<&'static str> {
        if self.0.names.is_null() || i >= self.count() {
            return None;
        }
        // SAFETY: `names` holds `count` StrRefs when not null (the `Desc` invariant); i < count.
        let name = unsafe { str_ref(*self.0.names.add(i)) };
        (!name.is_empty()).then_some(name)
    }

    /// Whether values of this type are heap pointers (rather than immediate words).
    pub fn is_heap(self) -> bool {
        layout::is_heap_kind(self.kind())
    }

    /// The element desc of a LIST or SET desc, the key desc of a MAP desc.
    pub fn elem(self) -> Desc {
        self.item(0)
    }
}

impl std::fmt::Debug for Desc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Desc(kind {}, {:?}, {} items)",
            self.kind(),
            self.name(),
            self.count()
        )
    }
}

/// A user function pointer as a typed function (`None` when null).
///
/// # Safety
/// `f` must be null or a function of signature `F`, a function pointer type.
unsafe fn user_fn<F: Copy>(f: *const u8) -> Option<F> {
    const { assert!(std::mem::size_of::<F>() == std::mem::size_of::<*const u8>()) };
    // SAFETY: per the contract a non-null `f` is a function of type `F` (same size).
    (!f.is_null()).then(|| unsafe { std::mem::transmute_copy::<*const u8, F>(&f) })
}

/// # Safety
/// `s` must be null/empty or point to `len` bytes of static UTF-8.
unsafe fn str_ref(s: StrRef) -> &'static str {
    if s.ptr.is_null() || s.len == 0 {
        return "";
    }
    // SAFETY: per the contract the bytes are static.
    let bytes = unsafe { std::slice::from_raw_parts(s.ptr, s.len as usize) };
    std::str::from_utf8(bytes).unwrap_or("?")
}

/// Test support: descriptors built by hand (leaked, so they are `'static` like compiler data).
#[cfg(test)]
pub(crate) mod testing {
    use super::Desc;
    use mesh_rt_abi::layout::*;
    use mesh_rt_abi::{StrRef, TypeDesc};

    fn leak_str(s: &str) -> StrRef {
        let s: &'static str = Box::leak(s.to_string().into_boxed_str());
        StrRef {
            ptr: s.as_ptr(),
            len: s.len() as u64,
        }
    }

    /// A leaked descriptor of `kind` named `name` with `items` and field `names` (may be empty).
    pub(crate) fn desc(kind: u32, name: &str, items: &[Desc], names: &[&str]) -> Desc {
        let item_ptrs: Vec<*const TypeDesc> = items.iter().map(|d| d.as_ptr()).collect();
        let items_ptr = if item_ptrs.is_empty() {
            std::ptr::null()
        } else {
            Box::leak(item_ptrs.into_boxed_slice()).as_ptr()
        };
        let names_ptr = if names.is_empty() {
            std::ptr::null()
        } else {
            let refs: Vec<StrRef> = names.iter().map(|n| leak_str(n)).collect();
            Box::leak(refs.into_boxed_slice()).as_ptr()
        };
        let d = Box::leak(Box::new(TypeDesc {
            kind,
            count: items.len() as u32,
            name: leak_str(name),
            items: items_ptr,
            names: names_ptr,
            user: mesh_rt_abi::UserFns::NONE,
        }));
        // SAFETY: leaked, so it lives for the rest of the test process; items are Descs.
        unsafe { Desc::from_ptr(d) }
    }

    /// A leaked copy of `d` with the user functions `user`.
    pub(crate) fn with_user(d: Desc, user: mesh_rt_abi::UserFns) -> Desc {
        let t = d.0;
        let copy = Box::leak(Box::new(TypeDesc {
            kind: t.kind,
            count: t.count,
            name: t.name,
            items: t.items,
            names: t.names,
            user,
        }));
        // SAFETY: leaked; the rest is `d`'s, itself a valid desc; `user` per the caller.
        unsafe { Desc::from_ptr(copy) }
    }

    pub(crate) fn int() -> Desc {
        desc(TY_INT, "", &[], &[])
    }
    pub(crate) fn float() -> Desc {
        desc(TY_FLOAT, "", &[], &[])
    }
    pub(crate) fn boolean() -> Desc {
        desc(TY_BOOL, "", &[], &[])
    }
    pub(crate) fn string() -> Desc {
        desc(TY_STRING, "", &[], &[])
    }
    pub(crate) fn list(elem: Desc) -> Desc {
        desc(TY_LIST, "List", &[elem], &[])
    }
    pub(crate) fn set(elem: Desc) -> Desc {
        desc(TY_SET, "Set", &[elem], &[])
    }
    pub(crate) fn map(key: Desc, value: Desc) -> Desc {
        desc(TY_MAP, "Map", &[key, value], &[])
    }
    pub(crate) fn tuple(items: &[Desc]) -> Desc {
        desc(TY_TUPLE, "", items, &[])
    }
    /// `Option<T>` with variants in the compiler's order: `Some(T)` (tag 0), `None` (tag 1).
    pub(crate) fn option(elem: Desc) -> Desc {
        let some = desc(TY_CASE, "Some", &[elem], &[]);
        let none = desc(TY_CASE, "None", &[], &[]);
        desc(TY_SUM, "Option", &[some, none], &[])
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use mesh_rt_abi::layout::*;

    #[test]
    fn views_read_kind_items_names_and_field_names() {
        let point = desc(TY_STRUCT, "Point", &[int(), string()], &["x", "name"]);
        assert_eq!(point.kind(), TY_STRUCT);
        assert_eq!(point.name(), "Point");
        assert_eq!(point.count(), 2);
        assert_eq!(point.item(1).kind(), TY_STRING);
        assert_eq!(point.field_name(0), Some("x"));
        assert_eq!(point.field_name(2), None);
        assert_eq!(point.item(5).kind(), TY_UNIT);
        assert!(point.is_heap());
        assert!(!int().is_heap());
    }

    #[test]
    fn null_descriptor_reads_as_unit() {
        // SAFETY: null is allowed.
        let d = unsafe { Desc::from_ptr(std::ptr::null()) };
        assert_eq!(d.kind(), TY_UNIT);
        assert_eq!(d.count(), 0);
        assert_eq!(d.name(), "");
    }
}
