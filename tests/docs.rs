//! The documentation site cannot drift (issue 21): one libtest-mimic trial per Mesh code block
//! of `website/src` (compiled, run against its shown output, or failed with its diagnostic
//! code: `docs/code.rs`), the generated standard library reference against the compiler's
//! stdlib table (`docs/stdlib_ref.rs`), the command manifest `website/commands.toml` against
//! the pages and each scenario executed (`docs/commands.rs`), and the built site's links,
//! anchors and rendering in headless Chromium (`docs/site.rs`).
//!
//! Environment: `MESHC` as for the e2e suite; `MESH_BLESS=1` rewrites the generated stdlib
//! pages and SUMMARY lines instead of comparing. Needs `mdbook` and `chromium` (installed by
//! `scripts/bootstrap.sh`): without them the site trials fail, naming the missing tool.

mod docs {
    pub mod code;
    pub mod commands;
    pub mod markdown;
    pub mod site;
    pub mod stdlib_ref;
}

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use docs::{code, commands, markdown, site, stdlib_ref};
use libtest_mimic::{Arguments, Failed, Trial};
use mesh_tests::diff::render_diff;
use mesh_tests::locate;

fn main() {
    let arguments = Arguments::from_args();
    let repo = locate::repo_root();
    let website = repo.join("website");
    let mut trials = Vec::new();
    let pages = match markdown::pages(&website.join("src")) {
        Ok(pages) => Arc::new(pages),
        Err(error) => {
            trials.push(Trial::test("docs/read_pages", move || {
                Err(Failed::from(error))
            }));
            libtest_mimic::run(&arguments, trials).exit();
        }
    };
    let scratch = locate::profile_dir()
        .map(|dir| locate::scratch_root(&dir).with_file_name("docs-tmp"))
        .unwrap_or_else(|_| std::env::temp_dir().join("mesh-docs-tmp"));
    let meshc = Arc::new(locate::profile_dir().and_then(|dir| locate::meshc(&dir)));

    // Code blocks.
    match code::cases(&pages) {
        Ok((cases, pending)) => {
            for case in cases {
                let meshc = Arc::clone(&meshc);
                let scratch = scratch.clone();
                trials.push(Trial::test(
                    format!("code/{}", case.name.trim_start_matches("website/src/")),
                    move || {
                        let meshc = meshc
                            .as_ref()
                            .as_ref()
                            .map_err(|e| Failed::from(e.clone()))?;
                        code::run_case(meshc, &scratch.join("code"), &case).map_err(Failed::from)
                    },
                ));
            }
            // The pending blocks are listed in the test output so they are not forgotten.
            let count = pending.len();
            trials.push(Trial::test(
                "code/pending_cluster_blocks_are_listed",
                move || {
                    for location in &pending {
                        println!(
                            "pending-cluster block (parsed only, not compiled yet): {location}"
                        );
                    }
                    if count == 0 {
                        println!("no pending-cluster blocks are left: the marker can go");
                    }
                    Ok(())
                },
            ));
        }
        Err(error) => trials.push(Trial::test("code/read_blocks", move || {
            Err(Failed::from(error))
        })),
    }

    // The standard library reference.
    {
        let repo = repo.clone();
        trials.push(Trial::test(
            "stdlib/reference_is_generated_from_the_compiler_table",
            move || stdlib_reference(&repo).map_err(Failed::from),
        ));
    }

    // Commands.
    let manifest_text = fs::read_to_string(website.join("commands.toml"));
    match manifest_text
        .map_err(|e| format!("cannot read website/commands.toml: {e}"))
        .and_then(|t| commands::manifest(&t))
    {
        Ok(manifest) => {
            let manifest = Arc::new(manifest);
            let shown = commands::shown(&pages);
            {
                let manifest = Arc::clone(&manifest);
                trials.push(Trial::test(
                    "commands/manifest_lists_every_command_of_the_pages",
                    move || commands::agree(&shown, &manifest).map_err(Failed::from),
                ));
            }
            let bin: Arc<OnceLock<Result<PathBuf, String>>> = Arc::new(OnceLock::new());
            for index in 0..manifest.scenarios.len() {
                let manifest = Arc::clone(&manifest);
                let meshc = Arc::clone(&meshc);
                let bin = Arc::clone(&bin);
                let scratch = scratch.join("commands");
                let name = format!("commands/scenario/{}", manifest.scenarios[index].name);
                trials.push(Trial::test(name, move || {
                    let bin = bin_dir(&bin, &scratch, &meshc)?;
                    commands::run_scenario(&manifest.scenarios[index], &scratch, &bin)
                        .map_err(Failed::from)
                }));
            }
            let meshc = Arc::clone(&meshc);
            let repo = repo.clone();
            let scratch = scratch.join("commands");
            trials.push(Trial::test(
                "commands/help_probes_ci_scripts_and_benchmarks",
                move || {
                    let bin = bin_dir(&bin, &scratch, &meshc)?;
                    let meshc = meshc
                        .as_ref()
                        .as_ref()
                        .map_err(|e| Failed::from(e.clone()))?;
                    commands::check_other(&manifest, &repo, &bin, meshc).map_err(Failed::from)
                },
            ));
        }
        Err(error) => trials.push(Trial::test("commands/read_manifest", move || {
            Err(Failed::from(error))
        })),
    }

    // The built site: links, anchors, the browser.
    {
        let website = website.clone();
        let out = scratch.join("site");
        trials.push(Trial::test(
            "site/builds_and_every_internal_link_resolves",
            move || {
                site::build(&website, &out)?;
                let checked = site::check_links(&out)?;
                println!("{checked} internal links and anchors resolve");
                Ok(())
            },
        ));
    }
    {
        let website = website.clone();
        let out = scratch.join("site-browser");
        trials.push(Trial::test(
            "site/page_renders_in_headless_chromium",
            move || {
                site::build(&website, &out)?;
                site::render_in_browser(&out.join("getting-started.html"), "Getting started")
                    .map_err(Failed::from)
            },
        ));
    }
    libtest_mimic::run(&arguments, trials).exit();
}

