//! Mesh maps (stdlib spec §7) and the ordered hash table under both maps and sets (§8): an
//! immutable association with structural keys (any type with a descriptor: Int, String, tuples,
//! structs, …) that iterates in **insertion order**; replacing a value keeps the key's position.
//!
//! **Structure.** A table header holds the entry count, the number of holes, a HAMT from key hash
//! to entry (`map/hamt.rs`) and an *order list*: a `List` (`list.rs`) of the entries in insertion
//! order, with null for deleted ones. Each entry records its slot (index in the order list), its
//! key's hash, the key and (for maps) the value. `put` of a new key appends to the order list;
//! `put` of an existing key builds a new entry for the same slot; `delete` leaves a hole (or
//! trims the order list when it was the last slot). When holes outnumber entries (and exceed 32)
//! the table is rebuilt without holes, so iteration stays O(size).
//!
//! **Complexity.** `get`/`has_key`: O(log32 n) hash probes with structural key equality.
//! `put`/`delete`: O(log32 n) (HAMT path copy plus an order-list append or update), with an
//! occasional O(n) compaction after many deletes (amortised O(1) per delete). `keys`, `values`,
//! `to_list`, Display: O(n). Iteration for `for {k, v} in m` goes through slots
//! (`slots`/`slot`): O(1) amortised per slot, at most `2 * size + 32` slots.
//!
//! **Memory.** Header, HAMT nodes, entries and the order list are `KIND_NODE`s whose word 1 is
//! the MAP (or SET) desc; each node's raw prefix covers its non-pointer words (entries put
//! immediate keys and values in the raw prefix, see [`Kind`]).

mod hamt;

#[cfg(test)]
mod tests;

use crate::value::generic::{self, object};
use crate::value::list::{self, Builder, List, Shape};
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::{TY_BOOL, TY_FLOAT, TY_INT, TY_MAP, TY_STRING, TY_UNIT};
use object::{alloc_node, set_word, word, Obj};
use std::cmp::Ordering;

/// Header payload: size, holes (raw), then the HAMT root and the order list.
const HEADER_WORDS: usize = 4;
const HEADER_RAW: usize = 2;

/// What a table holds: its MAP or SET desc with the key type and, for maps, the value type.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    pub desc: Desc,
    pub key: Desc,
    pub value: Option<Desc>,
}

/// Where an entry keeps its words: `[slot << 2 | tag, hash, immediates…, pointers…]`.
#[derive(Clone, Copy)]
struct EntryLayout {
    words: usize,
    raw: usize,
    key_at: usize,
    value_at: usize,
}

impl Kind {
    /// The kind of tables of a MAP desc (key, value) or a SET desc (element).
    pub fn of(desc: Desc) -> Kind {
        Kind {
            desc,
            key: desc.item(0),
            value: (desc.kind() == TY_MAP).then(|| desc.item(1)),
        }
    }

    fn layout(self) -> EntryLayout {
        let key_heap = self.key.is_heap();
        match self.value {
            None => EntryLayout {
                words: 3,
                raw: 2 + usize::from(!key_heap),
                key_at: 2,
                value_at: 2,
            },
            Some(v) => {
                let value_heap = v.is_heap();
                // Immediates first: only a heap key with an immediate value swaps the order.
                let swap = key_heap && !value_heap;
                EntryLayout {
                    words: 4,
                    raw: 2 + usize::from(!key_heap) + usize::from(!value_heap),
                    key_at: if swap { 3 } else { 2 },
                    value_at: if swap { 2 } else { 3 },
                }
            }
        }
    }

    fn entry(self, slot: usize, hash: u64, key: u64, value: u64) -> Obj {
        let l = self.layout();
        let e = alloc_node(self.desc, l.raw, l.words);
        // SAFETY: `e` is fresh with `l.words` words.
        unsafe {
            set_word(e, 0, ((slot as u64) << 2) | hamt::ENTRY);
            set_word(e, 1, hash);
            set_word(e, l.key_at, key);
            if self.value.is_some() {
                set_word(e, l.value_at, value);
            }
        }
        e
    }

    fn key_of(self, entry: Obj) -> u64 {
        // SAFETY: entries of this kind have the layout's words.
        unsafe { word(entry, self.layout().key_at) }
    }

    fn value_of(self, entry: Obj) -> u64 {
        match self.value {
            // SAFETY: map entries have a value word.
            Some(_) => unsafe { word(entry, self.layout().value_at) },
            None => 0,
        }
    }

