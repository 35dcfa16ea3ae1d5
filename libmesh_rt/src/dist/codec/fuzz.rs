//! Property tests ("fuzzing") of `decode`: whatever the bytes, decoding by any descriptor
//! returns a value or a `CodecError` (no panic, no crash, no unbounded allocation), and a
//! value it accepts encodes again and decodes to the same bytes (the decoder only builds
//! well-formed values).
//!
//! Inputs: arbitrary bytes; arbitrary bytes after a valid header (so the value decoder, not
//! the version check, sees them); and valid messages of every kind mutated by flipping,
//! inserting, deleting, duplicating and truncating bytes. `MESH_CODEC_FUZZ_CASES` sets the
//! cases per property (default 256); `FUZZING.md` beside this file has the long run.

use super::tests::{dec, distributed, enc, int_list, int_list_value, s};
use crate::value::generic::object::{self, alloc_tuple, alloc_variant};
use crate::value::list::{List, Shape};
use crate::value::map::{self, Kind};
use crate::value::typedesc::testing::*;
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::*;
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    let cases = std::env::var("MESH_CODEC_FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        ..Config::default()
    }
}

/// Descriptors with a valid message each (built once per thread: descriptors are leaked).
fn seeds() -> Vec<(Desc, Vec<u8>)> {
    distributed();
    let mut out = Vec::new();
    let mut add = |d: Desc, word: u64| match enc(word, d) {
        Ok(bytes) => out.push((d, bytes)),
        Err(e) => panic!("seed of {d:?}: {e}"),
    };
    add(int(), -123_456_789i64 as u64);
    add(float(), 2.5f64.to_bits());
    add(boolean(), 1);
    add(string(), s("héllo"));
    let ints = list(int());
    add(
        ints,
        List::from_words(Shape::list(int()), &[1, 2, 300]).as_word(),
    );
    let m = map(string(), list(int()));
    let l = List::from_words(Shape::list(int()), &[7]).as_word();
    // SAFETY: String keys, List<Int> values.
    let table = unsafe { map::from_pairs(Kind::of(m), [(s("a"), l), (s("b"), l)].into_iter()) };
    add(m, table.as_word());
    let st = set(tuple(&[int(), string()]));
    let t = alloc_tuple(tuple(&[int(), string()]), &[1, s("x")]) as u64;
    // SAFETY: tuple elements of the set's type.
    let set_word = unsafe { crate::value::set::from_words(Kind::of(st), [t].into_iter()) };
    add(st, set_word.as_word());
    let opt = option(string());
    add(opt, object::some(opt, s("x")) as u64);
    let point = desc(TY_STRUCT, "Point", &[int(), string()], &["x", "name"]);
    add(point, alloc_tuple(point, &[3, s("p")]) as u64);
    let d = int_list();
    add(d, int_list_value(d, 4));
    let circle = desc(TY_CASE, "Circle", &[float()], &[]);
    let empty = desc(TY_CASE, "Empty", &[], &[]);
    let shape = desc(TY_SUM, "Shape", &[circle, empty], &[]);
    add(shape, alloc_variant(shape, 0, &[1.0f64.to_bits()]) as u64);
    add(
        desc(TY_OPAQUE, "Json", &[], &[]),
        s(r#"{"a":[1,{"b":null}]}"#),
    );
    add(desc(TY_INT, "DateTime", &[], &[]), 1_700_000_000_000);
    add(desc(TY_OPAQUE, "Regex", &[], &[]), s("a(b|c)*"));
    let pid = desc(TY_PID, "Pid", &[int()], &[]);
    add(pid, crate::sched::process::make_pid(0, 5));
    let pairs = alloc_tuple(Desc::unit(), &[s("h"), s("v")]) as u64;
    let req = alloc_tuple(
        Desc::unit(),
        &[s("GET"), s("/"), s(""), s(""), pairs, pairs],
    ) as u64;
    add(desc(TY_TUPLE, "Request", &[], &[]), req);
    let resp = alloc_tuple(Desc::unit(), &[200, s("ok"), pairs]) as u64;
    add(desc(TY_TUPLE, "Response", &[], &[]), resp);
    out
}

thread_local! {
    static SEEDS: Vec<(Desc, Vec<u8>)> = seeds();
}

fn seed(i: usize) -> (Desc, Vec<u8>) {
    SEEDS.with(|s| s[i % s.len()].clone())
}

/// Decoding must not panic; an accepted value is well-formed: it encodes, and that encoding
/// decodes and encodes to the same bytes.
fn check(d: Desc, bytes: &[u8]) {
    let Ok(word) = dec(bytes, d) else {
        return;
    };
    let again = match enc(word, d) {
        Ok(b) => b,
        Err(e) => panic!("decoded value does not encode: {e}"),
    };
    let word2 = match dec(&again, d) {
        Ok(w) => w,
        Err(e) => panic!("re-encoded value does not decode: {e}"),
    };
    assert_eq!(enc(word2, d).as_ref(), Ok(&again));
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), 1usize..16).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len().max(1);
    match *m {
        Mutation::Flip(i, b) => {
            if let Some(x) = bytes.get_mut(i % len) {
                *x ^= b | 1;
            }
        }
        Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
        Mutation::Delete(i) => {
            if !bytes.is_empty() {
                bytes.remove(i % len);
            }
        }
        Mutation::Duplicate(i, n) => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            let part: Vec<u8> = bytes.get(at..end).map(<[u8]>::to_vec).unwrap_or_default();
            let pos = end.min(bytes.len());
            bytes.splice(pos..pos, part);
        }
        Mutation::Truncate(i) => bytes.truncate(i % len),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(which in any::<usize>(), bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let (d, _) = seed(which);
        check(d, &bytes);
    }

    #[test]
    fn arbitrary_values_after_a_valid_header_never_panic(
        which in any::<usize>(),
        body in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let (d, good) = seed(which);
        let mut bytes = good[..9].to_vec();
        bytes.extend_from_slice(&body);
        check(d, &bytes);
    }

    #[test]
    fn mutated_messages_never_panic(
        which in any::<usize>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let (d, mut bytes) = seed(which);
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check(d, &bytes);
    }

    #[test]
    fn valid_messages_decode(which in any::<usize>()) {
        let (d, bytes) = seed(which);
        prop_assert!(dec(&bytes, d).is_ok());
        check(d, &bytes);
    }
}
