//! The end-to-end suite: every fixture under `tests/e2e` becomes one named libtest-mimic trial
//! (`basics/hello`, `projects/single_main`, …), so `cargo test --test e2e`, name filters and
//! cargo-nextest all see individual tests. Fixture conventions are in STYLE §3.3; the work
//! happens in `mesh_tests::runner`.
//!
//! Environment: `MESHC` overrides the compiler under test (default: `meshc` in this test
//! binary's cargo profile directory, i.e. `target/debug/meshc`); `MESH_BLESS=1` rewrites the
//! existing expectation files from the actual output instead of comparing. Scratch builds go to
//! `target/e2e-tmp/<case>` and are kept when a case fails.

use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use mesh_tests::discover::discover;
use mesh_tests::locate;
use mesh_tests::runner::{run_case, Context};

fn main() {
    let arguments = Arguments::from_args();
    let context = Arc::new(Context::from_env());
    let fixtures = locate::fixtures_dir();
    let mut trials = Vec::new();
    match discover(&fixtures, &context.repo_root) {
        Ok(found) => {
            for case in found.cases {
                let context = Arc::clone(&context);
                let name = case.name.clone();
                trials.push(Trial::test(name, move || {
                    run_case(&context, &case).map_err(Failed::from)
                }));
            }
            let orphans = found.orphans;
            trials.push(Trial::test(
                "harness/expectations_have_sources",
                move || {
                    if orphans.is_empty() {
                        return Ok(());
                    }
                    let list: String = orphans
                        .iter()
                        .map(|path| format!("  {}\n", path.display()))
                        .collect();
                    Err(Failed::from(format!(
                        "expectation files without a .mpl source (rename or delete them):\n{list}"
                    )))
                },
            ));
        }
        Err(error) => {
            let message = format!("cannot scan {}: {error}", fixtures.display());
            trials.push(Trial::test("harness/discover_fixtures", move || {
                Err(Failed::from(message))
            }));
        }
    }
    libtest_mimic::run(&arguments, trials).exit();
}
