//! Tests of lists: the structure against a `Vec` model (both ends, slices, persistence), a
//! million appends, the element operations, closures through hand-built closure objects, and
//! the panic messages.

use super::*;
use crate::value::generic::object::testing::{capture, closure};
use crate::value::generic::object::{alloc_tuple, word};
use crate::value::generic::{self, object};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::testing::{int, list, option, string, tuple};

fn ints() -> Shape {
    Shape::list(list(int()))
}

fn contents(l: List) -> Vec<u64> {
    let by_iter: Vec<u64> = l.iter().collect();
    let by_get: Vec<u64> = (0..l.len()).map(|i| l.get(i).expect("in range")).collect();
    let mut by_rev: Vec<u64> = l.iter().rev().collect();
    by_rev.reverse();
    assert_eq!(by_iter, by_get);
    assert_eq!(by_iter, by_rev);
    assert_eq!(l.get(l.len()), None);
    by_iter
}

fn show(word: u64, desc: Desc) -> String {
    let mut out = String::new();
    // SAFETY: tests pass values of `desc`.
    unsafe { generic::display(word, desc, &mut out) };
    out
}

fn inspect(word: u64, desc: Desc) -> String {
    let mut out = String::new();
    // SAFETY: tests pass values of `desc`.
    unsafe { generic::debug(word, desc, &mut out) };
    out
}

/// A deterministic pseudo-random sequence (no dependencies).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn literals_display_like_the_spec() {
    let desc = list(int());
    let l = List::from_words(Shape::list(desc), &[1, 2, 3]);
    assert_eq!(show(l.as_word(), desc), "[1, 2, 3]");
    let sdesc = list(string());
    let words = [alloc_str("hello") as u64, alloc_str("world") as u64];
    let s = List::from_words(Shape::list(sdesc), &words);
    assert_eq!(show(s.as_word(), sdesc), "[hello, world]");
    assert_eq!(inspect(s.as_word(), sdesc), "[\"hello\", \"world\"]");
    assert_eq!(show(List::empty(ints()).as_word(), desc), "[]");
}

#[test]
fn both_ends_slices_and_updates_match_a_vec_model_and_old_versions_stay_intact() {
    run_model(7, 6000, 80);
}

#[test]
fn large_lists_match_the_vec_model_through_several_trie_levels() {
    run_model(11, 300, 6000);
}

/// Random operations on random earlier versions, each checked against a `Vec`; bulk
/// appends/prepends add up to `bulk` elements at a time.
fn run_model(seed: u64, steps: usize, bulk: u64) {
    let shape = ints();
    let mut rng = Rng(seed);
    let mut versions: Vec<(List, Vec<u64>)> = vec![(List::empty(shape), vec![])];
    let mut next = 0u64;
    for step in 0..steps {
        let (l, model) = versions[rng.below(versions.len() as u64) as usize].clone();
        let mut m = model.clone();
        let n = m.len() as u64;
        let out = match rng.below(12) {
            0..=2 => {
                let k = 1 + rng.below(bulk);
                let mut l = l;
                for _ in 0..k {
                    next += 1;
                    m.push(next);
                    l = l.append(shape, next);
                }
                l
            }
            3..=5 => {
                let k = 1 + rng.below(bulk);
                let (mut l, mut front) = (l, vec![]);
                for _ in 0..k {
                    next += 1;
                    front.push(next);
                    l = l.prepend(shape, next);
                }
                front.reverse();
                front.extend(m);
                m = front;
                l
            }
            6 => {
                let k = rng.below(n + 2) as usize;
                m.drain(..k.min(m.len()));
                l.drop_front(shape, k)
            }
            7 => {
                let k = rng.below(n + 2) as usize;
                m.truncate(k);
                l.take(shape, k)
            }
            8 => {
                let (a, b) = (rng.below(n + 1) as usize, rng.below(n + 3) as usize);
                m = if a < b.min(m.len()) {
                    m[a..b.min(m.len())].to_vec()
                } else {
                    vec![]
                };
                l.slice(shape, a, b)
            }
            9 if n > 0 => {
                let i = rng.below(n) as usize;
                next += 1;
                m[i] = next;
                l.set(shape, i, next).expect("in range")
            }
            10 => {
                let (other, om) = versions[rng.below(versions.len() as u64) as usize].clone();
                m.extend(om);
                l.concat(shape, other)
            }
            _ => {
                m.reverse();
                l.reverse(shape)
            }
        };
        assert_eq!(contents(out), m, "step {step}");
        versions.push((out, m));
        if versions.len() > 60 {
            let (old, om) = versions.remove(1);
            assert_eq!(contents(old), om, "an older version changed");
        }
    }
    for (l, m) in versions {
        assert_eq!(contents(l), m);
    }
}

