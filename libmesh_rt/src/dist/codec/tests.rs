//! Round trips of every value kind of runtime-cluster §3.6 (values built by the runtime's own
//! constructors, encoded, decoded by a structurally equal descriptor of the "receiving"
//! node), the refusals with their panic text, and the exact error of each malformed input.

use super::wire::{put_int, put_text, put_varint, tag, MAX_DEPTH, MAX_ELEMENTS};
use super::*;
use crate::sched::process::{make_pid, pid_node, pid_serial};
use crate::value::generic::object::{self, alloc_tuple, alloc_variant};
use crate::value::generic::{debug, eq};
use crate::value::list::{List, Shape};
use crate::value::map::{self as map, Kind};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::testing::*;
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::*;
use mesh_rt_abi::{StrRef, TypeDesc};

/// The name and incarnation every test of this binary gives the local node.
pub(crate) const LOCAL: &str = "test@127.0.0.1:4370";
pub(crate) const LOCAL_INCARNATION: u64 = 0x1234_5678_9abc_def0;

pub(crate) fn distributed() {
    crate::dist::set_local_node(LOCAL, LOCAL_INCARNATION);
}

pub(crate) fn s(text: &str) -> u64 {
    alloc_str(text) as u64
}

/// `encode_message` of a value of a test descriptor.
pub(crate) fn enc(word: u64, d: Desc) -> Result<Vec<u8>, CodecError> {
    // SAFETY: tests pass live values of `d`, a leaked descriptor.
    unsafe { encode_message(word, d.as_ptr()) }
}

fn enc_into(word: u64, d: Desc, out: &mut Vec<u8>) -> Result<(), CodecError> {
    // SAFETY: as for `enc`.
    unsafe { encode(word, d.as_ptr(), out) }
}

/// `decode` by a test descriptor.
pub(crate) fn dec(bytes: &[u8], d: Desc) -> Result<u64, CodecError> {
    // SAFETY: `d` is a leaked descriptor.
    unsafe { decode(bytes, d.as_ptr()) }
}

fn remote(env: &crate::sched::Envelope, d: Desc) -> Result<crate::mem::Fragment, String> {
    // SAFETY: `env` is a remote envelope, alive meanwhile; `d` a leaked descriptor.
    unsafe { decode_remote(env.frag.word(), d.as_ptr()) }
}

fn dbg(word: u64, d: Desc) -> String {
    let mut out = String::new();
    // SAFETY: tests pass values of `d`.
    unsafe { debug(word, d, &mut out) };
    out
}

fn encoded(word: u64, d: Desc) -> Vec<u8> {
    match enc(word, d) {
        Ok(bytes) => bytes,
        Err(e) => panic!("encode {}: {e}", dbg(word, d)),
    }
}

/// Encodes `word` by `sent`, decodes it by `received` (structurally equal, another
/// descriptor: the receiving node's), checks equality and Debug form, returns the copy.
fn round_trip_as(word: u64, sent: Desc, received: Desc) -> u64 {
    let bytes = encoded(word, sent);
    let back = match dec(&bytes, received) {
        Ok(w) => w,
        Err(e) => panic!("decode {}: {e}", dbg(word, sent)),
    };
    // SAFETY: both are values of the (structurally same) type.
    assert!(
        // SAFETY: both are values of the (structurally same) type.
        unsafe { eq(word, back, sent) },
        "{} != {}",
        dbg(word, sent),
        dbg(back, received)
    );
    assert_eq!(dbg(word, sent), dbg(back, received));
    back
}

fn round_trip(word: u64, d: Desc) -> u64 {
    round_trip_as(word, d, d)
}

fn err(bytes: &[u8], d: Desc) -> CodecError {
    match dec(bytes, d) {
        Ok(w) => panic!("decoded {}", dbg(w, d)),
        Err(e) => e,
    }
}

fn header_desc(word: u64) -> *const TypeDesc {
    // SAFETY: `word` is a live tuple, variant or collection header in tests.
    unsafe { (word as *const u64).add(1).read() as *const TypeDesc }
}

fn named(kind: u32, name: &str) -> Desc {
    desc(kind, name, &[], &[])
}