fn bin_dir(
    cell: &OnceLock<Result<PathBuf, String>>,
    scratch: &Path,
    meshc: &Result<PathBuf, String>,
) -> Result<PathBuf, Failed> {
    cell.get_or_init(|| {
        let meshc = meshc.as_ref().map_err(Clone::clone)?;
        commands::bin_dir(scratch, meshc)
    })
    .clone()
    .map_err(Failed::from)
}

/// Regenerates the reference and compares (or, under `MESH_BLESS=1`, writes) it.
fn stdlib_reference(repo: &Path) -> Result<(), String> {
    let spec = fs::read_to_string(repo.join("docs/spec/stdlib.md"))
        .map_err(|e| format!("cannot read docs/spec/stdlib.md: {e}"))?;
    let notes = fs::read_to_string(repo.join("website/stdlib-notes.toml"))
        .map_err(|e| format!("cannot read website/stdlib-notes.toml: {e}"))?;
    let generated = stdlib_ref::generate(&spec, &notes)?;
    let src = repo.join("website/src");
    let summary_path = src.join("SUMMARY.md");
    let summary =
        fs::read_to_string(&summary_path).map_err(|e| format!("cannot read SUMMARY.md: {e}"))?;
    let mut wanted = generated.files.clone();
    wanted.insert(
        "SUMMARY.md".into(),
        stdlib_ref::with_summary_lines(&summary, &generated.summary_lines)?,
    );
    let bless = std::env::var_os("MESH_BLESS").is_some_and(|v| v == "1");
    let mut problems = Vec::new();
    // Generated pages that no longer correspond to a module.
    let stdlib_dir = src.join("stdlib");
    for entry in fs::read_dir(&stdlib_dir)
        .map_err(|e| format!("cannot list {}: {e}", stdlib_dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = format!(
            "stdlib/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        if !wanted.contains_key(&name) {
            if bless {
                fs::remove_file(&path).map_err(|e| e.to_string())?;
            } else {
                problems.push(format!("website/src/{name} is not generated from the compiler's table (a removed module?)"));
            }
        }
    }
    for (name, text) in &wanted {
        let path = src.join(name);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current == *text {
            continue;
        }
        if bless {
            fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        } else {
            problems.push(format!(
                "website/src/{name} differs from what the compiler's stdlib table generates (- committed, + generated); run `MESH_BLESS=1 cargo test -p mesh_tests --test docs stdlib`:\n{}",
                render_diff(&current, text)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
