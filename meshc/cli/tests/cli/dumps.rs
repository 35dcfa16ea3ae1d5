//! meshc's developer options: `--dump=hir`, `--dump=types` (exact text) and `--timings` (one
//! line per stage that ran, in pipeline order, on stderr).

use super::{meshc, run, scratch};
use std::process::Output;

/// Writes `src` to `main.mpl` in a scratch directory and runs `meshc build <file> <args…>`
/// (the executable, if any, goes to the scratch directory).
fn meshc_build(name: &str, src: &str, args: &[&str]) -> Output {
    let dir = scratch(name);
    let file = dir.join("main.mpl");
    std::fs::write(&file, src).expect("scratch files are writable");
    run(meshc()
        .arg("build")
        .arg(&file)
        .arg("-o")
        .arg(dir.join("main"))
        .args(args)
        .env("NO_COLOR", "1"))
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "meshc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const PROGRAM: &str = "fn pick(flag, a, b) = if flag do a else b end\n\nfn main() do\n  let n = pick(true, 1, 2)\n  case Some(n) do\n    Some(k) when k > 0 -> println(\"k=${k}\")\n    _ -> println(\"none\")\n  end\nend\n";

#[test]
fn dump_types_prints_signatures_and_local_types() {
    let out = stdout(&meshc_build("types", PROGRAM, &["--dump=types"]));
    assert_eq!(
        out,
        "fn Main.pick/3 :: Fun(Bool, A, A) -> A\n  flag#0 :: Bool\n  a#1 :: A\n  b#2 :: A\n\
         fn Main.main/0 :: Fun() -> ()\n  n#3 :: Int\n  k#4 :: Int\n"
    );
}

#[test]
fn dump_hir_prints_each_function_as_a_tree() {
    let out = stdout(&meshc_build("hir", PROGRAM, &["--dump=hir"]));
    let expected = "\
fn Main.pick/3 (flag#0, a#1, b#2)
  (if
    (local flag#0)
    (block
      (local a#1))
    (block
      (local b#2)))
fn Main.main/0 ()
  (block
    (let n#3
      (call
        (fn Main.pick)
        (bool true)
        (int 1)
        (int 2)))
    (case
      (construct Option.Some
        (local n#3))
      (arm Option.Some(k#4)
        (when
          (binary Gt
            (local k#4)
            (int 0)))
        (call
          (builtin println)
          (interp
            \"k=\"
            (local k#4))))
      (arm _
        (call
          (builtin println)
          (str \"none\")))))
";
    assert_eq!(out, expected);
}

/// The stage names of a `--timings` report (its indented lines), checking each line's shape
/// (`  name  1.23 ms`).
fn timed_stages(stderr: &str) -> Vec<String> {
    let report = stderr
        .split_once("timings:\n")
        .map_or("", |(_, report)| report);
    report
        .lines()
        .take_while(|line| line.starts_with("  "))
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(fields.len(), 3, "{line:?}");
            assert!(
                fields[1].parse::<f64>().is_ok() && fields[2] == "ms",
                "{line:?}"
            );
            fields[0].to_string()
        })
        .collect()
}

#[test]
fn timings_report_each_stage_that_ran() {
    let output = meshc_build("timings", PROGRAM, &["--timings"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        timed_stages(&stderr),
        [
            "discover",
            "parse",
            "resolve/lower",
            "typecheck",
            "mir",
            "codegen",
            "link",
            "total"
        ]
    );
    let output = meshc_build("timings_dump", PROGRAM, &["--timings", "--dump=mir"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        timed_stages(&stderr),
        [
            "discover",
            "parse",
            "resolve/lower",
            "typecheck",
            "mir",
            "total"
        ]
    );
    // A program with a type error stops after type checking; the report still comes.
    let output = meshc_build("timings_error", "fn main() = 1 + \"a\"\n", &["--timings"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("[E0001]"), "{stderr}");
    assert_eq!(
        timed_stages(&stderr),
        ["discover", "parse", "resolve/lower", "typecheck", "total"]
    );
}

#[test]
fn dump_rejects_unknown_forms() {
    let output = meshc_build("bad_dump", PROGRAM, &["--dump=llvm"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid value 'llvm'"));
}