fn list_of(d: Desc, words: &[u64]) -> u64 {
    List::from_words(Shape::list(d), words).as_word()
}

fn map_of(d: Desc, pairs: &[(u64, u64)]) -> u64 {
    // SAFETY: tests pass keys and values of the map's types.
    unsafe { map::from_pairs(Kind::of(d), pairs.iter().copied()) }.as_word()
}

/// A message prefix (version, fingerprint of `d`) followed by `value`.
fn message(d: Desc, value: &[u8]) -> Vec<u8> {
    let mut out = vec![VERSION];
    out.extend_from_slice(&super::fingerprint::of(d).to_be_bytes());
    out.extend_from_slice(value);
    out
}

/// `IntList = Cons(Int, IntList) | Nil`: a recursive sum (its Cons case points back at it).
pub(crate) fn int_list() -> Desc {
    let leak = |s: &str| {
        let s: &'static str = Box::leak(s.to_string().into_boxed_str());
        StrRef {
            ptr: s.as_ptr(),
            len: s.len() as u64,
        }
    };
    let sum = Box::leak(Box::new(TypeDesc {
        kind: TY_SUM,
        count: 2,
        name: leak("IntList"),
        items: std::ptr::null(),
        names: std::ptr::null(),
        user: mesh_rt_abi::UserFns::NONE,
    }));
    let cons_items: &'static mut [*const TypeDesc] =
        Box::leak(vec![int().as_ptr(), sum as *const TypeDesc].into_boxed_slice());
    let cons = Box::leak(Box::new(TypeDesc {
        kind: TY_CASE,
        count: 2,
        name: leak("Cons"),
        items: cons_items.as_ptr(),
        names: std::ptr::null(),
        user: mesh_rt_abi::UserFns::NONE,
    }));
    let nil = named(TY_CASE, "Nil");
    let sum_items: &'static mut [*const TypeDesc] =
        Box::leak(vec![cons as *const TypeDesc, nil.as_ptr()].into_boxed_slice());
    sum.items = sum_items.as_ptr();
    // SAFETY: leaked, complete before it is viewed.
    unsafe { Desc::from_ptr(sum) }
}

/// An IntList of `n` elements `n-1, …, 0`.
pub(crate) fn int_list_value(d: Desc, n: usize) -> u64 {
    let mut v = alloc_variant(d, 1, &[]) as u64;
    for i in 0..n {
        v = alloc_variant(d, 0, &[i as u64, v]) as u64;
    }
    v
}

#[test]
fn scalars_round_trip() {
    for v in [0i64, 1, -1, 63, -64, 1 << 40, i64::MIN, i64::MAX] {
        round_trip(v as u64, int());
    }
    for x in [
        0.0f64,
        -0.0,
        1.5,
        -2.25e300,
        f64::INFINITY,
        f64::MIN_POSITIVE,
    ] {
        let back = round_trip(x.to_bits(), float());
        assert_eq!(back, x.to_bits());
    }
    let nan = f64::from_bits(0x7ff8_0000_dead_beef);
    let bytes = encoded(nan.to_bits(), float());
    assert_eq!(dec(&bytes, float()), Ok(nan.to_bits()));
    round_trip(0, boolean());
    round_trip(1, boolean());
    round_trip(0, Desc::unit());
    // Sizes: an Int message is the header and a varint; a Bool one byte of value.
    assert_eq!(encoded(5, int()).len(), 1 + 8 + 2);
    assert_eq!(encoded(1, boolean()).len(), 1 + 8 + 1);
}

#[test]
fn strings_and_atoms_round_trip() {
    for text in ["", "a", "héllo wörld ✓", "line\nbreak\0nul"] {
        let back = round_trip(s(text), string());
        // SAFETY: a decoded String is a live string.
        assert_eq!(unsafe { as_str(back as *const u8) }, text);
    }
    let big = "x".repeat(200_000);
    round_trip(s(&big), string());
    round_trip(s("nodedown"), named(TY_ATOM, "Atom"));
}

