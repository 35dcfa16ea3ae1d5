//! `meshc init --clustered` (tooling §8.2) and the source-first rules around it (tooling
//! §1.1.2, §9.6): the scaffold's files, that it formats, tests, builds and boots, and that a
//! `[cluster]` manifest table, the legacy `clustered(work)` marker and invalid `@cluster`
//! declarations fail before codegen with the spec's messages.

use super::{meshc, repo_root, run, scratch, text};
use std::process::Command;

/// `cmd` without any cluster variable of the environment the tests run in.
fn clean(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars() {
        if key.starts_with("MESH_") && key != "MESH_RT_LIB_PATH" || key.starts_with("FLY_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

#[test]
fn init_clustered_writes_a_source_first_scaffold_that_tests_builds_and_boots() {
    let dir = scratch("init_clustered");
    let out = run(meshc()
        .current_dir(&dir)
        .args(["init", "--clustered", "hive"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Created clustered project 'hive'\n\nNext steps:\n  cd hive\n  meshc test\n  meshc run\n"
    );
    let project = dir.join("hive");
    let mut files = Vec::new();
    for entry in walk(&project) {
        files.push(
            entry
                .strip_prefix(&project)
                .expect("below the project")
                .display()
                .to_string(),
        );
    }
    files.sort();
    assert_eq!(
        files,
        [
            ".gitignore",
            "README.md",
            "main.mpl",
            "mesh.toml",
            "tests/work.test.mpl",
            "work.mpl"
        ]
    );
    let read = |name: &str| std::fs::read_to_string(project.join(name)).expect(name);
    assert_eq!(
        read("mesh.toml"),
        "[package]\nname = \"hive\"\nversion = \"0.1.0\"\n\n[dependencies]\n"
    );
    assert!(read("work.mpl").contains("@cluster pub fn add() -> Int do\n  1 + 1\nend\n"));
    let main = read("main.mpl");
    assert_eq!(main.matches("Node.start_from_env()").count(), 1);
    for word in ["HTTP.", "Continuity.", "@cluster"] {
        assert!(!main.contains(word), "main.mpl mentions {word}");
    }
    let readme = read("README.md");
    for needle in [
        "Work.add",
        "startup::Work.add",
        "MESH_CLUSTER_COOKIE",
        "MESH_NODE_NAME",
        "MESH_DISCOVERY_SEED",
        "MESH_CLUSTER_PORT` | `4370",
        "MESH_CONTINUITY_ROLE",
        "MESH_CONTINUITY_PROMOTION_EPOCH` | `0",
        "127.0.0.1:4370",
        "[::1]:4370",
        "--template todo-api --db postgres",
    ] {
        assert!(readme.contains(needle), "README.md lacks {needle}");
    }
    // The operator order: status, continuity list, one record, diagnostics.
    let order: Vec<usize> = [
        "meshc cluster status",
        "meshc cluster continuity primary@127.0.0.1:4370 --json",
        "meshc cluster continuity primary@127.0.0.1:4370 startup::Work.add --json",
        "meshc cluster diagnostics",
    ]
    .iter()
    .map(|c| {
        readme
            .find(c)
            .unwrap_or_else(|| panic!("README.md lacks {c}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

    let fmt = run(meshc().current_dir(&dir).args(["fmt", "--check", "hive"]));
    assert!(fmt.status.success(), "{}", text(&fmt.stdout));
    let tested = run(clean(meshc().current_dir(&dir).args(["test", "hive"])));
    assert!(
        tested.status.success(),
        "{}{}",
        text(&tested.stdout),
        text(&tested.stderr)
    );
    assert!(
        text(&tested.stdout).contains("2 passed"),
        "{}",
        text(&tested.stdout)
    );

    // The declaration is registered under its runtime name as startup work.
    let mir = run(meshc()
        .current_dir(&project)
        .args(["build", ".", "--dump=mir"]));
    assert!(mir.status.success(), "{}", text(&mir.stderr));
    assert!(
        text(&mir.stdout).starts_with(
            "cluster declare \"Work.add\" entry=cluster.startup.Work.add count=2 kind=0\n"
        ),
        "{}",
        text(&mir.stdout)
    );

    let built = run(meshc().current_dir(&project).args(["build", "."]));
    assert!(built.status.success(), "{}", text(&built.stderr));
    let exe = project.join("hive");
    let standalone = run(clean(&mut Command::new(&exe)).current_dir(&project));
    assert_eq!(
        standalone.status.code(),
        Some(0),
        "{}",
        text(&standalone.stderr)
    );
    assert_eq!(
        text(&standalone.stdout),
        "[hive] runtime bootstrap mode=standalone node= cluster_port=4370 discovery_seed=\n"
    );
    let failed = run(clean(&mut Command::new(&exe))
        .current_dir(&project)
        .env("MESH_DISCOVERY_SEED", "localhost"));
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        text(&failed.stdout),
        "[hive] runtime bootstrap failed reason=MESH_CLUSTER_COOKIE is required when discovery or identity env is set\n"
    );
}

#[test]
fn cluster_manifest_tables_legacy_markers_and_bad_declarations_fail_before_codegen() {
    let dir = scratch("cluster_rejections");
    let write = |path: &str, body: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, body).expect("write");
    };
    let main = "fn main() do\n  println(\"hi\")\nend\n";
    // A `[cluster]` table (tooling §1.1.2).
    write(
        "table/mesh.toml",
        "[package]\nname = \"table\"\nversion = \"0.1.0\"\n\n[cluster]\nenabled = true\n",
    );
    write("table/main.mpl", main);
    let out = run(meshc().current_dir(&dir).args(["build", "table"]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: Failed to parse table/mesh.toml: [cluster] sections are not supported; declare clustered work in source with @cluster or @cluster(N)\n"
    );
    // The legacy marker (language §3.1.1).
    write("legacy/main.mpl", main);
    write(
        "legacy/work.mpl",
        "clustered(work) pub fn add() -> Int = 2\n",
    );
    let out = run(meshc().current_dir(&dir).args(["build", "legacy"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("legacy `clustered(work)` declarations are no longer supported; migrate to `@cluster` or `@cluster(N)` before `fn`/`def`"), "{}", text(&out.stderr));
    // A private target and a bad count: CFG0001 at the decorator, in --json too, and no
    // executable.
    write("decl/main.mpl", main);
    write(
        "decl/work.mpl",
        "@cluster fn add() -> Int = 2\n\n@cluster(0) pub fn zero() -> Int = 0\n",
    );
    let out = run(meshc().current_dir(&dir).args(["build", "decl", "--json"]));
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = text(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let cfg: Vec<&serde_json::Value> = lines.iter().filter(|d| d["code"] == "CFG0001").collect();
    assert_eq!(cfg.len(), 2, "{lines:?}");
    assert_eq!(cfg[0]["file"], "decl/work.mpl");
    assert_eq!(cfg[0]["spans"][0]["line"], 1);
    assert_eq!(cfg[0]["spans"][0]["col"], 1);
    assert_eq!(cfg[1]["spans"][0]["line"], 3);
    assert!(cfg[1]["message"]
        .as_str()
        .is_some_and(|m| m.contains("found 0")));
    assert!(!dir.join("decl/decl").exists());
}

/// Every file below `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Tooling §9.9 with the fixture paths of issue 20: from the repository root, exactly
/// `meshc build scripts/fixtures/clustered/NAME` and `meshc test
/// scripts/fixtures/clustered/NAME/tests` for both fixtures; each test run reports one file
/// with every test passing, and the built program boots standalone and runs its work.
#[test]
fn the_clustered_fixture_commands_work_verbatim_from_the_repository_root() {
    for name in ["tiny-cluster", "cluster-proof"] {
        let fixture = format!("scripts/fixtures/clustered/{name}");
        let exe = repo_root().join(&fixture).join(name);
        let _ = std::fs::remove_file(&exe);
        let built = run(clean(
            meshc().current_dir(repo_root()).args(["build", &fixture]),
        ));
        assert!(built.status.success(), "{}", text(&built.stderr));
        let booted = run(clean(&mut Command::new(&exe)));
        let _ = std::fs::remove_file(&exe);
        assert_eq!(booted.status.code(), Some(0), "{}", text(&booted.stderr));
        assert_eq!(
            text(&booted.stdout),
            format!("[{name}] runtime bootstrap mode=standalone node= cluster_port=4370 discovery_seed=\n")
        );
        assert!(
            text(&booted.stderr)
                .contains("[mesh-rt startup] transition=startup_completed runtime_name=Work.add"),
            "{}",
            text(&booted.stderr)
        );

        let tests = format!("{fixture}/tests");
        let tested = run(clean(
            meshc().current_dir(repo_root()).args(["test", &tests]),
        ));
        let stdout = text(&tested.stdout);
        assert!(tested.status.success(), "{stdout}{}", text(&tested.stderr));
        let summary = stdout
            .lines()
            .find(|l| l.starts_with("test result: "))
            .unwrap_or_else(|| panic!("no summary:\n{stdout}"));
        assert!(
            summary.starts_with("test result: ok. ")
                && summary.contains(" 0 failed; 0 compile errors; 1 files;")
                && !summary.contains(" 0 passed;"),
            "{summary}"
        );
        assert!(stdout.contains("✓ declared work > add() is 2"), "{stdout}");
    }
}
