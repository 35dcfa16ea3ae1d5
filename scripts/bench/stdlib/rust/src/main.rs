//! The Rust peers of json.mpl, map.mpl and strings.mpl: the same work, sizes (BENCH_N,
//! BENCH_REPS) and output lines, written as a Rust programmer would (serde_json with derived
//! Serialize, std HashMap, format! and join). Usage: stdlib-bench json|map|strings
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;

fn env_int(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// Milliseconds with a fractional part: the Rust phases can take less than one.
fn ms(since: Instant) -> String {
    format!("{:.3}", since.elapsed().as_secs_f64() * 1000.0)
}

// Fields in alphabetical order: Mesh's derived encoder sorts members by name.
#[derive(Serialize)]
struct Record {
    active: bool,
    email: String,
    id: i64,
    name: String,
    parent: Option<i64>,
    score: f64,
    tags: Vec<String>,
}

fn record(i: i64) -> Record {
    Record {
        id: i,
        name: format!("user number {i} with a \"quoted\" nickname"),
        email: format!("user{i}@example.com"),
        active: i % 3 == 0,
        score: i as f64 * 0.25,
        tags: vec![
            "alpha".to_string(),
            format!("beta-{}", i % 7),
            "gamma été".to_string(),
            "delta".to_string(),
        ],
        parent: if i % 2 == 0 { Some(i / 2) } else { None },
    }
}

fn json() {
    let n = env_int("BENCH_N", 5000);
    let reps = env_int("BENCH_REPS", 5);
    let doc: Vec<Record> = (0..n).map(record).collect();
    let t0 = Instant::now();
    let mut text = String::new();
    for _ in 0..reps {
        text = serde_json::to_string(&doc).expect("records serialise");
    }
    let encode = ms(t0);
    let t1 = Instant::now();
    let mut parsed = 0;
    for _ in 0..reps {
        // Like Json.parse: a generic value (members sorted, as serde_json's default map is a
        // BTreeMap), written back as compact text.
        let value: serde_json::Value = serde_json::from_str(&text).expect("own output parses");
        parsed = serde_json::to_string(&value)
            .expect("values serialise")
            .chars()
            .count();
    }
    let parse = ms(t1);
    println!("encoded_bytes {}", text.chars().count());
    println!("parsed_bytes {parsed}");
    println!("ms_json_encode {encode}");
    println!("ms_json_parse {parse}");
}

fn key(i: i64) -> i64 {
    i * 7919 % 1000003
}

fn map() {
    let n = env_int("BENCH_N", 1_000_000);
    let t0 = Instant::now();
    let mut m = HashMap::new();
    for i in 0..n {
        m.insert(key(i), i);
    }
    let insert = ms(t0);
    let t1 = Instant::now();
    let mut sum = 0i64;
    for i in 0..n {
        sum += m[&key(i)];
    }
    let lookup = ms(t1);
    println!("size {}", m.len());
    println!("sum {sum}");
    println!("ms_map_insert {insert}");
    println!("ms_map_lookup {lookup}");
}

fn strings() {
    let n = env_int("BENCH_N", 1_000_000);
    let t0 = Instant::now();
    let parts: Vec<String> = (0..n).map(|i| format!("key{i}={}", i * 3)).collect();
    let text = parts.join("&");
    let build = ms(t0);
    let t1 = Instant::now();
    // Owned pieces, as String.split makes new strings.
    let back: Vec<String> = text.split('&').map(str::to_string).collect();
    let split = ms(t1);
    println!("length {}", text.chars().count());
    println!("pieces {}", back.len());
    println!("ms_string_build {build}");
    println!("ms_string_split {split}");
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("json") => json(),
        Some("map") => map(),
        Some("strings") => strings(),
        _ => {
            eprintln!("usage: stdlib-bench json|map|strings");
            std::process::exit(2);
        }
    }
}
