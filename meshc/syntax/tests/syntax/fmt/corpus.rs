//! The formatter over every `.mpl` file of the repository (spec tooling §5.2 rule 8): each file
//! that parses formats without tripping the safety net (same syntax tree, same comments) and
//! formatting the result again changes nothing.

use mesh_syntax::fmt::{format_source, FmtError, FmtOptions};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            collect(&path, out);
        } else if name.ends_with(".mpl") {
            out.push(path);
        }
    }
}

#[test]
fn every_repository_program_formats_safely_and_idempotently() {
    let root = repo_root();
    let mut files = Vec::new();
    for sub in [
        "tests/e2e",
        "examples",
        "scripts/bench",
        "reference-backend",
        "meshc",
    ] {
        collect(&root.join(sub), &mut files);
    }
    let opts = FmtOptions::default();
    let (mut parsed, mut skipped) = (0usize, 0usize);
    let mut failures = Vec::new();
    for path in &files {
        let src = std::fs::read_to_string(path).expect("readable source");
        match format_source(&src, &opts) {
            Err(FmtError::Parse(_)) => skipped += 1,
            Err(FmtError::Internal(why)) => failures.push(format!("{}: {why}", path.display())),
            Ok(once) => {
                parsed += 1;
                match format_source(&once, &opts) {
                    Ok(twice) if twice == once => {}
                    Ok(twice) => failures.push(format!(
                        "{}: not idempotent\n--- once\n{once}\n--- twice\n{twice}",
                        path.display()
                    )),
                    Err(e) => failures.push(format!("{}: second pass: {e:?}", path.display())),
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        parsed,
        failures.join("\n")
    );
    assert!(
        parsed > 100,
        "only {parsed} files parsed ({skipped} skipped)"
    );
}
