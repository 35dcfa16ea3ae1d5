//! Finding the e2e fixtures under `tests/e2e` (STYLE §3.3). Every `<name>.mpl` is a case, and
//! so is every directory holding a `main.mpl` (a multi-module project, named by the directory,
//! whose other files are its modules). Expectations sit beside the source as `<name>.stdout`,
//! `<name>.stderr`, `<name>.run.stderr` and `<name>.http` (server cases); an expectation file without a source is reported
//! so a renamed fixture cannot leave a stale expectation behind. Names starting with `.` are
//! skipped, and cases come out sorted by name.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Suffixes of expectation files, longest first so `.run.stderr` wins over `.stderr`.
const EXPECTATION_SUFFIXES: [&str; 4] = [".run.stderr", ".stdout", ".stderr", ".http"];

/// One e2e fixture. Paths are relative to the repository root when the fixtures live under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Test name: the path below the fixtures root without `.mpl`, e.g. `basics/hello`.
    pub name: String,
    /// What `meshc build` is given: the `.mpl` file or the project directory.
    pub source: PathBuf,
    /// The file whose header holds the options: the source file or the project's `main.mpl`.
    pub main_file: PathBuf,
    /// The working directory of the compiled program.
    pub run_dir: PathBuf,
    /// The source path without `.mpl`; expectation files are this plus a suffix.
    pub stem: PathBuf,
}

impl Case {
    /// The expectation file with this suffix (`"stdout"`, `"stderr"` or `"run.stderr"`).
    pub fn expectation(&self, suffix: &str) -> PathBuf {
        let mut path = self.stem.clone().into_os_string();
        path.push(".");
        path.push(suffix);
        PathBuf::from(path)
    }

    /// The file name of the executable: the last component of the name.
    pub fn binary_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}

/// The result of scanning the fixtures root.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Discovery {
    pub cases: Vec<Case>,
    /// Expectation files whose source does not exist.
    pub orphans: Vec<PathBuf>,
}

/// Scans `fixtures` recursively. Returned paths are relative to `repo_root` when `fixtures` is
/// inside it, absolute otherwise.
pub fn discover(fixtures: &Path, repo_root: &Path) -> io::Result<Discovery> {
    let base = fixtures.strip_prefix(repo_root).unwrap_or(fixtures);
    let mut found = Found::default();
    visit(&mut found, fixtures, base, "")?;
    found.cases.sort_by(|a, b| a.name.cmp(&b.name));
    let mut orphans: Vec<PathBuf> = found
        .expectations
        .into_iter()
        .filter(|(stem, _)| !found.cases.iter().any(|case| case.stem == *stem))
        .map(|(_, file)| file)
        .collect();
    orphans.sort();
    Ok(Discovery {
        cases: found.cases,
        orphans,
    })
}

#[derive(Default)]
struct Found {
    cases: Vec<Case>,
    /// (stem, file) of every expectation file seen.
    expectations: Vec<(PathBuf, PathBuf)>,
}

