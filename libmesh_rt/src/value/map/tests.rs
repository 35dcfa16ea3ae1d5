//! Tests of maps: insertion order across put/delete/re-put, structural keys, persistence,
//! compaction, hash collisions, the stdlib semantics of `get`, `merge` and `from_list`, and the
//! slot iteration generated code uses.

use super::*;
use crate::abi::map as abi;
use crate::value::generic::object::alloc_tuple;
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::testing::{int, list, map, option, string, tuple};

fn show(t: Table, desc: Desc) -> String {
    let mut out = String::new();
    // SAFETY: `t` is a table of `desc`.
    unsafe { generic::display(t.as_word(), desc, &mut out) };
    out
}

fn int_map(pairs: &[(i64, i64)]) -> (Kind, Table) {
    let kind = Kind::of(map(int(), int()));
    // SAFETY: Int words.
    let t = unsafe { from_pairs(kind, pairs.iter().map(|&(k, v)| (k as u64, v as u64))) };
    (kind, t)
}

fn s(text: &str) -> u64 {
    alloc_str(text) as u64
}

#[test]
fn display_follows_insertion_order_and_replacing_keeps_the_position() {
    let (kind, m) = int_map(&[(1, 10), (2, 20)]);
    assert_eq!(show(m, kind.desc), "%{1 => 10, 2 => 20}");
    // SAFETY: Int words throughout.
    unsafe {
        let replaced = m.put(kind, 1, 11).put(kind, 3, 30);
        assert_eq!(show(replaced, kind.desc), "%{1 => 11, 2 => 20, 3 => 30}");
        let deleted = replaced.remove(kind, 1);
        assert_eq!(show(deleted, kind.desc), "%{2 => 20, 3 => 30}");
        let back = deleted.put(kind, 1, 12);
        assert_eq!(show(back, kind.desc), "%{2 => 20, 3 => 30, 1 => 12}");
        assert_eq!(show(back.remove(kind, 1), kind.desc), "%{2 => 20, 3 => 30}");
        assert_eq!(
            back.remove(kind, 99),
            back,
            "deleting a missing key is a no-op"
        );
        assert_eq!(
            show(m, kind.desc),
            "%{1 => 10, 2 => 20}",
            "the original is unchanged"
        );
        assert_eq!(show(Table::empty(kind), kind.desc), "%{}");
    }
}

#[test]
fn string_and_tuple_keys_are_found_by_structure() {
    let kind = Kind::of(map(string(), int()));
    // SAFETY: String keys and Int values; fresh equal strings.
    unsafe {
        let m = Table::empty(kind)
            .put(kind, s("apple"), 1)
            .put(kind, s("pear"), 2);
        assert_eq!(m.find(kind, s("apple")).map(|e| e.1), Some(1));
        assert_eq!(m.put(kind, s("apple"), 5).size(), 2);
        assert_eq!(show(m, kind.desc), "%{apple => 1, pear => 2}");
    }
    let pair = tuple(&[int(), string()]);
    let kind = Kind::of(map(pair, string()));
    let key = |n: u64, t: &str| alloc_tuple(pair, &[n, s(t)]) as u64;
    // SAFETY: tuple keys of `pair`, String values.
    unsafe {
        let m =
            Table::empty(kind)
                .put(kind, key(1, "a"), s("one"))
                .put(kind, key(1, "b"), s("two"));
        let (_, v) = m.find(kind, key(1, "b")).expect("equal tuple key");
        assert_eq!(as_str(v as *const u8), "two");
        assert!(m.find(kind, key(2, "a")).is_none());
        assert_eq!(show(m, kind.desc), "%{(1, a) => one, (1, b) => two}");
        let mut out = String::new();
        generic::debug(m.as_word(), kind.desc, &mut out);
        assert_eq!(out, "%{(1, \"a\") => \"one\", (1, \"b\") => \"two\"}");
    }
}

