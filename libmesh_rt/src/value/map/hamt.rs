//! The hash index of maps and sets: a persistent hash array mapped trie (Bagwell; Clojure's
//! `PersistentHashMap`) from a key's 64-bit hash to its entry. Three node kinds, told apart by
//! the low bits of payload word 0:
//!
//! - entry (`ENTRY`): word 0 = slot << 2 | tag, word 1 = hash, then key (and value) — see
//!   `Kind::entry_layout` in `map.rs`;
//! - branch (`BRANCH`): word 0 = bitmap << 32 | tag, then one child per set bit (entry, branch or
//!   collision), 5 hash bits per level from the low end;
//! - collision (`COLLISION`): word 0 = tag, word 1 = the shared hash, then two or more entries.
//!
//! Updates copy the path from the root (at most 13 levels); nodes are never modified once built.
//! Entries may sit at any depth; a branch left with one non-branch child collapses into it.

use super::Kind;
use crate::value::generic::object::{alloc_node, set_word, word, Obj};

pub(super) const ENTRY: u64 = 1;
const BRANCH: u64 = 2;
const COLLISION: u64 = 3;
const TAG_MASK: u64 = 3;
const BITS: u32 = 5;

fn tag(node: Obj) -> u64 {
    // SAFETY: every HAMT node has payload word 0.
    unsafe { word(node, 0) & TAG_MASK }
}

fn get(node: Obj, i: usize) -> u64 {
    // SAFETY: callers read words within the node's payload (by its layout above).
    unsafe { word(node, i) }
}

/// The hash stored in an entry or collision node.
pub(super) fn node_hash(node: Obj) -> u64 {
    get(node, 1)
}

fn bitmap(branch: Obj) -> u32 {
    (get(branch, 0) >> 32) as u32
}

/// A change to the children of a branch or collision node.
#[derive(Clone, Copy)]
enum Edit {
    Replace(usize, Obj),
    Insert(usize, Obj),
    Remove(usize),
}

/// A copy of the branch or collision `node` with its children edited and word 0 (the tag and
/// bitmap) set to `word0`. Builds the new node directly from the old one, so the only Mesh
/// pointers held across the allocation are `node` and the edit's child (both in locals, where
/// a conservative stack scan sees them); never a Rust collection of fresh nodes.
fn edit(kind: Kind, node: Obj, word0: u64, change: Edit) -> Obj {
    let first = if tag(node) == COLLISION { 2 } else { 1 };
    // SAFETY: HAMT nodes are live nodes whose aux counts their payload words.
    let old = unsafe { crate::value::generic::object::aux(node) } as usize - first;
    let new = match change {
        Edit::Replace(..) => old,
        Edit::Insert(..) => old + 1,
        Edit::Remove(..) => old - 1,
    };
    let out = alloc_node(kind.desc, first, first + new);
    let mut src = 0;
    for dst in 0..new {
        let child = match change {
            Edit::Replace(pos, c) if pos == dst => {
                src += 1;
                c
            }
            Edit::Insert(pos, c) if pos == dst => c,
            Edit::Remove(pos) if pos == src => {
                src += 2;
                get(node, first + src - 1) as Obj
            }
            _ => {
                src += 1;
                get(node, first + src - 1) as Obj
            }
        };
        // SAFETY: `out` is fresh with first + new words.
        unsafe { set_word(out, first + dst, child as u64) };
    }
    // SAFETY: as above; word 1 of a collision node is its hash.
    unsafe {
        set_word(out, 0, word0);
        if first == 2 {
            set_word(out, 1, node_hash(node));
        }
    }
    out
}

/// A branch of two or one children (held on the stack by the caller).
fn branch(kind: Kind, bitmap: u32, children: &[Obj]) -> Obj {
    let node = alloc_node(kind.desc, 1, 1 + children.len());
    // SAFETY: `node` is fresh with 1 + children words.
    unsafe {
        set_word(node, 0, (u64::from(bitmap) << 32) | BRANCH);
        for (i, c) in children.iter().enumerate() {
            set_word(node, 1 + i, *c as u64);
        }
    }
    node
}

/// The number of entries of a collision node.
fn collided_len(node: Obj) -> usize {
    // SAFETY: a collision node is a live node; aux counts its payload words.
    unsafe { crate::value::generic::object::aux(node) as usize - 2 }
}

/// Entry `i` of a collision node.
fn collided(node: Obj, i: usize) -> Obj {
    get(node, 2 + i) as Obj
}

/// A collision node of two entries (held on the stack by the caller).
fn collision(kind: Kind, hash: u64, entries: [Obj; 2]) -> Obj {
    let node = alloc_node(kind.desc, 2, 4);
    // SAFETY: `node` is fresh with 4 words.
    unsafe {
        set_word(node, 0, COLLISION);
        set_word(node, 1, hash);
        set_word(node, 2, entries[0] as u64);
        set_word(node, 3, entries[1] as u64);
    }
    node
}

/// The position in a collision node of the entry for `key`.
///
/// # Safety
/// `key` must be a value of the key type of `kind`.
unsafe fn collided_position(kind: Kind, node: Obj, hash: u64, key: u64) -> Option<usize> {
    // SAFETY: forwarded contract.
    (0..collided_len(node)).find(|&i| unsafe { kind.matches(collided(node, i), hash, key) })
}

