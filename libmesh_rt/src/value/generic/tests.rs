//! Tests of the generic operations: Display and Debug forms against the spec examples,
//! equality/ordering/hash conventions, and values too deep for recursion.

use super::object::{alloc_tuple, alloc_variant};
use super::*;
use crate::value::list::{List, Shape};
use crate::value::map::{Kind, Table};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::testing::*;
use mesh_rt_abi::layout::*;
use mesh_rt_abi::{StrRef, TypeDesc};
use std::cmp::Ordering;

fn show(word: u64, desc: Desc) -> String {
    let mut out = String::new();
    // SAFETY: tests pass values of `desc`.
    unsafe { display(word, desc, &mut out) };
    out
}

fn dbg(word: u64, desc: Desc) -> String {
    let mut out = String::new();
    // SAFETY: tests pass values of `desc`.
    unsafe { debug(word, desc, &mut out) };
    out
}

fn s(text: &str) -> u64 {
    alloc_str(text) as u64
}

#[test]
fn scalars_display_per_the_spec_table() {
    assert_eq!(show(-7i64 as u64, int()), "-7");
    assert_eq!(show(7.0f64.to_bits(), float()), "7");
    assert_eq!(show(2.5f64.to_bits(), float()), "2.5");
    assert_eq!(show(1, boolean()), "true");
    assert_eq!(show(0, Desc::unit()), "()");
    assert_eq!(show(s("a\"b"), string()), "a\"b");
    assert_eq!(dbg(s("a\"b\n"), string()), "\"a\\\"b\\n\"");
    assert_eq!(dbg(3.5f64.to_bits(), float()), "3.5");
}

#[test]
fn compound_values_display_and_debug_like_derived_code() {
    let boxed = desc(TY_STRUCT, "Box", &[int()], &["value"]);
    assert_eq!(show(alloc_tuple(boxed, &[42]) as u64, boxed), "Box(42)");
    assert_eq!(
        dbg(alloc_tuple(boxed, &[42]) as u64, boxed),
        "Box { value: 42 }"
    );
    let point = desc(TY_STRUCT, "Point", &[int(), string()], &["x", "name"]);
    let p = alloc_tuple(point, &[1, s("a\"b")]) as u64;
    assert_eq!(show(p, point), "Point(1, a\"b)");
    assert_eq!(dbg(p, point), "Point { x: 1, name: \"a\\\"b\" }");
    let pair = tuple(&[int(), string()]);
    let t = alloc_tuple(pair, &[1, s("x")]) as u64;
    assert_eq!(
        (show(t, pair), dbg(t, pair)),
        ("(1, x)".into(), "(1, \"x\")".into())
    );
    let opt = option(int());
    assert_eq!(show(alloc_variant(opt, 0, &[3]) as u64, opt), "Some(3)");
    assert_eq!(show(alloc_variant(opt, 1, &[]) as u64, opt), "None");
    let circle = desc(TY_CASE, "Circle", &[float()], &[]);
    let dot = desc(TY_CASE, "Dot", &[], &[]);
    let shape = desc(TY_SUM, "Shape", &[dot, circle], &[]);
    let c = alloc_variant(shape, 1, &[2.0f64.to_bits()]) as u64;
    assert_eq!(
        (show(c, shape), dbg(c, shape)),
        ("Circle(2)".into(), "Circle(2)".into())
    );
    assert_eq!(dbg(alloc_variant(shape, 0, &[]) as u64, shape), "Dot");
}

#[test]
fn collections_nest_in_display_and_debug() {
    let inner = list(string());
    let outer = list(inner);
    let words = |xs: &[&str]| xs.iter().map(|x| s(x)).collect::<Vec<_>>();
    let a = List::from_words(Shape::list(inner), &words(&["a", "b"]));
    let b = List::from_words(Shape::list(inner), &words(&["c"]));
    let l = List::from_words(Shape::list(outer), &[a.as_word(), b.as_word()]);
    assert_eq!(show(l.as_word(), outer), "[[a, b], [c]]");
    assert_eq!(dbg(l.as_word(), outer), "[[\"a\", \"b\"], [\"c\"]]");
    let opts = list(option(string()));
    let o = option(string());
    let some = alloc_variant(o, 0, &[s("x")]) as u64;
    let none = alloc_variant(o, 1, &[]) as u64;
    let ol = List::from_words(Shape::list(opts), &[some, none]);
    assert_eq!(show(ol.as_word(), opts), "[Some(x), None]");
    let md = map(string(), list(int()));
    let kind = Kind::of(md);
    let nums = List::from_words(Shape::list(list(int())), &[1, 2]);
    // SAFETY: a String key and a List<Int> value.
    let m = unsafe { Table::empty(kind).put(kind, s("k"), nums.as_word()) };
    assert_eq!(show(m.as_word(), md), "%{k => [1, 2]}");
    assert_eq!(dbg(m.as_word(), md), "%{\"k\" => [1, 2]}");
    let sd = set(int());
    let sk = Kind::of(sd);
    // SAFETY: Int elements.
    let st = unsafe { Table::empty(sk).put(sk, 1, 0).put(sk, 2, 0) };
    assert_eq!(show(st.as_word(), sd), "#{1, 2}");
}