    /// Whether `entry` is the entry of `key` (whose hash is `hash`).
    ///
    /// # Safety
    /// `key` must be a value of the key type.
    unsafe fn matches(self, entry: Obj, hash: u64, key: u64) -> bool {
        // SAFETY: forwarded contract; entry keys are values of the key type.
        hamt::node_hash(entry) == hash && unsafe { generic::eq(self.key_of(entry), key, self.key) }
    }

    fn order_shape(self) -> Shape {
        Shape {
            desc: self.desc,
            heap: true,
        }
    }
}

fn slot_of(entry: Obj) -> usize {
    // SAFETY: entries have word 0.
    (unsafe { word(entry, 0) } >> 2) as usize
}

/// A map or set: a pointer to a table header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Table(Obj);

/// What an iteration slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Out,
    Hole,
    /// Key (or set element) and value (0 for sets).
    Live(u64, u64),
}

/// The live entries of a table in insertion order, as (key, value) words (value 0 for sets).
pub struct Entries {
    kind: Kind,
    order: Option<list::Iter>,
}

impl Iterator for Entries {
    type Item = (u64, u64);

    fn next(&mut self) -> Option<(u64, u64)> {
        let it = self.order.as_mut()?;
        let e = it.find(|&w| w != 0)? as Obj;
        Some((self.kind.key_of(e), self.kind.value_of(e)))
    }
}

struct Parts {
    size: usize,
    holes: usize,
    root: Obj,
    order: Option<List>,
}

impl Parts {
    fn store(&self, kind: Kind) -> Table {
        let h = alloc_node(kind.desc, HEADER_RAW, HEADER_WORDS);
        let order = self.order.map_or(0, List::as_word);
        // SAFETY: `h` is a fresh header.
        unsafe {
            set_word(h, 0, self.size as u64);
            set_word(h, 1, self.holes as u64);
            set_word(h, 2, self.root as u64);
            set_word(h, 3, order);
        }
        Table(h)
    }
}

impl Table {
    /// Views a table pointer.
    ///
    /// # Safety
    /// `ptr` must point to a live table header built by this module.
    pub unsafe fn from_raw(ptr: *mut u8) -> Table {
        Table(ptr)
    }

    /// Views a value word of a `Map` or `Set` type.
    ///
    /// # Safety
    /// As for [`Table::from_raw`].
    pub unsafe fn from_word(w: u64) -> Table {
        Table(w as Obj)
    }

    pub fn as_ptr(self) -> *mut u8 {
        self.0
    }

    pub fn as_word(self) -> u64 {
        self.0 as u64
    }

    pub fn empty(kind: Kind) -> Table {
        Parts {
            size: 0,
            holes: 0,
            root: std::ptr::null_mut(),
            order: None,
        }
        .store(kind)
    }

    fn parts(self) -> Parts {
        // SAFETY: a `Table` points to a live header of HEADER_WORDS words.
        let w = |i| unsafe { word(self.0, i) };
        Parts {
            size: w(0) as usize,
            holes: w(1) as usize,
            root: w(2) as Obj,
            // SAFETY: word 3 is null or the table's order list.
            order: (w(3) != 0).then(|| unsafe { List::from_word(w(3)) }),
        }
    }

    /// Number of entries.
    pub fn size(self) -> usize {
        self.parts().size
    }

    /// Number of iteration slots (entries and holes).
    pub fn slots(self) -> usize {
        self.parts().order.map_or(0, List::len)
    }

    /// The content of iteration slot `s`.
    pub fn slot(self, kind: Kind, s: usize) -> Slot {
        match self.parts().order.and_then(|o| o.get(s)) {
            None => Slot::Out,
            Some(0) => Slot::Hole,
            Some(e) => Slot::Live(kind.key_of(e as Obj), kind.value_of(e as Obj)),
        }
    }

    /// Whether iteration slot `s` holds an entry.
    pub fn is_live(self, s: usize) -> bool {
        matches!(self.parts().order.and_then(|o| o.get(s)), Some(e) if e != 0)
    }

    pub fn entries(self, kind: Kind) -> Entries {
        Entries {
            kind,
            order: self.parts().order.map(List::iter),
        }
    }

    /// The (key, value) stored for `key`.
    ///
    /// # Safety
    /// `key` must be a value of the key type of `kind`, the kind of this table.
    pub unsafe fn find(self, kind: Kind, key: u64) -> Option<(u64, u64)> {
        // SAFETY: forwarded contract.
        let h = unsafe { generic::hash(key, kind.key) };
        // SAFETY: forwarded contract; the root is this table's HAMT.
        let e = unsafe { hamt::find(kind, self.parts().root, h, key) }?;
        Some((kind.key_of(e), kind.value_of(e)))
    }