/// The index of hash bits at `shift` within a branch, and the child position for it.
fn locate(branch: Obj, hash: u64, shift: u32) -> (u32, usize, bool) {
    let bit = 1u32 << ((hash >> shift) & 31);
    let map = bitmap(branch);
    (bit, (map & (bit - 1)).count_ones() as usize, map & bit != 0)
}

/// The entry for `key` (hash `hash`) under `root`.
///
/// # Safety
/// `root` must be null or a HAMT node of `kind`; `key` a value of the key type.
pub(super) unsafe fn find(kind: Kind, root: Obj, hash: u64, key: u64) -> Option<Obj> {
    let mut node = root;
    let mut shift = 0;
    loop {
        if node.is_null() {
            return None;
        }
        match tag(node) {
            // SAFETY: forwarded contract.
            ENTRY => return unsafe { kind.matches(node, hash, key) }.then_some(node),
            COLLISION => {
                if node_hash(node) != hash {
                    return None;
                }
                // SAFETY: forwarded contract.
                let found = unsafe { collided_position(kind, node, hash, key) };
                return found.map(|i| collided(node, i));
            }
            _ => {
                let (_, pos, present) = locate(node, hash, shift);
                if !present {
                    return None;
                }
                node = get(node, 1 + pos) as Obj;
                shift += BITS;
            }
        }
    }
}

/// `node` with `entry` (hash `hash`) added, replacing an entry with an equal key.
///
/// # Safety
/// `node` must be null or a HAMT node of `kind`; `entry` an entry of `kind`.
pub(super) unsafe fn insert(kind: Kind, node: Obj, shift: u32, entry: Obj, hash: u64) -> Obj {
    if node.is_null() {
        return entry;
    }
    let key = kind.key_of(entry);
    match tag(node) {
        ENTRY => {
            // SAFETY: forwarded contract.
            if unsafe { kind.matches(node, hash, key) } {
                entry
            } else {
                merge(kind, node, node_hash(node), entry, hash, shift)
            }
        }
        COLLISION if node_hash(node) == hash => {
            // SAFETY: forwarded contract.
            let change = match unsafe { collided_position(kind, node, hash, key) } {
                Some(i) => Edit::Replace(i, entry),
                None => Edit::Insert(collided_len(node), entry),
            };
            edit(kind, node, COLLISION, change)
        }
        COLLISION => merge(kind, node, node_hash(node), entry, hash, shift),
        _ => {
            let (bit, pos, present) = locate(node, hash, shift);
            let word0 = get(node, 0);
            if present {
                let old = get(node, 1 + pos) as Obj;
                // SAFETY: forwarded contract.
                let child = unsafe { insert(kind, old, shift + BITS, entry, hash) };
                edit(kind, node, word0, Edit::Replace(pos, child))
            } else {
                edit(
                    kind,
                    node,
                    word0 | (u64::from(bit) << 32),
                    Edit::Insert(pos, entry),
                )
            }
        }
    }
}

/// A node holding `a` (an entry or collision node of hash `ha`) and the entry `b` (hash `hb`),
/// for the level at `shift`.
fn merge(kind: Kind, a: Obj, ha: u64, b: Obj, hb: u64, shift: u32) -> Obj {
    if ha == hb {
        return collision(kind, ha, [a, b]);
    }
    // Hashes differ, so some 5-bit group at or above `shift` differs before bit 64.
    let (ia, ib) = ((ha >> shift) & 31, (hb >> shift) & 31);
    if ia == ib {
        let child = merge(kind, a, ha, b, hb, shift + BITS);
        return branch(kind, 1 << ia, &[child]);
    }
    let kids = if ia < ib { [a, b] } else { [b, a] };
    branch(kind, (1 << ia) | (1 << ib), &kids)
}

/// `node` without the entry for `key`; null when nothing is left.
///
/// # Safety
/// As for [`find`].
pub(super) unsafe fn remove(kind: Kind, node: Obj, shift: u32, hash: u64, key: u64) -> Obj {
    if node.is_null() {
        return node;
    }
    match tag(node) {
        ENTRY => {
            // SAFETY: forwarded contract.
            if unsafe { kind.matches(node, hash, key) } {
                std::ptr::null_mut()
            } else {
                node
            }
        }
        COLLISION => {
            if node_hash(node) != hash {
                return node;
            }
            // SAFETY: forwarded contract.
            match unsafe { collided_position(kind, node, hash, key) } {
                None => node,
                Some(i) if collided_len(node) == 2 => collided(node, 1 - i),
                Some(i) => edit(kind, node, COLLISION, Edit::Remove(i)),
            }
        }
        _ => {
            let (bit, pos, present) = locate(node, hash, shift);
            if !present {
                return node;
            }
            let old = get(node, 1 + pos) as Obj;
            // SAFETY: forwarded contract.
            let child = unsafe { remove(kind, old, shift + BITS, hash, key) };
            if child == old {
                return node;
            }
            let count = bitmap(node).count_ones();
            if child.is_null() {
                match count {
                    1 => std::ptr::null_mut(),
                    2 if tag(get(node, 2 - pos) as Obj) != BRANCH => get(node, 2 - pos) as Obj,
                    _ => edit(
                        kind,
                        node,
                        get(node, 0) & !(u64::from(bit) << 32),
                        Edit::Remove(pos),
                    ),
                }
            } else if count == 1 && tag(child) != BRANCH {
                child
            } else {
                edit(kind, node, get(node, 0), Edit::Replace(pos, child))
            }
        }
    }
}