#[test]
fn tuples_structs_and_range_round_trip() {
    let pair = tuple(&[int(), string()]);
    round_trip(alloc_tuple(pair, &[7, s("seven")]) as u64, pair);
    let nested = tuple(&[pair, tuple(&[]), boolean()]);
    let inner = alloc_tuple(pair, &[1, s("x")]) as u64;
    let empty = alloc_tuple(tuple(&[]), &[]) as u64;
    round_trip(alloc_tuple(nested, &[inner, empty, 1]) as u64, nested);

    let point = desc(TY_STRUCT, "Point", &[int(), string()], &["x", "name"]);
    let other_build = desc(TY_STRUCT, "Point", &[int(), string()], &["x", "name"]);
    let back = round_trip_as(alloc_tuple(point, &[3, s("p")]) as u64, point, other_build);
    assert_eq!(
        header_desc(back),
        other_build.as_ptr(),
        "the receiver's descriptor"
    );

    let range = desc(TY_STRUCT, "Range", &[int(), int()], &["start", "end"]);
    round_trip(alloc_tuple(range, &[1, 10]) as u64, range);
}

#[test]
fn sum_values_option_and_result_round_trip() {
    let circle = desc(TY_CASE, "Circle", &[float()], &[]);
    let rect = desc(TY_CASE, "Rect", &[int(), int()], &["w", "h"]);
    let empty = named(TY_CASE, "Empty");
    let shape = desc(TY_SUM, "Shape", &[circle, rect, empty], &[]);
    round_trip(alloc_variant(shape, 0, &[2.5f64.to_bits()]) as u64, shape);
    round_trip(alloc_variant(shape, 1, &[3, 4]) as u64, shape);
    let back = round_trip(alloc_variant(shape, 2, &[]) as u64, shape);
    // SAFETY: a decoded variant's payload word 0 is its tag.
    assert_eq!(unsafe { object::word(back as *mut u8, 0) }, 2);

    let opt = option(string());
    round_trip(object::some(opt, s("x")) as u64, opt);
    round_trip(object::none(opt) as u64, opt);
    assert_eq!(encoded(object::none(opt) as u64, opt)[9..], [tag::NONE]);

    let ok = desc(TY_CASE, "Ok", &[int()], &[]);
    let er = desc(TY_CASE, "Err", &[string()], &[]);
    let result = desc(TY_SUM, "Result", &[ok, er], &[]);
    round_trip(alloc_variant(result, 0, &[42]) as u64, result);
    round_trip(alloc_variant(result, 1, &[s("boom")]) as u64, result);
    let nested = option(option(int()));
    let inner = object::some(option(int()), 5) as u64;
    round_trip(object::some(nested, inner) as u64, nested);
}

#[test]
fn recursive_and_deep_values_round_trip_without_recursion() {
    let d = int_list();
    round_trip(int_list_value(d, 0), d);
    round_trip(int_list_value(d, 3), d);
    // Far deeper than the Rust stack would allow recursively at this frame size.
    round_trip(int_list_value(d, MAX_DEPTH - 1), d);
    let too_deep = int_list_value(d, MAX_DEPTH);
    assert_eq!(enc(too_deep, d), Err(CodecError::TooDeep));
}

#[test]
fn lists_queues_maps_and_sets_round_trip() {
    let ints = list(int());
    round_trip(list_of(int(), &[]), ints);
    let many: Vec<u64> = (0..5000).map(|i| i * 3).collect();
    round_trip(list_of(int(), &many), ints);
    let strings = list(string());
    let words: Vec<u64> = ["a", "", "ccc"].iter().map(|t| s(t)).collect();
    let l = list_of(string(), &words);
    round_trip(l, strings);
    let lol = list(strings);
    round_trip(list_of(strings, &[l, list_of(string(), &[]), l]), lol);
    let queue = desc(TY_LIST, "Queue", &[int()], &[]);
    round_trip(
        List::from_words(Shape::list(queue), &[1, 2]).as_word(),
        queue,
    );

    let m = map(string(), int());
    let entries: Vec<(u64, u64)> = (0..300).map(|i| (s(&format!("k{}", 299 - i)), i)).collect();
    let back = round_trip(map_of(m, &entries), m);
    // Insertion order is kept (Display/iteration order, stdlib §7).
    // SAFETY: `back` is a live map of `m`.
    let first = unsafe { map::Table::from_word(back) }
        .entries(Kind::of(m))
        .next();
    assert_eq!(
        // SAFETY: keys are live strings.
        first.map(|(k, v)| (unsafe { as_str(k as *const u8) }.to_string(), v)),
        Some(("k299".into(), 0))
    );
    round_trip(map_of(m, &[]), m);
    let m2 = map(int(), list(string()));
    round_trip(map_of(m2, &[(1, l), (2, list_of(string(), &[]))]), m2);

    let st = set(int());
    // SAFETY: Int elements.
    let set_word = unsafe { crate::value::set::from_words(Kind::of(st), [5u64, 1, 9].into_iter()) };
    round_trip(set_word.as_word(), st);
    let tuples = set(tuple(&[int(), string()]));
    let t = alloc_tuple(tuple(&[int(), string()]), &[1, s("a")]) as u64;
    // SAFETY: tuple elements of the set's type.
    let ts = unsafe { crate::value::set::from_words(Kind::of(tuples), [t].into_iter()) };
    round_trip(ts.as_word(), tuples);
}