    /// A table with `key` mapped to `value` (ignored for sets): a new key goes last, an
    /// existing one keeps its position. A set that already holds `key` is returned as is.
    ///
    /// # Safety
    /// `key` and `value` must be values of the key and value types of `kind`.
    pub unsafe fn put(self, kind: Kind, key: u64, value: u64) -> Table {
        let mut p = self.parts();
        // SAFETY: forwarded contract.
        let h = unsafe { generic::hash(key, kind.key) };
        // SAFETY: forwarded contract.
        let old = unsafe { hamt::find(kind, p.root, h, key) };
        let order = p.order.unwrap_or_else(|| List::empty(kind.order_shape()));
        let entry = match old {
            Some(_) if kind.value.is_none() => return self,
            Some(e) => {
                let entry = kind.entry(slot_of(e), h, kind.key_of(e), value);
                p.order = order.set(kind.order_shape(), slot_of(e), entry as u64);
                entry
            }
            None => {
                let entry = kind.entry(order.len(), h, key, value);
                p.order = Some(order.append(kind.order_shape(), entry as u64));
                p.size += 1;
                entry
            }
        };
        // SAFETY: forwarded contract; `entry` is an entry of this kind.
        p.root = unsafe { hamt::insert(kind, p.root, 0, entry, h) };
        p.store(kind)
    }

    /// A table without `key` (this table when it has no such key).
    ///
    /// # Safety
    /// `key` must be a value of the key type of `kind`.
    pub unsafe fn remove(self, kind: Kind, key: u64) -> Table {
        let mut p = self.parts();
        // SAFETY: forwarded contract.
        let h = unsafe { generic::hash(key, kind.key) };
        // SAFETY: forwarded contract.
        let (Some(e), Some(order)) = (unsafe { hamt::find(kind, p.root, h, key) }, p.order) else {
            return self;
        };
        if p.size == 1 {
            return Table::empty(kind);
        }
        // SAFETY: forwarded contract.
        p.root = unsafe { hamt::remove(kind, p.root, 0, h, key) };
        p.size -= 1;
        let slot = slot_of(e);
        if slot + 1 == order.len() {
            // Trim the last slot and the holes before it.
            let keep = (0..slot)
                .rev()
                .find(|&i| order.get(i) != Some(0))
                .map_or(0, |i| i + 1);
            p.holes -= slot - keep;
            p.order = Some(order.take(kind.order_shape(), keep));
        } else {
            p.order = order.set(kind.order_shape(), slot, 0);
            p.holes += 1;
        }
        if p.holes > 32 && p.holes > p.size {
            return p.store(kind).compact(kind);
        }
        p.store(kind)
    }

    /// The same entries without holes (slots renumbered).
    fn compact(self, kind: Kind) -> Table {
        let mut b = Builder::new(kind.order_shape());
        let mut root = std::ptr::null_mut();
        for e in self.parts().order.into_iter().flat_map(List::iter) {
            if e == 0 {
                continue;
            }
            let e = e as Obj;
            let h = hamt::node_hash(e);
            let entry = kind.entry(b.len(), h, kind.key_of(e), kind.value_of(e));
            // SAFETY: `entry` is an entry of this kind with a key of the key type.
            root = unsafe { hamt::insert(kind, root, 0, entry, h) };
            b.push(entry as u64);
        }
        let size = b.len();
        Parts {
            size,
            holes: 0,
            root,
            order: Some(b.finish()),
        }
        .store(kind)
    }

    /// The keys (set elements) in order, as a list of `list_desc`.
    pub fn keys(self, kind: Kind, list_desc: Desc) -> List {
        let mut b = Builder::new(Shape::list(list_desc));
        self.entries(kind).for_each(|(k, _)| b.push(k));
        b.finish()
    }

    /// The values in order, as a list of `list_desc`.
    pub fn values(self, kind: Kind, list_desc: Desc) -> List {
        let mut b = Builder::new(Shape::list(list_desc));
        self.entries(kind).for_each(|(_, v)| b.push(v));
        b.finish()
    }

    /// The (key, value) tuples in order, as a list of `list_desc` (a `List<(K, V)>` desc).
    pub fn to_list(self, kind: Kind, list_desc: Desc) -> List {
        let tuple = list_desc.elem();
        let mut b = Builder::new(Shape::list(list_desc));
        for (k, v) in self.entries(kind) {
            let t = object::alloc_tuple(tuple, &[k, v]);
            b.push(t as u64);
        }
        b.finish()
    }