#[test]
fn many_puts_and_deletes_match_an_ordered_model_and_compact_holes() {
    let (kind, mut m) = int_map(&[]);
    let mut order: Vec<(u64, u64)> = Vec::new();
    let snapshot;
    // SAFETY: Int words throughout.
    unsafe {
        for i in 0..20_000u64 {
            m = m.put(kind, i * 7919 % 20_011, i);
            order.push((i * 7919 % 20_011, i));
        }
        snapshot = m;
        for i in (0..20_000u64).filter(|i| i % 3 != 0) {
            let k = i * 7919 % 20_011;
            m = m.remove(kind, k);
            order.retain(|e| e.0 != k);
        }
        for i in 0..100 {
            m = m.put(kind, i * 7919 % 20_011, 1_000_000 + i);
            match order.iter_mut().find(|e| e.0 == i * 7919 % 20_011) {
                Some(e) => e.1 = 1_000_000 + i,
                None => order.push((i * 7919 % 20_011, 1_000_000 + i)),
            }
        }
    }
    assert_eq!(m.size(), order.len());
    assert_eq!(m.entries(kind).collect::<Vec<_>>(), order);
    assert!(
        m.slots() <= 2 * m.size() + 32,
        "holes are compacted: {}",
        m.slots()
    );
    let live: Vec<(u64, u64)> = (0..m.slots())
        .filter_map(|i| match m.slot(kind, i) {
            Slot::Live(k, v) => Some((k, v)),
            _ => None,
        })
        .collect();
    assert_eq!(live, order);
    assert_eq!(m.slot(kind, m.slots()), Slot::Out);
    let present: std::collections::HashMap<u64, u64> = order.iter().copied().collect();
    for k in 0..20_011u64 {
        // SAFETY: Int keys.
        let found = unsafe { m.find(kind, k) }.map(|e| e.1);
        assert_eq!(found, present.get(&k).copied(), "key {k}");
    }
    assert_eq!(snapshot.size(), 20_000, "persistence across deletes");
    // SAFETY: Int keys.
    assert_eq!(unsafe { snapshot.find(kind, 7919) }, Some((7919, 1)));
}

#[test]
fn colliding_hashes_share_a_collision_node() {
    let (kind, _) = int_map(&[]);
    let entries: Vec<Obj> = (0..5u64)
        .map(|k| kind.entry(k as usize, 42, k, k * 10))
        .collect();
    let mut root = std::ptr::null_mut();
    // SAFETY: entries of `kind` with Int keys; all share the (fake) hash 42.
    unsafe {
        for &e in &entries {
            root = hamt::insert(kind, root, 0, e, 42);
        }
        let other = kind.entry(9, 43, 99, 990);
        root = hamt::insert(kind, root, 0, other, 43);
        for k in 0..5u64 {
            let e = hamt::find(kind, root, 42, k).expect("present");
            assert_eq!(kind.value_of(e), k * 10);
        }
        assert!(hamt::find(kind, root, 42, 7).is_none());
        assert!(hamt::find(kind, root, 43, 99).is_some());
        for k in 0..4u64 {
            root = hamt::remove(kind, root, 0, 42, k);
            assert!(hamt::find(kind, root, 42, k).is_none());
        }
        assert!(hamt::find(kind, root, 42, 4).is_some());
        assert!(hamt::find(kind, root, 43, 99).is_some());
    }
}

#[test]
fn get_returns_defaults_for_missing_keys_of_simple_value_types() {
    let ints = map(string(), int());
    let strings = map(int(), string());
    let (id, sd) = (ints.as_ptr() as *mut u8, strings.as_ptr() as *mut u8);
    // SAFETY: live descriptors, maps built by these functions and words of their types.
    unsafe {
        let m = abi::mesh_rt_map_put(id, abi::mesh_rt_map_new(id), s("hits") as i64, 3);
        assert_eq!(abi::mesh_rt_map_get(id, m, s("hits") as i64), 3);
        assert_eq!(abi::mesh_rt_map_get(id, m, s("misses") as i64), 0);
        assert_eq!(abi::mesh_rt_map_has_key(id, m, s("misses") as i64), 0);
        let e = abi::mesh_rt_map_new(sd);
        assert_eq!(as_str(abi::mesh_rt_map_get(sd, e, 1) as *const u8), "");
    }
    assert_eq!(default_value(map(int(), int())), None);
    assert_eq!(missing_key_error(), "Map.get: key not found");
}