/// Visits directory `dir` (on disk), whose reported path is `shown` and whose name prefix is
/// `prefix` (empty at the root, else ending in `/`).
fn visit(found: &mut Found, dir: &Path, shown: &Path, prefix: &str) -> io::Result<()> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let Ok(file_name) = entry.file_name().into_string() else {
            continue; // Fixture names are ASCII; anything else is not ours.
        };
        if file_name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let shown_path = shown.join(&file_name);
        if entry.file_type()?.is_dir() {
            if path.join("main.mpl").is_file() {
                found.cases.push(Case {
                    name: format!("{prefix}{file_name}"),
                    main_file: shown_path.join("main.mpl"),
                    run_dir: shown_path.clone(),
                    stem: shown_path.clone(),
                    source: shown_path,
                });
            } else {
                visit(found, &path, &shown_path, &format!("{prefix}{file_name}/"))?;
            }
        } else if let Some(stem_name) = file_name.strip_suffix(".mpl") {
            found.cases.push(Case {
                name: format!("{prefix}{stem_name}"),
                main_file: shown_path.clone(),
                run_dir: shown.to_path_buf(),
                stem: shown.join(stem_name),
                source: shown_path,
            });
        } else if let Some(stem_name) = EXPECTATION_SUFFIXES
            .iter()
            .find_map(|suffix| file_name.strip_suffix(suffix))
        {
            found.expectations.push((shown.join(stem_name), shown_path));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a fixture tree in a fresh directory under the system temp dir.
    fn tree(test: &str, files: &[&str]) -> PathBuf {
        let root = std::env::temp_dir().join(format!("mesh_tests_{test}_{}", std::process::id()));
        if root.exists() {
            fs::remove_dir_all(&root).expect("stale scratch directory is removable");
        }
        for file in files {
            let path = root.join(file);
            let parent = path.parent().expect("fixture paths have a parent");
            fs::create_dir_all(parent).expect("scratch directory is writable");
            fs::write(&path, "").expect("scratch directory is writable");
        }
        root
    }

    #[test]
    fn finds_files_and_projects_in_name_order() {
        let root = tree(
            "discover_order",
            &[
                "repo/tests/e2e/ints/b.mpl",
                "repo/tests/e2e/ints/b.stdout",
                "repo/tests/e2e/basics/hello.mpl",
                "repo/tests/e2e/basics/.hidden.mpl",
                "repo/tests/e2e/projects/app/main.mpl",
                "repo/tests/e2e/projects/app/util.mpl",
                "repo/tests/e2e/projects/app.stdout",
                "repo/tests/e2e/deep/er/c.mpl",
                "repo/tests/e2e/ints/a.mpl",
                "repo/tests/e2e/ints/notes.md",
            ],
        );
        let repo = root.join("repo");
        let found = discover(&repo.join("tests/e2e"), &repo).expect("tree is readable");
        let names: Vec<&str> = found.cases.iter().map(|case| case.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "basics/hello",
                "deep/er/c",
                "ints/a",
                "ints/b",
                "projects/app"
            ]
        );
        assert_eq!(found.orphans, Vec::<PathBuf>::new());
        let app = &found.cases[4];
        assert_eq!(app.source, Path::new("tests/e2e/projects/app"));
        assert_eq!(app.main_file, Path::new("tests/e2e/projects/app/main.mpl"));
        assert_eq!(app.run_dir, Path::new("tests/e2e/projects/app"));
        assert_eq!(
            app.expectation("stdout"),
            Path::new("tests/e2e/projects/app.stdout")
        );
        assert_eq!(app.binary_name(), "app");
        let b = &found.cases[3];
        assert_eq!(b.source, Path::new("tests/e2e/ints/b.mpl"));
        assert_eq!(b.run_dir, Path::new("tests/e2e/ints"));
        assert_eq!(
            b.expectation("run.stderr"),
            Path::new("tests/e2e/ints/b.run.stderr")
        );
        assert_eq!(b.binary_name(), "b");
        fs::remove_dir_all(&root).expect("scratch directory is removable");
    }

    #[test]
    fn reports_expectations_without_source() {
        let root = tree(
            "discover_orphans",
            &[
                "e2e/a/kept.mpl",
                "e2e/a/kept.stdout",
                "e2e/a/kept.run.stderr",
                "e2e/a/gone.stderr",
                "e2e/a/old.run.stderr",
            ],
        );
        let found = discover(&root.join("e2e"), Path::new("/elsewhere")).expect("tree is readable");
        assert_eq!(found.cases.len(), 1);
        assert_eq!(
            found.orphans,
            [
                root.join("e2e/a/gone.stderr"),
                root.join("e2e/a/old.run.stderr")
            ]
        );
        fs::remove_dir_all(&root).expect("scratch directory is removable");
    }
}