#[test]
fn pids_carry_node_name_and_incarnation() {
    distributed();
    let pid_desc = desc(TY_PID, "Pid", &[int()], &[]);
    // A local pid: this node's name and incarnation, decoded back to slot 0.
    let local = make_pid(0, 42);
    let bytes = encoded(local, pid_desc);
    let mut expected = vec![tag::PID];
    put_text(&mut expected, LOCAL.as_bytes());
    expected.extend_from_slice(&LOCAL_INCARNATION.to_be_bytes());
    put_varint(&mut expected, 42);
    assert_eq!(bytes[9..], expected[..]);
    assert_eq!(dec(&bytes, pid_desc), Ok(local));
    round_trip(0, pid_desc);

    // A pid of node C arriving (from node A): a slot of its own, which encodes back to C.
    let mut c = vec![tag::PID];
    put_text(&mut c, b"c@10.0.0.3:4370");
    c.extend_from_slice(&77u64.to_be_bytes());
    put_varint(&mut c, 9);
    let Ok(pid) = dec(&message(pid_desc, &c), pid_desc) else {
        panic!("pid of C");
    };
    assert_ne!(pid_node(pid), 0);
    assert_eq!(pid_serial(pid), 9);
    assert_eq!(encoded(pid, pid_desc)[9..], c[..], "forwarded unchanged");
    assert_eq!(dec(&message(pid_desc, &c), pid_desc), Ok(pid), "same slot");
    // This node's name with an old incarnation is another node run: not a local pid.
    let mut old = vec![tag::PID];
    put_text(&mut old, LOCAL.as_bytes());
    old.extend_from_slice(&1u64.to_be_bytes());
    put_varint(&mut old, 42);
    let Ok(stale) = dec(&message(pid_desc, &old), pid_desc) else {
        panic!("stale pid");
    };
    assert_ne!(pid_node(stale), 0);
    assert_ne!(pid_node(stale), pid_node(pid));
    // A pid inside a struct (a Down-like message).
    let down = desc(
        TY_STRUCT,
        "Down",
        &[int(), pid_desc, string()],
        &["ref", "pid", "reason"],
    );
    round_trip(alloc_tuple(down, &[3, pid, s("noconnection")]) as u64, down);
    // A slot nobody gave out.
    assert_eq!(
        enc(make_pid(65_000, 1), pid_desc),
        Err(CodecError::UnknownNode(65_000))
    );
}

