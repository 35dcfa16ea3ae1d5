//! Diagnostics of `meshc check` and `meshc build`: `--json` (spec tooling §1.1.3: one compact
//! object per line on stderr with the spec's fields in order, byte offsets and 1-based
//! line/column in Unicode scalar values, `fix`, a closing `C0001` summary object on failure and
//! nothing on success) and the human form (§1.1.1: `[CODE] Error:` header, `file:line:col`,
//! `Help:` line, warnings that do not fail the build).

use super::{meshc, run, scratch, text};
use serde_json::Value;
use std::path::PathBuf;

fn project(name: &str, main: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(
        dir.join("mesh.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\n"),
    )
    .expect("write");
    std::fs::write(dir.join("main.mpl"), main).expect("write");
    dir
}

/// Every stderr line as a JSON object; fails on a line that is not one (or has ANSI escapes).
fn json_lines(stderr: &[u8]) -> Vec<Value> {
    let stderr = text(stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    stderr
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON object ({e}): {line}"));
            assert!(value.is_object(), "{line}");
            value
        })
        .collect()
}

fn keys(value: &Value) -> Vec<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn summary(message: &str) -> String {
    format!(
        r#"{{"code":"C0001","severity":"error","message":"{message}","file":"","spans":[],"fix":null}}"#
    )
}

/// `é` is two bytes and one Unicode scalar value: the string literal starts at byte 30 and
/// column 18 of line 2.
const MISTYPED: &str = "fn main() do\n  let x :: Int = \"é\"\n  println(\"#{x}\")\nend\n";

#[test]
fn check_json_prints_one_object_per_diagnostic_then_the_summary() {
    let dir = project("json_check", MISTYPED);
    let out = run(meshc().current_dir(&dir).args(["check", "--json"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"code":"E0001","severity":"error","message":"expected Int, found String","file":"./main.mpl","spans":[{"start":30,"end":34,"line":2,"col":18,"end_line":2,"end_col":21,"label":"expected Int, found String"}],"fix":null}"#,
            summary("could not compile 'json_check' (1 errors, 0 warnings)").as_str(),
        ],
        "{stderr}"
    );
    // Field by field, as a reader sees them.
    let values = json_lines(&out.stderr);
    let d = &values[0];
    assert_eq!(
        keys(d),
        ["code", "severity", "message", "file", "spans", "fix"]
    );
    assert_eq!(
        keys(&d["spans"][0]),
        ["start", "end", "line", "col", "end_line", "end_col", "label"]
    );
    let start = d["spans"][0]["start"].as_u64().expect("start") as usize;
    let end = d["spans"][0]["end"].as_u64().expect("end") as usize;
    assert_eq!(&MISTYPED[start..end], "\"é\"");
    assert_eq!(d["fix"], Value::Null);
}

#[test]
fn build_json_carries_the_fix_and_writes_nothing_on_failure() {
    let dir = project(
        "json_fix",
        "fn main() do\n  let count = 1\n  println(\"#{countt}\")\nend\n",
    );
    let out = run(meshc().arg("build").arg(&dir).arg("--json"));
    assert_eq!(out.status.code(), Some(1));
    let values = json_lines(&out.stderr);
    assert_eq!(values.len(), 2, "{}", text(&out.stderr));
    assert_eq!(values[0]["code"], "E0004");
    assert_eq!(values[0]["message"], "undefined variable: countt");
    assert_eq!(values[0]["fix"], "count");
    assert_eq!(
        values[0]["file"],
        dir.join("main.mpl").display().to_string()
    );
    assert_eq!(values[0]["spans"][0]["line"], 3);
    assert_eq!(values[0]["spans"][0]["col"], 14);
    assert_eq!(values[0]["spans"][0]["label"], "not found in this scope");
    assert_eq!(
        text(&out.stderr).lines().last(),
        Some(summary("could not compile 'json_fix' (1 errors, 0 warnings)").as_str())
    );
    assert!(!dir.join("json_fix").exists());
}

const REDUNDANT: &str = "fn main() do\n  println(\"#{any(3)}\")\nend\n\nfn any(n :: Int) -> Int do\n  case n do\n    _ -> 0\n    3 -> 2\n  end\nend\n";

#[test]
fn warnings_do_not_fail_and_success_prints_no_other_json() {
    let dir = project("json_warn", REDUNDANT);
    for command in ["check", "build"] {
        let out = run(meshc().current_dir(&dir).args([command, "--json"]));
        assert_eq!(out.status.code(), Some(0), "{command}");
        // Only the warning: no `Compiled` note, no summary.
        assert_eq!(
            text(&out.stderr),
            "{\"code\":\"W0001\",\"severity\":\"warning\",\"message\":\"redundant match arm (arm 2)\",\"file\":\"./main.mpl\",\"spans\":[{\"start\":95,\"end\":96,\"line\":8,\"col\":5,\"end_line\":8,\"end_col\":6,\"label\":\"this arm can never match\"}],\"fix\":null}\n",
            "{command}"
        );
    }
    assert!(dir.join("json_warn").is_file());
    let clean = project("json_clean", "fn main() do\n  println(\"hi\")\nend\n");
    for command in ["check", "build"] {
        let out = run(meshc().arg(command).arg(&clean).arg("--json"));
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert_eq!(text(&out.stderr), "", "{command}");
    }
}

#[test]
fn a_failure_without_diagnostics_is_one_summary_line() {
    let missing = scratch("json_missing").join("nope");
    let out = run(meshc().arg("build").arg(&missing).arg("--json"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        summary(&format!(
            "project directory '{}' does not exist",
            missing.display()
        )) + "\n"
    );
    // A parse error is a diagnostic like the others.
    let dir = project("json_parse", "fn main( do\nend\n");
    let out = run(meshc().arg("check").arg(&dir).arg("--json"));
    assert_eq!(out.status.code(), Some(1));
    let values = json_lines(&out.stderr);
    assert_eq!(values[0]["code"], "P0001");
    assert_eq!(values[0]["severity"], "error");
    assert_eq!(
        values.last().map(|v| v["code"].clone()),
        Some("C0001".into())
    );
}

#[test]
fn human_diagnostics_have_code_header_location_and_help() {
    let dir = project(
        "human_diag",
        "fn main() do\n  let count = 1\n  println(\"#{countt}\")\nend\n",
    );
    let out = run(meshc().current_dir(&dir).arg("check"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "[E0004] Error: undefined variable: countt\n   ╭─[ ./main.mpl:3:14 ]\n   │\n 3 │   println(\"#{countt}\")\n   │              ───┬──  \n   │                 ╰──── not found in this scope\n   │ \n   │ Help: did you mean `count`?\n───╯\nerror: could not compile 'human_diag' (1 errors, 0 warnings)\n"
    );
    let dir = project("human_warn", REDUNDANT);
    let out = run(meshc().current_dir(&dir).arg("check"));
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("[W0001] Warning: redundant match arm (arm 2)\n"),
        "{stderr}"
    );
    assert!(stderr.contains("./main.mpl:8:5"), "{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");
}