#[test]
fn a_million_appends_then_gets() {
    let shape = ints();
    let mut l = List::empty(shape);
    let mut half = l;
    for i in 0..1_000_000u64 {
        l = l.append(shape, i * 3);
        if i == 499_999 {
            half = l;
        }
    }
    assert_eq!(l.len(), 1_000_000);
    for i in (0..1_000_000usize).step_by(7) {
        assert_eq!(l.get(i), Some(i as u64 * 3));
    }
    assert_eq!(
        half.len(),
        500_000,
        "persistence: the earlier version is unchanged"
    );
    assert_eq!(half.last(), Some(499_999 * 3));
    assert_eq!(
        l.iter().map(|x| x / 3).sum::<u64>(),
        999_999 * 1_000_000 / 2
    );
}

#[test]
fn prepends_and_tails_are_cheap_enough_for_cons_recursion() {
    let shape = ints();
    let mut l = List::empty(shape);
    for i in 0..200_000u64 {
        l = l.prepend(shape, i);
    }
    assert_eq!(l.first(), Some(199_999));
    assert_eq!(l.last(), Some(0));
    let (mut rest, mut sum) = (l, 0u64);
    while let Some(h) = rest.first() {
        sum += h;
        rest = rest.drop_front(shape, 1);
    }
    assert_eq!(sum, 199_999 * 200_000 / 2);
    assert!(rest.is_empty());
}

#[test]
fn heap_element_lists_keep_strings_and_share_structure() {
    let desc = list(string());
    let shape = Shape::list(desc);
    let mut l = List::empty(shape);
    for i in 0..100 {
        l = l.append(shape, alloc_str(&format!("s{i}")) as u64);
    }
    let t = l
        .drop_front(shape, 98)
        .prepend(shape, alloc_str("x") as u64);
    assert_eq!(show(t.as_word(), desc), "[x, s98, s99]");
    let s50 = l.get(50).expect("in range") as *const u8;
    // SAFETY: the list holds strings.
    assert_eq!(unsafe { as_str(s50) }, "s50");
}

#[test]
fn search_and_natural_sort_use_structural_equality_and_order() {
    let desc = list(string());
    let shape = Shape::list(desc);
    let words: Vec<u64> = ["pear", "apple", "fig", "apple"]
        .iter()
        .map(|s| alloc_str(s) as u64)
        .collect();
    let l = List::from_words(shape, &words);
    let apple = alloc_str("apple") as u64;
    // SAFETY: string lists and a string word.
    unsafe {
        assert!(ops::contains(l, string(), apple));
        assert!(!ops::contains(l, string(), alloc_str("kiwi") as u64));
        assert_eq!(ops::index_of(l, string(), apple), Some(1));
        let sorted = ops::sort(shape, l, string());
        assert_eq!(show(sorted.as_word(), desc), "[apple, apple, fig, pear]");
    }
    assert_eq!(show(l.as_word(), desc), "[pear, apple, fig, apple]");
}

extern "C-unwind" fn by_first_field(_closure: *mut u8, a: u64, b: u64) -> u64 {
    // SAFETY: the test sorts (Int, Int) tuples.
    let (x, y) = unsafe { (word(a as *mut u8, 0) as i64, word(b as *mut u8, 0) as i64) };
    (x - y) as u64
}

#[test]
fn sort_with_a_comparator_closure_is_stable() {
    let pair = tuple(&[int(), int()]);
    let desc = list(pair);
    let shape = Shape::list(desc);
    let keys = [3, 1, 2, 1, 3, 2, 1, 0, 2, 3];
    let words: Vec<u64> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| alloc_tuple(pair, &[k, i as u64]) as u64)
        .collect();
    let l = List::from_words(shape, &words);
    let cmp = closure(by_first_field as *const (), &[]);
    // SAFETY: `cmp` compares two tuples and returns an Int.
    let sorted = unsafe { ops::sort_by(shape, l, cmp) };
    assert_eq!(
        show(sorted.as_word(), desc),
        "[(0, 7), (1, 1), (1, 3), (1, 6), (2, 2), (2, 5), (2, 8), (3, 0), (3, 4), (3, 9)]"
    );
}

extern "C-unwind" fn add_capture(closure: *mut u8, x: u64) -> u64 {
    x + capture(closure, 0)
}

extern "C-unwind" fn is_even(_closure: *mut u8, x: u64) -> u64 {
    u64::from(x & 1 == 0)
}

extern "C-unwind" fn sum(_closure: *mut u8, acc: u64, x: u64) -> u64 {
    acc + x
}

extern "C-unwind" fn repeat(closure: *mut u8, x: u64) -> u64 {
    let shape = Shape::list(list(int()));
    let _ = closure;
    List::from_words(shape, &[x, x]).as_word()
}