#[test]
fn json_datetime_and_regex_round_trip() {
    let json = named(TY_OPAQUE, "Json");
    round_trip(s(r#"{"a":[1,2.5,null],"b":"x"}"#), json);
    // Received Json is re-read: non-canonical text becomes canonical, invalid text is refused.
    let mut v = vec![tag::JSON];
    put_text(&mut v, br#"{ "b": 1, "a": true }"#);
    let Ok(w) = dec(&message(json, &v), json) else {
        panic!("json");
    };
    // SAFETY: a Json value is a live string.
    assert_eq!(unsafe { as_str(w as *const u8) }, r#"{"a":true,"b":1}"#);
    let mut bad = vec![tag::JSON];
    put_text(&mut bad, b"{");
    assert_eq!(
        err(&message(json, &bad), json),
        CodecError::InvalidValue("Json")
    );

    let dt = named(TY_INT, "DateTime");
    round_trip(1_733_500_000_123, dt);
    round_trip(0, dt);
    let mut far = vec![tag::DATETIME];
    put_int(&mut far, i64::MAX);
    assert_eq!(
        err(&message(dt, &far), dt),
        CodecError::InvalidValue("DateTime (out of range)")
    );
    // An Int is not a DateTime (another tag).
    let mut int_tag = vec![tag::INT];
    put_int(&mut int_tag, 5);
    assert_eq!(
        err(&message(dt, &int_tag), dt),
        CodecError::BadTag {
            expected: "DateTime",
            found: tag::INT
        }
    );

    let regex = named(TY_OPAQUE, "Regex");
    round_trip(s("^a+(b|c)$"), regex);
    let mut bad_rx = vec![tag::TEXT];
    put_text(&mut bad_rx, b"Regex");
    put_text(&mut bad_rx, b"(unclosed");
    assert_eq!(
        err(&message(regex, &bad_rx), regex),
        CodecError::InvalidValue("Regex")
    );
}

#[test]
fn requests_and_responses_round_trip() {
    let request = named(TY_TUPLE, "Request");
    let pairs = |words: &[&str]| {
        let w: Vec<u64> = words.iter().map(|t| s(t)).collect();
        alloc_tuple(Desc::unit(), &w) as u64
    };
    let req = alloc_tuple(
        Desc::unit(),
        &[
            s("POST"),
            s("/items/7"),
            s("x=1"),
            s("{\"a\":1}"),
            pairs(&["host", "a", "content-type", "application/json"]),
            pairs(&["id", "7"]),
        ],
    ) as u64;
    let bytes = encoded(req, request);
    let Ok(back) = dec(&bytes, request) else {
        panic!("request");
    };
    assert_eq!(encoded(back, request), bytes);
    // SAFETY: field 1 of a Request is its path, field 5 its params tuple.
    unsafe {
        assert_eq!(
            as_str(object::word(back as *mut u8, 1) as *const u8),
            "/items/7"
        );
        assert_eq!(object::aux(object::word(back as *mut u8, 5) as *mut u8), 2);
    }

    let response = named(TY_TUPLE, "Response");
    let resp = alloc_tuple(Desc::unit(), &[201, s("created"), pairs(&["x-a", "1"])]) as u64;
    let bytes = encoded(resp, response);
    let Ok(back) = dec(&bytes, response) else {
        panic!("response");
    };
    assert_eq!(encoded(back, response), bytes);
    let bare = alloc_tuple(Desc::unit(), &[404, s(""), 0]) as u64;
    let Ok(back) = dec(&encoded(bare, response), response) else {
        panic!("bare response");
    };
    // SAFETY: field 2 of a Response is its headers or 0.
    assert_eq!(unsafe { object::word(back as *mut u8, 2) }, 0);
    let mut bad = vec![tag::RESPONSE];
    put_int(&mut bad, 1000);
    put_text(&mut bad, b"");
    put_varint(&mut bad, 0);
    assert_eq!(
        err(&message(response, &bad), response),
        CodecError::InvalidValue("HTTP status")
    );
}

#[test]
fn closures_and_resource_handles_are_refused_with_the_spec_panic() {
    let fun = named(TY_FUN, "");
    let closure = object::testing::closure(std::ptr::null(), &[]) as u64;
    let e = enc(closure, fun);
    assert_eq!(e, Err(CodecError::NotSerialisable("Fun".into())));
    assert_eq!(
        e.map_err(|e| e.panic_text()),
        Err("remote send failed: Fun values cannot leave their node".into())
    );
    for (kind, name, word) in [
        (TY_INT, "PoolHandle", 1),
        (TY_INT, "PgConn", 1),
        (TY_INT, "SqliteConn", 1),
        (TY_OPAQUE, "HttpClient", s("#HttpClient<1>")),
        (TY_OPAQUE, "StreamHandle", s("#StreamHandle<1>")),
        (TY_OPAQUE, "Iter", s("")),
        (TY_OPAQUE, "Query", s("")),
        (TY_TUPLE, "Router", s("")),
    ] {
        let d = named(kind, name);
        let e = enc(word, d).map_err(|e| e.panic_text());
        assert_eq!(
            e,
            Err(format!(
                "remote send failed: {name} values cannot leave their node"
            ))
        );
    }
    // Deep inside a value too; nothing is written.
    let pool = named(TY_INT, "PoolHandle");
    let holder = desc(
        TY_STRUCT,
        "Ctx",
        &[string(), list(pool)],
        &["name", "pools"],
    );
    let value = alloc_tuple(holder, &[s("a"), list_of(pool, &[3])]) as u64;
    let mut out = vec![1, 2, 3];
    assert_eq!(
        enc_into(value, holder, &mut out),
        Err(CodecError::NotSerialisable("PoolHandle".into()))
    );
    assert_eq!(out, [1, 2, 3]);
    // And a receiver never decodes one.
    let mut v = vec![tag::INT];
    put_int(&mut v, 1);
    assert_eq!(
        err(&message(pool, &v), pool),
        CodecError::NotSerialisable("PoolHandle".into())
    );
}

#[test]
fn every_malformed_input_is_its_error() {
    let ints = list(int());
    let good = encoded(list_of(int(), &[1, 2, 3]), ints);
    assert_eq!(err(&[], ints), CodecError::Truncated);
    assert_eq!(err(&[2], ints), CodecError::BadVersion(2));
    for cut in 1..good.len() {
        assert_eq!(
            err(&good[..cut], ints),
            CodecError::Truncated,
            "cut at {cut}"
        );
    }
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(err(&trailing, ints), CodecError::TrailingBytes);
    // Another type, even for an empty list (the fingerprint).
    let empty_strings = encoded(list_of(string(), &[]), list(string()));
    assert_eq!(err(&empty_strings, ints), CodecError::TypeMismatch);
    assert_eq!(
        // SAFETY: a null descriptor is allowed (an error).
        unsafe { decode(&good, std::ptr::null()) },
        Err(CodecError::NoDescriptor)
    );

    // Counts are checked before anything is reserved.
    let mut huge = vec![tag::LIST];
    put_varint(&mut huge, 1 << 40);
    assert_eq!(
        err(&message(ints, &huge), ints),
        CodecError::TooLarge {
            what: "list",
            len: 1 << 40
        }
    );
    let mut just_over = vec![tag::LIST];
    put_varint(&mut just_over, MAX_ELEMENTS as u64 + 1);
    assert!(matches!(
        err(&message(ints, &just_over), ints),
        CodecError::TooLarge { .. }
    ));
    let mut promised = vec![tag::LIST];
    put_varint(&mut promised, MAX_ELEMENTS as u64);
    assert_eq!(err(&message(ints, &promised), ints), CodecError::Truncated);
    let mut long_string = vec![tag::STRING];
    put_varint(&mut long_string, (MAX_STRING as u64) + 1);
    assert!(matches!(
        err(&message(string(), &long_string), string()),
        CodecError::TooLarge { what: "string", .. }
    ));
    let mut bad_utf8 = vec![tag::STRING];
    put_text(&mut bad_utf8, &[0xff, 0xfe]);
    assert_eq!(
        err(&message(string(), &bad_utf8), string()),
        CodecError::InvalidUtf8
    );
    assert_eq!(
        err(&message(boolean(), &[7]), boolean()),
        CodecError::BadTag {
            expected: "Bool",
            found: 7
        }
    );

    // Names and counts of structs and variants.
    let point = desc(TY_STRUCT, "Point", &[int(), int()], &["x", "y"]);
    let mut v = vec![tag::STRUCT];
    put_text(&mut v, b"Point");
    put_varint(&mut v, 2);
    put_text(&mut v, b"x");
    v.extend_from_slice(&[tag::INT, 2]);
    put_text(&mut v, b"z");
    assert_eq!(
        err(&message(point, &v), point),
        CodecError::BadName {
            expected: "y".into(),
            found: "z".into()
        }
    );
    let mut v = vec![tag::STRUCT];
    put_text(&mut v, b"Point");
    put_varint(&mut v, 3);
    assert_eq!(
        err(&message(point, &v), point),
        CodecError::BadCount {
            expected: 2,
            found: 3
        }
    );
    let d = int_list();
    let mut v = vec![tag::SUM];
    put_text(&mut v, b"IntList");
    put_text(&mut v, b"Snoc");
    put_varint(&mut v, 0);
    assert!(matches!(
        err(&message(d, &v), d),
        CodecError::BadName { .. }
    ));

    // Duplicate map keys and set elements.
    let m = map(int(), int());
    let mut v = vec![tag::MAP];
    put_varint(&mut v, 2);
    v.extend_from_slice(&[tag::INT, 2, tag::INT, 4, tag::INT, 2, tag::INT, 6]);
    assert_eq!(
        err(&message(m, &v), m),
        CodecError::InvalidValue("map (duplicate keys)")
    );
    let st = set(int());
    let v = [tag::SET, 2, tag::INT, 2, tag::INT, 2];
    assert_eq!(
        err(&message(st, &v), st),
        CodecError::InvalidValue("set (duplicate elements)")
    );

    // Nesting past MAX_DEPTH in crafted bytes: a long Cons chain.
    let mut v = Vec::new();
    for _ in 0..MAX_DEPTH + 5 {
        v.push(tag::SUM);
        put_text(&mut v, b"IntList");
        put_text(&mut v, b"Cons");
        put_varint(&mut v, 2);
        v.extend_from_slice(&[tag::INT, 0]);
    }
    assert_eq!(err(&message(d, &v), d), CodecError::TooDeep);

    // Pids: the no-process pid is exactly ("", 0, 0); serials fit 48 bits.
    let pid_desc = desc(TY_PID, "Pid", &[], &[]);
    let mut v = vec![tag::PID];
    put_text(&mut v, b"");
    v.extend_from_slice(&5u64.to_be_bytes());
    put_varint(&mut v, 0);
    assert_eq!(
        err(&message(pid_desc, &v), pid_desc),
        CodecError::InvalidValue("pid")
    );
    let mut v = vec![tag::PID];
    put_text(&mut v, b"n@h:1");
    v.extend_from_slice(&5u64.to_be_bytes());
    put_varint(&mut v, 1 << 50);
    assert_eq!(
        err(&message(pid_desc, &v), pid_desc),
        CodecError::InvalidValue("pid (serial)")
    );
}

#[test]
fn collection_limits_apply_when_encoding_too() {
    let big: Vec<u64> = vec![0; MAX_ELEMENTS + 1];
    let ints = list(int());
    assert_eq!(
        enc(list_of(int(), &big), ints),
        Err(CodecError::TooLarge {
            what: "list",
            len: MAX_ELEMENTS as u64 + 1
        })
    );
    let exactly = list_of(int(), &big[..MAX_ELEMENTS]);
    let bytes = encoded(exactly, ints);
    assert_eq!(
        dec(&bytes, ints).map(|w| {
            // SAFETY: a decoded List is a live list.
            unsafe { List::from_word(w) }.len()
        }),
        Ok(MAX_ELEMENTS)
    );
}

#[test]
fn remote_envelopes_decode_by_the_receivers_type_or_give_the_drop_line() {
    let env = remote_envelope("b@10.0.0.2:4370", &[VERSION, 0], 0);
    assert!(is_remote(env.desc));
    assert_eq!(
        remote(&env, int()).err(),
        Some("mesh node: dropped message from b@10.0.0.2:4370: truncated value".to_string())
    );
    let mistyped = encoded(5, int());
    let env = remote_envelope("b@10.0.0.2:4370", &mistyped, 0);
    assert_eq!(
        remote(&env, string()).err(),
        Some(
            "mesh node: dropped message from b@10.0.0.2:4370: message of another type".to_string()
        )
    );
    let good = encoded(s("hello"), string());
    let env = remote_envelope("b@10.0.0.2:4370", &good, 0);
    let frag = match remote(&env, string()) {
        Ok(frag) => frag,
        Err(line) => panic!("{line}"),
    };
    drop(env);
    let word = frag.adopt();
    // SAFETY: the adopted value is a live string of this heap.
    assert_eq!(unsafe { as_str(word as *const u8) }, "hello");
}
