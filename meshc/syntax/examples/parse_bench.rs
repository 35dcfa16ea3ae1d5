//! Parse benchmark (issue 3: "parsing a 10,000-line program takes well under 100 ms in
//! release"). Generates a program of varied constructs (or reads the file given with `--file`),
//! lexes and parses it `--runs` times and prints the median and best wall time, lines per
//! second and MB per second. Run it through `scripts/bench/parse.sh`, which builds in release.
//!
//! Usage: `parse_bench [--lines N] [--runs R] [--file PATH] [--write PATH]`

use mesh_syntax::parser::parse_module;
use mesh_syntax::span::FileId;
use std::time::{Duration, Instant};

/// One block of the generated program; `{n}` is replaced by the block's index so every name
/// is unique. It exercises items, patterns, types, closures, pipes, interpolation and loops.
const TEMPLATE: &str = r##"## A record type with a derived encoder.
pub struct Reading{n} do
  sensor :: String
  value :: Int
  tags :: List<String>
end deriving(Json, Eq)

type Shape{n} do
  Dot
  Circle(Float)
  Rect(w :: Float, h :: Float)
end

pub type Id{n} = String

interface Describe{n} do
  type Out
  fn describe(self) -> Self.Out
  fn tag(self) -> String do "item" end
end

impl Describe{n} for Reading{n} do
  type Out = String
  fn describe(self) -> String do "#{self.sensor}=#{self.value}" end
end

pub fn parse_port{n}(raw :: String) -> Int ! String do
  case String.to_int(raw) do
    Some(n) when n > 0 -> Ok(n)
    Some(_) -> Err("bad port")
    None -> Err("not a number: #{raw}")
  end
end

fn area{n}(s :: Shape{n}) -> Float do
  case s do
    Dot -> 0.0
    Circle(r) -> 3.14159 * r * r
    Rect(w, h) -> w * h
  end
end

fn fact{n}(0) = 1
fn fact{n}(k) when k > 0 = k * fact{n}(k - 1)

fn pipeline{n}(xs :: List<Int>) -> Int do
  let doubled = xs |> List.map(fn x -> x * 2 end) |> List.filter(fn x -> x % 3 != 0 end)
  let total = List.reduce(doubled, 0, fn acc, x -> acc + x end)
  let label = if total > 100 do "big" else if total > 10 do "medium" else "small" end
  let squares = for x in xs when x > 1 do x * x end
  let m = %{"total" => total, "count" => List.length(squares)}
  println("#{label}: #{total} #{Map.get(m, "count")}")
  10 |2> Int.sub(total)
end

actor counter{n}(count :: Int) do
  receive do
    Add(k) -> counter{n}(count + k)
    Get(from) -> do
      send(from, count)
      counter{n}(count)
    end
  after 5000 -> println("idle #{count}")
  end
end

fn main{n}() do
  let r = Reading{n} { sensor: "t", value: 42, tags: ["a", "b"] }
  let r2 = %{r | value: r.value + 1}
  let body = json { sensor: r2.sensor, value: r2.value, ok: true }
  let (a, b) = (fact{n}(5), area{n}(Rect(2.0, 3.0)))
  while a > 1000 and not (b < 1.0) do
    break
  end
  parse_port{n}("8080")?
  println("#{body} #{a} #{b}")
end

"##;

struct Args {
    lines: usize,
    runs: usize,
    file: Option<String>,
    write: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        lines: 10_000,
        runs: 21,
        file: None,
        write: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--lines" => args.lines = value.parse().expect("--lines takes a number"),
            "--runs" => args.runs = value.parse().expect("--runs takes a number"),
            "--file" => args.file = Some(value),
            "--write" => args.write = Some(value),
            other => panic!("unknown argument {other}; see the usage in the file header"),
        }
    }
    args.runs = args.runs.max(1);
    args
}

/// At least `lines` lines of whole template blocks.
fn generate(lines: usize) -> String {
    let mut src = String::new();
    let mut n = 0;
    while src.lines().count() < lines {
        src.push_str(&TEMPLATE.replace("{n}", &n.to_string()));
        n += 1;
    }
    src
}

fn main() {
    let args = parse_args();
    let src = match &args.file {
        Some(path) => std::fs::read_to_string(path).expect("the --file is readable"),
        None => generate(args.lines),
    };
    if let Some(path) = &args.write {
        std::fs::write(path, &src).expect("the --write path is writable");
    }
    let lines = src.lines().count();
    // Warm up, and make sure we time a successful parse rather than an early error.
    let parsed = parse_module(FileId(0), &src);
    if parsed.module.is_none() {
        panic!(
            "the benchmark input does not parse: {:?}",
            parsed.diagnostics
        );
    }
    let mut times: Vec<Duration> = (0..args.runs)
        .map(|_| {
            let start = Instant::now();
            let parsed = parse_module(FileId(0), &src);
            let elapsed = start.elapsed();
            drop(parsed);
            elapsed
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "parse: {lines} lines, {} bytes: median {:.2} ms, best {:.2} ms over {} runs; \
         {:.0} lines/s, {:.1} MB/s",
        src.len(),
        ms(median),
        ms(times[0]),
        times.len(),
        lines as f64 / median.as_secs_f64(),
        src.len() as f64 / median.as_secs_f64() / 1e6
    );
}