#[test]
fn to_string_and_inspect_allocate_mesh_strings() {
    let l = List::from_words(Shape::list(list(int())), &[1, 2, 3]);
    // SAFETY: a List<Int> value; the results are strings.
    unsafe {
        assert_eq!(as_str(to_string(l.as_word(), list(int()))), "[1, 2, 3]");
        assert_eq!(as_str(inspect(s("q"), string())), "\"q\"");
    }
}

#[test]
fn ordering_is_lexicographic_and_total_over_floats() {
    let ld = list(int());
    let l = |xs: &[u64]| List::from_words(Shape::list(ld), xs).as_word();
    let cmp = |a: u64, b: u64, d: Desc| {
        // SAFETY: tests pass values of `d`.
        unsafe { compare(a, b, d) }
    };
    assert_eq!(cmp(l(&[1, 2]), l(&[1, 2, 0]), ld), Ordering::Less);
    assert_eq!(cmp(l(&[1, 3]), l(&[1, 2, 0]), ld), Ordering::Greater);
    assert_eq!(cmp(l(&[1, 2]), l(&[1, 2]), ld), Ordering::Equal);
    assert_eq!(cmp(-1i64 as u64, 1, int()), Ordering::Less);
    assert_eq!(cmp(s("b"), s("a"), string()), Ordering::Greater);
    let f = |x: f64| x.to_bits();
    assert_eq!(
        cmp(f(f64::NAN), f(f64::INFINITY), float()),
        Ordering::Greater
    );
    assert_eq!(cmp(f(-0.0), f(0.0), float()), Ordering::Equal);
    let opt = option(int());
    let (some, none) = (
        alloc_variant(opt, 0, &[9]) as u64,
        alloc_variant(opt, 1, &[]) as u64,
    );
    assert_eq!(
        cmp(some, none, opt),
        Ordering::Less,
        "variants in declaration order"
    );
    let pair = tuple(&[string(), int()]);
    let t = |a: &str, b: u64| alloc_tuple(pair, &[s(a), b]) as u64;
    assert_eq!(cmp(t("a", 2), t("a", 1), pair), Ordering::Greater);
    assert_eq!(cmp(t("a", 2), t("b", 1), pair), Ordering::Less);
}

#[test]
fn equal_values_hash_equal_and_floats_follow_ieee_equality() {
    let pair = tuple(&[string(), float()]);
    let a = alloc_tuple(pair, &[s("key"), 0.0f64.to_bits()]) as u64;
    let b = alloc_tuple(pair, &[s("key"), (-0.0f64).to_bits()]) as u64;
    let c = alloc_tuple(pair, &[s("kez"), 0.0f64.to_bits()]) as u64;
    // SAFETY: tuples of `pair`; floats.
    unsafe {
        assert!(eq(a, b, pair));
        assert_eq!(hash(a, pair), hash(b, pair));
        assert!(!eq(a, c, pair));
        assert_ne!(hash(a, pair), hash(c, pair));
        let nan = f64::NAN.to_bits();
        assert!(!eq(nan, nan, float()));
        assert_eq!(
            hash(s("abcdefghij"), string()),
            hash(s("abcdefghij"), string())
        );
        assert_ne!(
            hash(s("abcdefghij"), string()),
            hash(s("abcdefghik"), string())
        );
    }
}

/// `type Chain do Link(Int, Chain) | End end`: a recursive SUM desc (leaked).
fn chain_desc() -> Desc {
    let name = |t: &'static str| StrRef {
        ptr: t.as_ptr(),
        len: t.len() as u64,
    };
    let sum: &'static mut TypeDesc = Box::leak(Box::new(TypeDesc {
        kind: TY_SUM,
        count: 2,
        name: name("Chain"),
        items: std::ptr::null(),
        names: std::ptr::null(),
        user: mesh_rt_abi::UserFns::NONE,
    }));
    let link_items: &'static [*const TypeDesc] =
        Box::leak(Box::new([int().as_ptr(), sum as *const TypeDesc]));
    let link = Box::leak(Box::new(TypeDesc {
        kind: TY_CASE,
        count: 2,
        name: name("Link"),
        items: link_items.as_ptr(),
        names: std::ptr::null(),
        user: mesh_rt_abi::UserFns::NONE,
    }));
    let end = desc(TY_CASE, "End", &[], &[]);
    let cases: &'static [*const TypeDesc] = Box::leak(Box::new([link as *const _, end.as_ptr()]));
    sum.items = cases.as_ptr();
    // SAFETY: every desc above is leaked and complete.
    unsafe { Desc::from_ptr(sum) }
}

