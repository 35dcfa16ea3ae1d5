//! Property tests: the lexer and parser never panic, never loop and never overflow the stack,
//! whatever the input; every span they report fits the source; printing the AST and rendering
//! the diagnostics never panic either.
//!
//! Three generators feed `parse_module`: arbitrary bytes (decoded lossily), "token soup" built
//! from Mesh keywords, punctuation and literals, and valid programs mutated by deleting,
//! duplicating and inserting text. A watchdog aborts the binary, printing the input, if one
//! input takes longer than `HANG_LIMIT`. `fuzz_for_configured_time` runs all three for
//! `MESH_FUZZ_SECONDS` (default 2) with fresh seeds; see `meshc/syntax/FUZZING.md`.
//!
//! Inputs are parsed on a thread with meshc's main-thread stack size (8 MiB), since that is
//! where `meshc` parses.

use crate::support::{has_bad_span, render, source_map};
use mesh_syntax::parser::parse_module;
use mesh_syntax::printer::print_module;
use mesh_syntax::token::{CONTEXTUAL_WORDS, KEYWORDS};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One input taking longer than this is reported as a hang (debug builds are ~20× slower).
const HANG_LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 30 } else { 5 });

/// meshc parses on the main thread, whose stack is 8 MiB on Linux.
const STACK: usize = mesh_syntax::parser::COMPILER_STACK;

// ---------------------------------------------------------------- the property