#[test]
fn get_opt_keys_values_to_list_merge_and_from_list() {
    let desc = map(int(), int());
    let d = desc.as_ptr() as *mut u8;
    let opt = option(int());
    let (ints, pairs) = (list(int()), list(tuple(&[int(), int()])));
    let (a, b) = (
        int_map(&[(1, 10), (2, 20)]).1,
        int_map(&[(3, 30), (1, 11)]).1,
    );
    let text = |w: *mut u8, d: Desc| {
        let mut out = String::new();
        // SAFETY: `w` is a value of `d`.
        unsafe { generic::display(w as u64, d, &mut out) };
        out
    };
    // SAFETY: live descriptors and maps of them.
    unsafe {
        let od = opt.as_ptr() as *mut u8;
        assert_eq!(
            text(abi::mesh_rt_map_get_opt(d, od, a.as_ptr(), 2), opt),
            "Some(20)"
        );
        assert_eq!(
            text(abi::mesh_rt_map_get_opt(d, od, a.as_ptr(), 5), opt),
            "None"
        );
        let merged = abi::mesh_rt_map_merge(d, a.as_ptr(), b.as_ptr());
        assert_eq!(text(merged, desc), "%{1 => 11, 2 => 20, 3 => 30}");
        let lp = ints.as_ptr() as *mut u8;
        assert_eq!(
            text(abi::mesh_rt_map_keys(d, lp, merged), ints),
            "[1, 2, 3]"
        );
        assert_eq!(
            text(abi::mesh_rt_map_values(d, lp, merged), ints),
            "[11, 20, 30]"
        );
        let tl = abi::mesh_rt_map_to_list(d, pairs.as_ptr() as *mut u8, merged);
        assert_eq!(text(tl, pairs), "[(1, 11), (2, 20), (3, 30)]");
        let again = abi::mesh_rt_map_from_list(d, tl);
        assert!(generic::eq(again as u64, merged as u64, desc));
        assert_eq!(abi::mesh_rt_map_size(again), 3);
        let (keys, values) = ([5u64, 6, 5], [50u64, 60, 55]);
        let lit = abi::mesh_rt_map_from(d, keys.as_ptr() as *mut u8, values.as_ptr() as *mut u8, 3);
        assert_eq!(text(lit, desc), "%{5 => 55, 6 => 60}");
        assert_eq!(abi::mesh_rt_map_slot_live(lit, 1), 1);
        assert_eq!(abi::mesh_rt_map_slot_key(d, lit, 1), 6);
        assert_eq!(abi::mesh_rt_map_slot_value(d, lit, 0), 55);
        let holed = abi::mesh_rt_map_delete(d, lit, 5);
        assert_eq!(abi::mesh_rt_map_slots(holed), 2);
        assert_eq!(abi::mesh_rt_map_slot_live(holed, 0), 0);
        assert_eq!(abi::mesh_rt_map_slot_live(holed, 7), 0);
    }
}

#[test]
fn maps_are_equal_and_hash_equal_regardless_of_order() {
    let (kind, a) = int_map(&[(1, 10), (2, 20)]);
    let (_, b) = int_map(&[(2, 20), (1, 10)]);
    let (_, c) = int_map(&[(2, 20), (1, 11)]);
    // SAFETY: maps of `kind.desc`.
    unsafe {
        assert!(generic::eq(a.as_word(), b.as_word(), kind.desc));
        assert!(!generic::eq(a.as_word(), c.as_word(), kind.desc));
        assert_eq!(
            generic::hash(a.as_word(), kind.desc),
            generic::hash(b.as_word(), kind.desc)
        );
        assert_eq!(
            generic::compare(a.as_word(), b.as_word(), kind.desc),
            Ordering::Equal
        );
        assert_eq!(
            generic::compare(a.as_word(), c.as_word(), kind.desc),
            Ordering::Less
        );
    }
}
