//! Tests of iterator chains: laziness (closures run only when a terminal pulls, and `take`
//! stops pulling), single use, every adapter and terminal against the spec's edge cases, and
//! the collectors.

use super::*;
use crate::value::generic::object::testing::closure;
use crate::value::generic::{self};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::testing::{desc, int, list, map as map_desc, set, string, tuple};
use mesh_rt_abi::layout::TY_OPAQUE;
use std::cell::Cell;

fn iter_of(elem: Desc) -> Desc {
    desc(TY_OPAQUE, "Iter", &[elem], &[])
}

fn ints(xs: &[u64]) -> Obj {
    let l = List::from_words(Shape::list(list(int())), xs);
    from_list(iter_of(int()), l)
}

fn show(word: u64, d: Desc) -> String {
    let mut out = String::new();
    // SAFETY: tests pass values of `d`.
    unsafe { generic::display(word, d, &mut out) };
    out
}

fn collect_ints(it: Obj) -> String {
    let d = list(int());
    // SAFETY: `it` yields Ints.
    let l = unsafe { collect_list(Shape::list(d), it) };
    show(l.as_word(), d)
}

thread_local! {
    static CALLS: Cell<u64> = const { Cell::new(0) };
}

fn calls() -> u64 {
    CALLS.with(Cell::get)
}

extern "C-unwind" fn times10_counting(_closure: *mut u8, x: u64) -> u64 {
    CALLS.with(|c| c.set(c.get() + 1));
    x * 10
}

extern "C-unwind" fn is_even(_closure: *mut u8, x: u64) -> u64 {
    u64::from(x & 1 == 0)
}

extern "C-unwind" fn above_two(_closure: *mut u8, x: u64) -> u64 {
    u64::from(x > 2)
}

extern "C-unwind" fn plus(_closure: *mut u8, acc: u64, x: u64) -> u64 {
    acc.wrapping_add(x)
}

#[test]
fn adapters_run_nothing_until_a_terminal_pulls_and_take_stops_pulling() {
    let before = calls();
    let f = closure(times10_counting as *const (), &[]);
    let words: Vec<u64> = (0..100_000).collect();
    let mapped = map(iter_of(int()), ints(&words), f);
    let first3 = take(iter_of(int()), mapped, 3);
    assert_eq!(calls(), before);
    assert_eq!(collect_ints(first3), "[0, 10, 20]");
    assert_eq!(calls(), before + 3);
}

#[test]
fn an_iterator_is_exhausted_after_a_terminal() {
    let it = ints(&[1, 2, 3]);
    // SAFETY: `it` yields Ints.
    unsafe {
        assert_eq!(count(it), 3);
        assert_eq!(count(it), 0);
        assert_eq!(next(it), None);
    }
}

#[test]
fn filter_map_skip_take_compose_in_order() {
    let f = closure(times10_counting as *const (), &[]);
    let p = closure(above_two as *const (), &[]);
    let chain = map(
        iter_of(int()),
        filter(iter_of(int()), ints(&[1, 2, 3, 4, 5, 6]), p),
        f,
    );
    let chain = take(iter_of(int()), skip(iter_of(int()), chain, 1), 2);
    assert_eq!(collect_ints(chain), "[40, 50]");
    assert_eq!(collect_ints(take(iter_of(int()), ints(&[1, 2]), 0)), "[]");
    assert_eq!(collect_ints(take(iter_of(int()), ints(&[1, 2]), -4)), "[]");
    assert_eq!(
        collect_ints(take(iter_of(int()), ints(&[1, 2]), 9)),
        "[1, 2]"
    );
    assert_eq!(collect_ints(skip(iter_of(int()), ints(&[1, 2]), 5)), "[]");
    assert_eq!(
        collect_ints(skip(iter_of(int()), ints(&[1, 2]), -1)),
        "[1, 2]"
    );
    assert_eq!(collect_ints(ints(&[])), "[]");
}