/// Parses `src` and checks everything we promise about the result.
fn check_input(src: &str) -> Result<(), TestCaseError> {
    let (sources, file) = source_map(src);
    let parsed = parse_module(file, src);
    for d in &parsed.diagnostics {
        for label in &d.labels {
            let (start, end) = (label.span.start as usize, label.span.end as usize);
            prop_assert!(
                start <= end && end <= src.len(),
                "diagnostic span {start}..{end} outside a {}-byte input",
                src.len()
            );
        }
    }
    match &parsed.module {
        Some(module) => {
            prop_assert!(parsed.diagnostics.iter().all(|d| !d.is_error()));
            let ast = print_module(module, src);
            prop_assert!(!has_bad_span(&ast), "a span does not fit:\n{ast}");
        }
        None => {
            prop_assert!(
                !parsed.diagnostics.is_empty(),
                "no module and no diagnostic"
            );
            let _ = render(&sources, &parsed.diagnostics);
            for d in &parsed.diagnostics {
                let _ = d.to_json(&sources);
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- the watchdog

/// Aborts the process, printing the input, if one input runs longer than `HANG_LIMIT`.
struct Watchdog {
    current: Arc<Mutex<Option<(Instant, String)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    fn start() -> Watchdog {
        let current: Arc<Mutex<Option<(Instant, String)>>> = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (current.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let guard = c.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((started, input)) = guard.as_ref() {
                    if started.elapsed() > HANG_LIMIT {
                        eprintln!(
                            "parse_module did not finish within {HANG_LIMIT:?} on this input:\n{input:?}"
                        );
                        std::process::abort();
                    }
                }
            }
        });
        Watchdog {
            current,
            stop,
            thread: Some(thread),
        }
    }

    fn check(&self, src: &str) -> Result<(), TestCaseError> {
        self.set(Some((Instant::now(), src.to_string())));
        let result = check_input(src);
        self.set(None);
        result
    }

    fn set(&self, value: Option<(Instant, String)>) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = value;
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs `f` on a thread with meshc's stack size and propagates its panic.
fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    let handle = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawning a test thread");
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
}

// ---------------------------------------------------------------- generators

/// Pieces of Mesh text besides the words of `mesh_syntax::token` (every reserved and contextual
/// word, see [`fragments`]): every operator and delimiter, literals of every kind, string and
/// comment openers, and whitespace.
const PUNCTUATION_AND_LITERALS: &[&str] = &[
    "+",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    ">",
    "<=",
    ">=",
    "&&",
    "||",
    "!",
    "<>",
    "++",
    "|>",
    "|2>",
    "|0>",
    "|3",
    "..",
    "?",
    "=",
    "->",
    "=>",
    "::",
    "|",
    "%{",
    "% {",
    "json {",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    ":",
    ";",
    "@",
    "@cluster",
    "@cluster(2)",
    "&",
    "~",
    "~r/a+/i",
    "~r/x",
    "0",
    "42",
    "1_000",
    "0xFF",
    "0b1",
    "0o7",
    "0x",
    "3.14",
    "1e6",
    "2.5e-3",
    "1.",
    "99999999999999999999",
    "\"s\"",
    "\"a#{",
    "#{",
    "${",
    "}\"",
    "\"\"\"",
    "\"\"\"\n  x\n  \"\"\"",
    "\"",
    "\\",
    ":atom",
    "x",
    "y",
    "_",
    "_x",
    "Foo",
    "Some",
    "None",
    "Ok",
    "Err",
    "A.B",
    "é",
    "日本",
    "# c\n",
    "## d\n",
    "##! m\n",
    "#= b =#",
    "#=",
    "=#",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "  ",
    "\u{0}",
    "\u{7}",
];

/// Every fragment the generators pick from: the reserved and contextual words, then the rest.
fn fragments() -> Vec<&'static str> {
    KEYWORDS
        .iter()
        .chain(CONTEXTUAL_WORDS)
        .chain(PUNCTUATION_AND_LITERALS)
        .copied()
        .collect()
}

/// Valid programs the mutation generator starts from.
pub(crate) const CORPUS: &[&str] = &[
    "fn main() do\n  println(\"hi #{1 + 2}\")\nend\n",
    "pub fn parse(raw :: String) -> Int ! String do\n  case String.to_int(raw) do\n    Some(n) -> if n > 0 do Ok(n) else Err(\"bad\") end\n    None -> Err(\"nan\")\n  end\nend\n",
    "fn fact(0) = 1\nfn fact(n) when n > 0 = n * fact(n - 1)\n",
    "pub struct Reading do\n  sensor :: String\n  value :: Int\nend deriving(Json)\n",
    "type Shape do\n  Dot\n  Circle(Float)\n  Rect(w :: Float, h :: Float)\nend\n",
    "interface D do\n  type Out\n  fn d(self) -> Self.Out\nend\nimpl D for R do\n  type Out = String\n  fn d(self) -> String do \"x\" end\nend\n",
    "actor echo() do\n  receive do\n    msg -> println(msg)\n  after 1000 -> 0\n  end\n  terminate do 1 end\nend\n",
    "service T do\n  fn init(s :: Int) -> Int do s end\n  call Add(k :: Int) :: Int do |n|\n    (n + k, n)\n  end\nend\n",
    "supervisor S do\n  strategy: one_for_one\n  child c do\n    start: fn -> spawn(w, 1) end\n  end\nend\n",
    "fn main() do\n  let f = fn 0 -> 1 | n when n > 0 -> n end\n  xs |> List.map(fn x -> x * 2 end) |2> g(1)\n  for {k, v} in m when k > 0 do k end\n  %{p | x: 1}\n  json { a: [1, 2], b: %{\"k\" => :v} }\nend\n",
    "from A.B import (\n  c,\n  d,\n)\nimport X\n@cluster(2) pub fn w() do\n  while true do break end\nend\n",
    "test(\"t\") do\n  assert_receive Ping(n), 50\nend\n",
];

fn bytes() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..256)
        .prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn token_soup() -> impl Strategy<Value = String> {
    let piece = (
        proptest::sample::select(fragments()),
        proptest::sample::select(&["", " ", " ", "\n"][..]),
    );
    proptest::collection::vec(piece, 0..80).prop_map(|pieces| {
        pieces.iter().fold(String::new(), |mut s, (t, sep)| {
            s.push_str(t);
            s.push_str(sep);
            s
        })
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, &'static str),
}

pub(crate) fn mutated_program() -> impl Strategy<Value = String> {
    let mutation = prop_oneof![
        (any::<usize>(), 0..12usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 0..40usize).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
        (any::<usize>(), proptest::sample::select(fragments()))
            .prop_map(|(at, t)| Mutation::Insert(at, t)),
    ];
    (
        proptest::sample::select(CORPUS),
        proptest::collection::vec(mutation, 1..5),
    )
        .prop_map(|(program, mutations)| {
            let mut b = program.as_bytes().to_vec();
            for m in mutations {
                let len = b.len().max(1);
                match m {
                    Mutation::Delete(at, n) => {
                        let at = at % len;
                        let end = (at + n).min(b.len());
                        b.drain(at.min(end)..end);
                    }
                    Mutation::Duplicate(at, n) => {
                        let at = at % len;
                        let end = (at + n).min(b.len());
                        let copy = b[at.min(end)..end].to_vec();
                        b.splice(end..end, copy);
                    }
                    Mutation::Insert(at, t) => {
                        let at = (at % len).min(b.len());
                        b.splice(at..at, t.bytes());
                    }
                }
            }
            String::from_utf8_lossy(&b).into_owned()
        })
}

fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![bytes(), token_soup(), mutated_program()]
}

/// Runs `cases` inputs of `strategy` from a seeded generator; on failure proptest shrinks the
/// input and the panic message shows it.
fn run<S>(strategy: S, cases: u32, seed: u64)
where
    S: Strategy<Value = String> + Send + 'static,
{
    on_big_stack(move || {
        let config = Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        };
        let mut seed_bytes = [0u8; 32];
        seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
        let mut runner = TestRunner::new_with_rng(config, rng);
        let watchdog = Watchdog::start();
        if let Err(e) = runner.run(&strategy, |src| watchdog.check(&src)) {
            panic!("seed {seed}: {e}");
        }
    });
}

