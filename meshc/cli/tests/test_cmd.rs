//! `meshc test` (spec tooling §4) on the fixture projects under
//! `tests/fixtures/meshc_test/`: the exact report (duration masked), assertion locations,
//! a panic ending only its test, setup/teardown order, `--filter`, `--quiet`, `--jobs`, the
//! per-file timeout, compile errors against the original file, and the target errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/meshc_test")
}

fn meshc_test(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshc"))
        .env_remove("MESH_RT_LIB_PATH")
        .current_dir(dir)
        .arg("test")
        .args(args)
        .output()
        .expect("meshc runs")
}

/// Stdout with the summary's duration replaced by `X.XXs`.
fn stdout(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .map(|line| match line.rfind("; ") {
            Some(i) if line.starts_with("test result:") && line.ends_with('s') => {
                format!("{}; X.XXs", &line[..i])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn passing_and_failing_tests_with_exact_locations() {
    let out = meshc_test(&fixtures(), &["basic"]);
    assert_eq!(
        stdout(&out),
        r#"running tests/config.test.mpl (3 tests)
  ✓ doubles
  ✓ Config helpers > greets
  ✗ Config helpers > formats messages
      assert_eq failed: greeting("X") == "Hi X"
        left:  "Hello, X"
        right: "Hi X"
        at tests/config.test.mpl:16:5

failures:
  tests/config.test.mpl: Config helpers > formats messages

test result: FAILED. 2 passed; 1 failed; 0 compile errors; 1 files; X.XXs
"#
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !stderr(&out).contains("crashed"),
        "the runner reports failures itself: {}",
        stderr(&out)
    );
}

const SUITE: &str = r#"running tests/lifecycle.test.mpl (4 tests)
setup
body 42
teardown 42
  ✓ Lifecycle > sees setup bindings
setup
teardown 42
  ✗ Lifecycle > fails but tears down
      assertion failed: base < 0
        at tests/lifecycle.test.mpl:16:5
setup
inner setup
nested body 42
teardown 42
  ✓ Lifecycle > inner > nested
  ✗ messages
      assert_receive timed out after 20ms waiting for 99
        at tests/lifecycle.test.mpl:32:3
  ✗ tests/unit/broken.test.mpl failed to compile
running tests/unit/panics.test.mpl (5 tests)
  ✗ panics
      boom
  ✓ runs after a panic
  ✗ assert_ne fails
      assert_ne failed: both sides are 3
        at tests/unit/panics.test.mpl:11:3
  ✓ raises
quiet
  ✗ does not raise
      assert_raises failed: the function returned normally
        at tests/unit/panics.test.mpl:19:3

failures:
  tests/lifecycle.test.mpl: Lifecycle > fails but tears down
  tests/lifecycle.test.mpl: messages
  tests/unit/broken.test.mpl: failed to compile
  tests/unit/panics.test.mpl: panics
  tests/unit/panics.test.mpl: assert_ne fails
  tests/unit/panics.test.mpl: does not raise

test result: FAILED. 4 passed; 5 failed; 1 compile errors; 3 files; X.XXs
"#;

#[test]
fn panics_lifecycle_receive_and_compile_errors() {
    let out = meshc_test(&fixtures().join("suite"), &[]);
    assert_eq!(stdout(&out), SUITE);
    assert_eq!(out.status.code(), Some(1));
    // The compile error is reported against the original test file.
    let err = stderr(&out);
    assert!(err.contains("tests/unit/broken.test.mpl:2:18"), "{err}");
    assert!(err.contains("expected Int, found String"), "{err}");
}

#[test]
fn jobs_print_each_file_in_discovery_order() {
    let out = meshc_test(&fixtures(), &["suite", "--jobs", "3"]);
    assert_eq!(stdout(&out), SUITE);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn quiet_and_filter() {
    let out = meshc_test(
        &fixtures().join("suite/tests"),
        &["--quiet", "--filter", "Lifecycle"],
    );
    assert_eq!(
        stdout(&out),
        "setup\nbody 42\nteardown 42\n.setup\nteardown 42\nFsetup\ninner setup\nnested body 42\nteardown 42\n.F\n\n\
failures:\n  tests/lifecycle.test.mpl: Lifecycle > fails but tears down\n  tests/unit/broken.test.mpl: failed to compile\n\n\
test result: FAILED. 2 passed; 1 failed; 1 compile errors; 3 files; X.XXs\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn single_file_target_and_passing_run_exit_zero() {
    let out = meshc_test(
        &fixtures().join("basic"),
        &["tests/config.test.mpl", "--filter", "greets"],
    );
    assert_eq!(
        stdout(&out),
        "running tests/config.test.mpl (1 test)\n  ✓ Config helpers > greets\n\n\
test result: ok. 1 passed; 0 failed; 0 compile errors; 1 files; X.XXs\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_hanging_file_times_out() {
    let out = meshc_test(&fixtures().join("slow"), &["--timeout", "1"]);
    assert_eq!(
        stdout(&out),
        "running tests/slow.test.mpl (2 tests)\n  ✓ quick\n  ✗ tests/slow.test.mpl timed out after 1s\n\n\
failures:\n  tests/slow.test.mpl: timed out after 1s\n\n\
test result: FAILED. 1 passed; 1 failed; 0 compile errors; 1 files; X.XXs\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn target_errors_and_coverage() {
    let dir = fixtures();
    let missing = meshc_test(&dir, &["nope"]);
    assert_eq!(
        stderr(&missing),
        format!(
            "error: test target '{}' does not exist\n",
            dir.canonicalize()
                .expect("fixtures exist")
                .join("nope")
                .display()
        )
    );
    assert_eq!(missing.status.code(), Some(1));

    let not_test = meshc_test(&dir, &["basic/main.mpl"]);
    assert_eq!(
        stderr(&not_test),
        "error: 'basic/main.mpl' is not a directory or a *.test.mpl file\n"
    );
    assert_eq!(not_test.status.code(), Some(1));

    let outside = std::env::temp_dir().join(format!("meshc-test-noproject-{}", std::process::id()));
    std::fs::create_dir_all(&outside).expect("temp dir is creatable");
    let no_project = meshc_test(&outside, &[]);
    assert_eq!(
        stderr(&no_project),
        format!(
            "error: could not find a Mesh project (mesh.toml) for test target '{}'\n",
            outside.display()
        )
    );
    assert_eq!(no_project.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&outside);

    let empty = meshc_test(&dir.join("empty"), &[]);
    assert_eq!(stdout(&empty), "no test files (*.test.mpl) found under .\n");
    assert_eq!(empty.status.code(), Some(0));

    let coverage = meshc_test(&dir.join("basic"), &["--coverage"]);
    assert_eq!(
        stderr(&coverage),
        "error: coverage reporting is not supported yet; run meshc test without --coverage\n"
    );
    assert!(coverage.stdout.is_empty());
    assert_eq!(coverage.status.code(), Some(1));
}

#[test]
fn mock_actors_answer_per_message() {
    let out = meshc_test(&fixtures().join("mocks"), &[]);
    assert_eq!(
        stdout(&out),
        "running tests/mock.test.mpl (1 test)\n  ✓ mock\n\n\
test result: ok. 1 passed; 0 failed; 0 compile errors; 1 files; X.XXs\n"
    );
    assert_eq!(out.status.code(), Some(0));
}