#[test]
fn deep_recursive_values_do_not_use_the_rust_stack() {
    let chain = chain_desc();
    let build = |n: u64, last: u64| {
        let mut v = alloc_variant(chain, 1, &[]) as u64;
        for i in 0..n {
            v = alloc_variant(chain, 0, &[if i == 0 { last } else { i }, v]) as u64;
        }
        v
    };
    let (a, b, c) = (build(300_000, 0), build(300_000, 0), build(300_000, 1));
    // SAFETY: values of `chain`.
    unsafe {
        assert!(eq(a, b, chain));
        assert!(!eq(a, c, chain));
        assert_eq!(compare(a, c, chain), Ordering::Less);
        assert_eq!(hash(a, chain), hash(b, chain));
    }
    let text = show(a, chain);
    assert!(
        text.starts_with("Link(299999, Link(299998, "),
        "{}",
        &text[..40]
    );
    let suffix = format!("Link(0, End{}", ")".repeat(300_000));
    assert!(text.ends_with(&suffix));
    let small = build(2, 7);
    assert_eq!(show(small, chain), "Link(1, Link(7, End))");
}

#[test]
fn functions_and_opaque_values_compare_by_identity_and_print_a_placeholder() {
    let fun = desc(TY_FUN, "", &[], &[]);
    let x = super::object::testing::closure(std::ptr::null(), &[]) as u64;
    // SAFETY: a closure object and the FUN desc.
    unsafe {
        assert!(eq(x, x, fun));
    }
    assert_eq!(show(x, fun), "#Function");
    let json = desc(TY_OPAQUE, "Json", &[], &[]);
    assert_eq!(show(s("{\"ok\":true}"), json), "{\"ok\":true}");
}

/// `struct Key { n :: Int }` with user impls: equal and hashed by `n % 10`, ordered by `n`
/// reversed.
fn key_desc() -> Desc {
    extern "C-unwind" fn eq(a: u64, b: u64) -> i64 {
        i64::from(key_n(a) % 10 == key_n(b) % 10)
    }
    extern "C-unwind" fn compare(a: u64, b: u64) -> i64 {
        key_n(b).cmp(&key_n(a)) as i64
    }
    extern "C-unwind" fn hash(a: u64) -> u64 {
        (key_n(a) % 10) as u64
    }
    fn key_n(key: u64) -> i64 {
        // SAFETY: the tests pass Key objects (one Int field).
        unsafe { super::object::word(key as super::object::Obj, 0) as i64 }
    }
    let user = mesh_rt_abi::UserFns {
        display: std::ptr::null(),
        eq: eq as *const u8,
        compare: compare as *const u8,
        hash: hash as *const u8,
    };
    with_user(desc(TY_STRUCT, "Key", &[int()], &["n"]), user)
}

#[test]
fn user_functions_replace_the_structural_form_at_any_depth() {
    let key = key_desc();
    let k = |n: u64| alloc_tuple(key, &[n]) as u64;
    let opt = option(key);
    let some = |n: u64| alloc_variant(opt, 0, &[k(n)]) as u64;
    let lists = list(opt);
    let shape = Shape::list(lists);
    let l = |ns: &[u64]| {
        let words: Vec<u64> = ns.iter().map(|&n| some(n)).collect();
        List::from_words(shape, &words).as_word()
    };
    // SAFETY: values of the descs they are used with.
    unsafe {
        assert!(eq(k(3), k(13), key));
        assert!(!eq(k(3), k(4), key));
        assert!(eq(l(&[1, 2]), l(&[11, 22]), lists));
        assert_eq!(hash(l(&[1, 2]), lists), hash(l(&[11, 22]), lists));
        assert_eq!(compare(k(1), k(2), key), Ordering::Greater);
        assert_eq!(compare(l(&[5, 1]), l(&[5, 2]), lists), Ordering::Greater);
        let kind = Kind::of(set(key));
        let t = [3, 13, 4, 23]
            .iter()
            .fold(Table::empty(kind), |t, &n| t.put(kind, k(n), 0));
        assert_eq!(t.size(), 2);
        assert!(t.find(kind, k(33)).is_some());
    }
}