// ---------------------------------------------------------------- quick properties

#[test]
fn fuzz_arbitrary_bytes_never_panic() {
    run(bytes(), 512, 1);
}

#[test]
fn fuzz_token_soup_never_panics() {
    run(token_soup(), 512, 2);
}

#[test]
fn fuzz_mutated_programs_never_panic() {
    run(mutated_program(), 512, 3);
}

#[test]
fn fuzz_corpus_parses() {
    for src in CORPUS {
        let parsed = parse_module(mesh_syntax::span::FileId(0), src);
        let (sources, _) = source_map(src);
        assert!(
            parsed.module.is_some(),
            "{src}\n{}",
            render(&sources, &parsed.diagnostics)
        );
    }
}

/// The long-running mode: `MESH_FUZZ_SECONDS=600 cargo test -p mesh_syntax --release --test
/// syntax fuzz -- --nocapture`. `MESH_FUZZ_SEED` picks the first seed (default 1000).
#[test]
fn fuzz_for_configured_time() {
    let seconds: u64 = std::env::var("MESH_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let first_seed: u64 = std::env::var("MESH_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let inputs = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut seed = first_seed;
    let batch = 2000;
    while Instant::now() < deadline {
        run(any_input(), batch, seed);
        inputs.fetch_add(u64::from(batch), Ordering::Relaxed);
        seed += 1;
    }
    eprintln!(
        "fuzz: {} inputs in {seconds} s (seeds {first_seed}..{seed}), no panic, hang or overflow",
        inputs.load(Ordering::Relaxed)
    );
}

// ---------------------------------------------------------------- deep nesting

/// The deeply nested inputs: (name, source, whether it must be rejected). Unclosed nesting must
/// get a diagnostic; closed nesting may parse or be rejected, but must not crash.
fn deep_case(name: &str) -> Option<(String, bool)> {
    let in_main = |body: String| format!("fn main() do\n{body}\nend\n");
    let case = match name {
        "unclosed_parens" => (in_main("(".repeat(100_000)), true),
        "unclosed_ifs" => (in_main("if x do\n".repeat(10_000)), true),
        "closed_parens" => (in_main(repeat("(", 100_000, "1", ")")), false),
        "closed_ifs" => (in_main(repeat("if x do\n", 10_000, "1\n", "end\n")), false),
        "lists" => (in_main(repeat("[", 10_000, "1", "]")), false),
        "calls" => (in_main(repeat("f(", 10_000, "1", ")")), false),
        "interpolations" => (in_main(repeat("\"a#{", 1_000, "1", "}\"")), false),
        "block_comments" => (repeat("#=", 100_000, "\nfn main() = 1\n", "=#"), false),
        "sum_chain" => (in_main(format!("1{}", " + 1".repeat(100_000))), false),
        "negations" => (in_main(format!("{}1", "-".repeat(100_000))), false),
        "pipe_chain" => (in_main(format!("1{}", " |> f".repeat(100_000))), false),
        _ => return None,
    };
    Some(case)
}

fn repeat(open: &str, n: usize, middle: &str, close: &str) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * n + middle.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

/// Parses (and drops) one deep case on meshc's stack size.
fn run_deep_case(name: &str) {
    let (src, must_fail) = deep_case(name).expect("a known deep case");
    on_big_stack(move || {
        let parsed = parse_module(mesh_syntax::span::FileId(0), &src);
        if must_fail {
            assert!(parsed.module.is_none(), "unclosed nesting parsed");
            assert!(!parsed.diagnostics.is_empty(), "no diagnostic");
        }
        drop(parsed);
    });
}

/// Runs a deep case in a child process (this test binary, filtered to `fuzz_deep_child`), so
/// that a stack overflow fails this test instead of aborting the whole binary.
fn deep(name: &str) {
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = std::process::Command::new(exe)
        .args([
            "--exact",
            "fuzz::fuzz_deep_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("MESH_DEEP_CASE", name)
        .output()
        .expect("running the test binary");
    assert!(
        output.status.success(),
        "deep case `{name}` failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The child side of `deep`: does nothing unless `MESH_DEEP_CASE` names a case.
#[test]
fn fuzz_deep_child() {
    if let Ok(name) = std::env::var("MESH_DEEP_CASE") {
        run_deep_case(&name);
    }
}

#[test]
fn fuzz_deep_unclosed_parens_get_a_diagnostic() {
    deep("unclosed_parens");
}

#[test]
fn fuzz_deep_unclosed_ifs_get_a_diagnostic() {
    deep("unclosed_ifs");
}

#[test]
fn fuzz_deep_block_comments_do_not_overflow() {
    deep("block_comments");
}

#[test]
fn fuzz_deep_closed_parens_do_not_overflow() {
    deep("closed_parens");
}

#[test]
fn fuzz_deep_closed_ifs_do_not_overflow() {
    deep("closed_ifs");
}

#[test]
fn fuzz_deep_lists_and_calls_do_not_overflow() {
    deep("lists");
    deep("calls");
    deep("interpolations");
}

#[test]
fn fuzz_long_operator_chains_do_not_overflow() {
    deep("sum_chain");
    deep("negations");
    deep("pipe_chain");
}

/// The printer keeps its own work stack: a 2,000-level AST prints on a 128 KiB stack.
#[test]
fn fuzz_printer_does_not_recurse() {
    let src = format!("fn main() do\n{}\nend\n", repeat("[", 2_000, "1", "]"));
    on_big_stack(move || {
        let module = parse_module(mesh_syntax::span::FileId(0), &src)
            .module
            .expect("nested lists parse");
        let printed = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .stack_size(128 << 10)
                .spawn_scoped(scope, || print_module(&module, &src))
                .expect("spawning the printing thread")
                .join()
                .expect("printing on a small stack")
        });
        assert_eq!(printed.matches("(list").count(), 2_000);
    });
}