#[test]
fn higher_order_operations_call_closures_in_order() {
    let desc = list(int());
    let shape = Shape::list(desc);
    let l = List::from_words(shape, &[1, 2, 3, 4, 5]);
    let add10 = closure(add_capture as *const (), &[10]);
    let even = closure(is_even as *const (), &[]);
    let plus = closure(sum as *const (), &[]);
    let twice = closure(repeat as *const (), &[]);
    // SAFETY: each closure has the arity and types its operation expects.
    unsafe {
        assert_eq!(
            show(ops::map(shape, l, add10).as_word(), desc),
            "[11, 12, 13, 14, 15]"
        );
        assert_eq!(show(ops::filter(shape, l, even).as_word(), desc), "[2, 4]");
        assert_eq!(ops::reduce(l, 100, plus), 115);
        assert!(ops::any(l, even));
        assert!(!ops::all(l, even));
        assert!(ops::all(List::empty(shape), even));
        assert!(!ops::any(List::empty(shape), even));
        assert_eq!(ops::find(l, even), Some(2));
        let flat = ops::flat_map(shape, List::from_words(shape, &[1, 2]), twice);
        assert_eq!(show(flat.as_word(), desc), "[1, 1, 2, 2]");
        ops::each(l, add10);
    }
}

#[test]
fn derived_lists_zip_enumerate_flatten_join_range() {
    let desc = list(int());
    let shape = Shape::list(desc);
    let (a, b) = (
        List::from_words(shape, &[1, 2, 3]),
        List::from_words(shape, &[7, 8]),
    );
    let pairs = list(tuple(&[int(), int()]));
    assert_eq!(
        show(ops::zip(pairs, a, b).as_word(), pairs),
        "[(1, 7), (2, 8)]"
    );
    assert_eq!(
        show(ops::enumerate(pairs, b).as_word(), pairs),
        "[(0, 7), (1, 8)]"
    );
    let nested = List::from_words(Shape::list(list(desc)), &[a.as_word(), b.as_word()]);
    // SAFETY: a list of lists of Int; a list of strings.
    unsafe {
        assert_eq!(
            show(ops::flatten(shape, nested).as_word(), desc),
            "[1, 2, 3, 7, 8]"
        );
        let words = [alloc_str("a") as u64, alloc_str("b") as u64];
        let strings = List::from_words(Shape::list(list(string())), &words);
        assert_eq!(as_str(ops::join(strings, b", ")), "a, b");
        assert_eq!(as_str(ops::join(List::empty(shape), b", ")), "");
    }
    assert_eq!(
        show(ops::range(shape, 2, 6).as_word(), desc),
        "[2, 3, 4, 5]"
    );
    assert!(ops::range(shape, 9, 0).is_empty());
}

#[test]
fn get_opt_builds_some_and_none_with_the_option_descriptor() {
    let desc = list(int());
    let opt = option(int());
    let l = List::from_words(Shape::list(desc), &[5, 6]);
    let od = opt.as_ptr() as *mut u8;
    // SAFETY: a live Option desc and list.
    let (hit, miss, neg) = unsafe {
        (
            crate::abi::list::mesh_rt_list_get_opt(od, l.as_ptr(), 1),
            crate::abi::list::mesh_rt_list_get_opt(od, l.as_ptr(), 2),
            crate::abi::list::mesh_rt_list_get_opt(od, l.as_ptr(), -1),
        )
    };
    assert_eq!(show(hit as u64, opt), "Some(6)");
    assert_eq!(show(miss as u64, opt), "None");
    assert_eq!(show(neg as u64, opt), "None");
    // SAFETY: variant objects: payload word 0 is the tag.
    unsafe {
        assert_eq!(object::word(hit, 0), 0, "Some is tag 0");
        assert_eq!(object::word(miss, 0), 1, "None is tag 1");
    }
}

#[test]
fn panic_messages_name_the_operation_index_and_length() {
    assert_eq!(
        index_error("List.get", 5, 3),
        "List.get: index 5 out of bounds (length 3)"
    );
    assert_eq!(
        index_error("List.get", -1, 0),
        "List.get: index -1 out of bounds (length 0)"
    );
    assert_eq!(empty_error("List.head"), "List.head: empty list");
}

#[test]
fn nodes_declare_raw_prefixes_for_immediate_elements_only() {
    use mesh_rt_abi::layout::{KIND_NODE, RAW_PREFIX_SHIFT};
    let raw_of = |obj: *mut u8| {
        // SAFETY: list headers and leaves are nodes.
        let meta = unsafe { (obj as *const u64).read() };
        assert_eq!(meta & 0xff, KIND_NODE);
        (meta >> RAW_PREFIX_SHIFT) & 0xff
    };
    let l = List::from_words(ints(), &[1, 2, 3]);
    let s = List::from_words(Shape::list(list(string())), &[alloc_str("a") as u64]);
    assert_eq!(raw_of(l.as_ptr()), HEADER_RAW as u64);
    // A literal's leaf holds exactly its elements, all raw for Ints.
    assert_eq!(raw_of(l.parts().tail), 3);
    assert_eq!(raw_of(s.parts().tail), 0);
    let long: Vec<u64> = (0..40).collect();
    let l = List::from_words(ints(), &long);
    assert_eq!(raw_of(l.parts().tail), WIDTH as u64);
    assert_eq!(l.iter().collect::<Vec<_>>(), long);
}