#[test]
fn enumerate_and_zip_build_tuples_and_zip_ends_with_the_shorter_side() {
    let pair = tuple(&[int(), int()]);
    let pairs = list(pair);
    let e = enumerate(iter_of(pair), ints(&[7, 8]));
    // SAFETY: the iterators yield pairs of Ints.
    unsafe {
        let l = collect_list(Shape::list(pairs), e);
        assert_eq!(show(l.as_word(), pairs), "[(0, 7), (1, 8)]");
        let z = zip(iter_of(pair), ints(&[1, 2, 3]), ints(&[4, 5]));
        let l = collect_list(Shape::list(pairs), z);
        assert_eq!(show(l.as_word(), pairs), "[(1, 4), (2, 5)]");
        let z = zip(iter_of(pair), ints(&[]), ints(&[4, 5]));
        assert_eq!(count(z), 0);
    }
}

#[test]
fn terminals_follow_the_spec_edge_cases() {
    let even = closure(is_even as *const (), &[]);
    let add = closure(plus as *const (), &[]);
    // SAFETY: the iterators yield Ints; the closures take Ints.
    unsafe {
        assert_eq!(sum(ints(&[1, 2, 3])), 6);
        assert_eq!(sum(ints(&[])), 0);
        assert_eq!(sum(ints(&[i64::MAX as u64, 1])), i64::MIN);
        assert!(any(ints(&[1, 4]), even));
        assert!(!any(ints(&[]), even));
        assert!(all(ints(&[]), even));
        assert!(!all(ints(&[2, 3, 4]), even));
        assert_eq!(find(ints(&[1, 3, 4, 6]), even), Some(4));
        assert_eq!(find(ints(&[1, 3]), even), None);
        assert_eq!(reduce(ints(&[1, 2, 3]), 10, add), 16);
        assert_eq!(reduce(ints(&[]), 10, add), 10);
        // `find` stops at the match: the rest is still there.
        let it = ints(&[1, 2, 3, 4]);
        assert_eq!(find(it, even), Some(2));
        assert_eq!(collect_ints(it), "[3, 4]");
    }
}

#[test]
fn collectors_build_maps_sets_and_strings() {
    let sd = string();
    let words = [
        alloc_str("a") as u64,
        alloc_str("b") as u64,
        alloc_str("a") as u64,
    ];
    let strings = || from_list(iter_of(sd), List::from_words(Shape::list(list(sd)), &words));
    // SAFETY: the iterators yield strings and (Int, String) pairs.
    unsafe {
        assert_eq!(as_str(collect_string(strings())), "aba");
        assert_eq!(
            as_str(collect_string(from_list(
                iter_of(sd),
                List::empty(Shape::list(list(sd)))
            ))),
            ""
        );
        let sdesc = set(sd);
        let s = collect_set(Kind::of(sdesc), strings());
        assert_eq!(show(s.as_word(), sdesc), "#{a, b}");
        let pair = tuple(&[int(), sd]);
        let md = map_desc(int(), sd);
        let m = collect_map(Kind::of(md), enumerate(iter_of(pair), strings()));
        assert_eq!(show(m.as_word(), md), "%{0 => a, 1 => b, 2 => a}");
        let swapped = tuple(&[sd, int()]);
        let md = map_desc(sd, int());
        let z = zip(iter_of(swapped), strings(), ints(&[1, 2, 3]));
        let m = collect_map(Kind::of(md), z);
        assert_eq!(show(m.as_word(), md), "%{a => 3, b => 2}");
    }
}

#[test]
fn is_done_turns_true_only_after_a_pull_finds_nothing() {
    let it = ints(&[0, 5]);
    // SAFETY: iterator nodes built above.
    unsafe {
        assert!(!is_done(it));
        assert_eq!(next(it), Some(0));
        assert!(!is_done(it), "an element 0 is not the end");
        assert_eq!(next(it), Some(5));
        assert!(!is_done(it));
        assert_eq!(next(it), None);
        assert!(is_done(it));
        assert_eq!(next(it), None);
    }
}