    /// Same entries (and equal values), in any order.
    ///
    /// # Safety
    /// Both tables must be of the MAP or SET desc `desc`.
    pub unsafe fn equals(self, other: Table, desc: Desc) -> bool {
        let kind = Kind::of(desc);
        if self.size() != other.size() {
            return false;
        }
        self.entries(kind).all(|(k, v)| {
            // SAFETY: keys and values of a table are values of its types (contract).
            match unsafe { other.find(kind, k) } {
                None => false,
                Some((_, w)) => match kind.value {
                    // SAFETY: values of a table are values of its value type (contract).
                    Some(vd) => unsafe { generic::eq(v, w, vd) },
                    None => true,
                },
            }
        })
    }

    /// Ordering by entries sorted by key (then values), then by size.
    ///
    /// # Safety
    /// As for [`Table::equals`].
    pub unsafe fn compare(self, other: Table, desc: Desc) -> Ordering {
        let kind = Kind::of(desc);
        let sorted = |t: Table| {
            let mut v: Vec<(u64, u64)> = t.entries(kind).collect();
            // SAFETY: keys of a table are values of its key type (contract).
            v.sort_by(|a, b| unsafe { generic::compare(a.0, b.0, kind.key) });
            v
        };
        let (a, b) = (sorted(self), sorted(other));
        // SAFETY: as above.
        let order = unsafe { compare_sorted(&a, &b, kind) };
        // The entries are only in Rust vectors and user `compare` functions may allocate: keep
        // the tables (which hold them) visibly live until the comparison is done.
        std::hint::black_box((self, other));
        order
    }

    /// An order-independent hash of the entries.
    ///
    /// # Safety
    /// As for [`Table::equals`].
    pub unsafe fn hash(self, desc: Desc) -> u64 {
        let kind = Kind::of(desc);
        let mut sum = self.size() as u64;
        for (k, v) in self.entries(kind) {
            let mut h = generic::hash::Hasher::new();
            // SAFETY: keys and values of a table are values of its types (contract).
            unsafe {
                h.add(generic::hash(k, kind.key));
                if let Some(vd) = kind.value {
                    h.add(generic::hash(v, vd));
                }
            }
            sum = sum.wrapping_add(h.finish());
        }
        sum
    }
}

/// Compares entry lists sorted by key: keys, then values, pair by pair, then lengths.
///
/// # Safety
/// The entries must be keys and values of the types of `kind`.
unsafe fn compare_sorted(a: &[(u64, u64)], b: &[(u64, u64)], kind: Kind) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        // SAFETY: keys and values of the types of `kind` (contract).
        let o = unsafe { generic::compare(x.0, y.0, kind.key) }.then_with(|| match kind.value {
            // SAFETY: as above.
            Some(vd) => unsafe { generic::compare(x.1, y.1, vd) },
            None => Ordering::Equal,
        });
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

/// A table from (key, value) pairs; later duplicates overwrite earlier ones.
///
/// # Safety
/// Keys and values must be values of the types of `kind`.
pub unsafe fn from_pairs(kind: Kind, pairs: impl Iterator<Item = (u64, u64)>) -> Table {
    // SAFETY: forwarded contract.
    pairs.fold(Table::empty(kind), |t, (k, v)| unsafe { t.put(kind, k, v) })
}

/// A map from a list of `(K, V)` tuples; later duplicates overwrite earlier ones.
///
/// # Safety
/// `pairs` must be a list of `(K, V)` tuples of the types of `kind`.
pub unsafe fn from_tuple_list(kind: Kind, pairs: List) -> Table {
    let fields = pairs.iter().map(|t| {
        // SAFETY: each element is a 2-tuple object (contract).
        unsafe { (word(t as Obj, 0), word(t as Obj, 1)) }
    });
    // SAFETY: forwarded contract.
    unsafe { from_pairs(kind, fields) }
}

/// The panic message of `Map.get` on a missing key whose value type has no default.
pub fn missing_key_error() -> String {
    "Map.get: key not found".to_string()
}

/// `Map.get`'s value for a missing key: the default of `V` for Int, Float, Bool, `()` and
/// String (stdlib spec §7), `None` for any other type (the caller panics).
pub fn default_value(value: Desc) -> Option<u64> {
    match value.kind() {
        TY_INT | TY_FLOAT | TY_BOOL | TY_UNIT => Some(0),
        TY_STRING => Some(crate::value::string::alloc_str("") as u64),
        _ => None,
    }
}
