//! `meshc fmt` (spec tooling §5.1): write mode rewrites only files that change, `--check`
//! lists them and exits 1, `--stdin` formats a stream, and a file with a syntax error is
//! reported and left untouched.

use super::{meshc, run, scratch, text};
use std::io::Write;
use std::process::Stdio;

const MESSY: &str = "fn main() do\n    println( \"hi\" )\nend\n";
const CLEAN: &str = "fn main() do\n  println(\"hi\")\nend\n";

#[test]
fn fmt_rewrites_changed_files_and_leaves_canonical_ones_alone() {
    let dir = scratch("fmt_write");
    std::fs::write(dir.join("messy.mpl"), MESSY).expect("write");
    std::fs::write(dir.join("clean.mpl"), CLEAN).expect("write");
    std::fs::create_dir_all(dir.join("target")).expect("mkdir");
    std::fs::write(dir.join("target/skipped.mpl"), MESSY).expect("write");
    let out = run(meshc().arg("fmt").arg(&dir));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "Formatted 1 of 2 files\n");
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.mpl")).expect("read"),
        CLEAN
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("clean.mpl")).expect("read"),
        CLEAN
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("target/skipped.mpl")).expect("read"),
        MESSY
    );
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("meshfmt")), "{names:?}");
}

#[test]
fn fmt_check_lists_files_that_would_change_and_writes_nothing() {
    let dir = scratch("fmt_check");
    let messy = dir.join("messy.mpl");
    std::fs::write(&messy, MESSY).expect("write");
    std::fs::write(dir.join("clean.mpl"), CLEAN).expect("write");
    let out = run(meshc().args(["fmt", "--check"]).arg(&dir));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        format!("would reformat: {}\n", messy.display())
    );
    assert_eq!(text(&out.stderr), "1 file would be reformatted\n");
    assert_eq!(std::fs::read_to_string(&messy).expect("read"), MESSY);

    std::fs::write(&messy, CLEAN).expect("write");
    let out = run(meshc().args(["fmt", "--check"]).arg(&dir));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn fmt_stdin_writes_the_formatted_text_to_stdout() {
    let format = |args: &[&str]| {
        let mut child = meshc()
            .arg("fmt")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("meshc starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(MESSY.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("meshc runs")
    };
    let out = format(&["--stdin"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), CLEAN);
    let out = format(&["--stdin", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let out = format(&["--stdin", "--indent-size", "4"]);
    assert_eq!(
        text(&out.stdout),
        "fn main() do\n    println(\"hi\")\nend\n"
    );
}

#[test]
fn fmt_reports_a_file_with_a_syntax_error_and_does_not_rewrite_it() {
    let dir = scratch("fmt_broken");
    let broken = dir.join("broken.mpl");
    let src = "fn main( do\n    println(1)\nend\n";
    std::fs::write(&broken, src).expect("write");
    std::fs::write(dir.join("messy.mpl"), MESSY).expect("write");
    let out = run(meshc().arg("fmt").arg(&dir));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Parse error"), "{stderr}");
    assert!(
        stderr.contains(&format!("could not parse {}", broken.display())),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), src);
    // The other file is still formatted.
    assert_eq!(
        std::fs::read_to_string(dir.join("messy.mpl")).expect("read"),
        CLEAN
    );
}

#[test]
fn fmt_rejects_missing_paths_and_empty_directories() {
    let dir = scratch("fmt_paths");
    let out = run(meshc().arg("fmt").arg(dir.join("nope")));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: path '{}' does not exist\n",
            dir.join("nope").display()
        )
    );
    let out = run(meshc().arg("fmt").arg(&dir));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("error: no .mpl files found under '{}'\n", dir.display())
    );
}

/// The shipped projects `meshc fmt --check` must accept (spec tooling §5.2, "Tests"): every
/// directory with a `mesh.toml` directly under the repository root (the proof apps, such as
/// `reference-backend/`) or under `examples/`. Discovered, not listed, so a new example is
/// checked from its first commit.
fn shipped_projects() -> Vec<std::path::PathBuf> {
    let root = super::repo_root();
    let mut found = Vec::new();
    for parent in [root.clone(), root.join("examples")] {
        let Ok(entries) = std::fs::read_dir(&parent) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("readable entry").path();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden && path.join("mesh.toml").is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn fmt_check_passes_on_every_shipped_project() {
    let projects = shipped_projects();
    assert!(
        projects.iter().any(|p| p.ends_with("examples/hello")),
        "discovery found {projects:?}"
    );
    for project in &projects {
        let out = run(meshc().args(["fmt", "--check"]).arg(project));
        assert!(
            out.status.success(),
            "meshc fmt --check {} failed (run `meshc fmt` on it):\n{}{}",
            project.display(),
            text(&out.stdout),
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout), "", "{}", project.display());
    }
}

/// The `.mpl` files under `dir`, skipping hidden entries, `target/` and `node_modules/`.
fn mpl_files(
    dir: &std::path::Path,
    skip: &[std::path::PathBuf],
    out: &mut Vec<std::path::PathBuf>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("readable entry").path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.')
            || name == "target"
            || name == "node_modules"
            || skip.contains(&path)
        {
            continue;
        }
        if path.is_dir() {
            mpl_files(&path, skip, out);
        } else if name.ends_with(".mpl") {
            out.push(path);
        }
    }
}

/// Every `.mpl` file the repository ships (spec issue: "`meshc fmt --check` passes on every
/// `.mpl` file the repository ships"): everything but the compiler's test inputs under
/// `tests/`, whose layout is part of what they test.
#[test]
fn fmt_check_passes_on_every_shipped_mpl_file() {
    let root = super::repo_root();
    let mut files = Vec::new();
    mpl_files(&root, &[root.join("tests")], &mut files);
    files.sort();
    assert!(
        files.iter().any(|f| f.ends_with("examples/hello/main.mpl")),
        "{files:?}"
    );
    let out = run(meshc().args(["fmt", "--check"]).args(&files));
    assert!(
        out.status.success(),
        "not canonically formatted (run `meshc fmt` on them):\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// The `meshc init` arguments that produce the scaffold of each template folder
/// (`meshc/cli/templates/<folder>/`).
fn init_args(folder: &str) -> Option<&'static [&'static str]> {
    Some(match folder {
        "hello-world" => &[],
        "clustered" => &["--clustered"],
        "todo-sqlite" => &["--template", "todo-api", "--db", "sqlite"],
        "todo-postgres" => &["--template", "todo-api", "--db", "postgres"],
        _ => return None,
    })
}

#[test]
fn fmt_check_passes_on_every_fresh_scaffold() {
    let templates = super::repo_root().join("meshc/cli/templates");
    let mut folders: Vec<String> = std::fs::read_dir(&templates)
        .expect("the templates folder")
        .map(|e| e.expect("readable entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert!(folders.iter().any(|f| f == "hello-world"), "{folders:?}");
    let dir = scratch("fmt_scaffolds");
    for folder in &folders {
        let args = init_args(folder).unwrap_or_else(|| {
            panic!("template folder '{folder}' has no `meshc init` arguments in this test")
        });
        let name = format!("fmt_{}", folder.replace('-', "_"));
        let out = run(meshc().current_dir(&dir).arg("init").args(args).arg(&name));
        assert!(
            out.status.success(),
            "meshc init {args:?} {name}: {}",
            text(&out.stderr)
        );
        let out = run(meshc().current_dir(&dir).args(["fmt", "--check", &name]));
        assert!(
            out.status.success(),
            "the {folder} scaffold is not canonically formatted:\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
    }
}
