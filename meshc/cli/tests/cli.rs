//! Command-line behaviour of the `meshc` binary: output paths, `--emit-llvm`, `run` exit
//! status pass-through, `--version`, and that a failed build writes nothing; the developer
//! options (`--dump`, `--timings`) in `cli/dumps.rs`, `meshc fmt` in `cli/fmt.rs`, diagnostics
//! (`--json` and human) in `cli/json.rs`, `meshc init --clustered` and the clustered-declaration
//! rules in `cli/clustered.rs`, `meshc cluster`'s arguments and failures in `cli/cluster.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "cli/cluster.rs"]
mod cluster;
#[path = "cli/clustered.rs"]
mod clustered;
#[path = "cli/dumps.rs"]
mod dumps;
#[path = "cli/fmt.rs"]
mod fmt;
#[path = "cli/json.rs"]
mod json;

fn meshc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshc"));
    cmd.env_remove("MESH_RT_LIB_PATH");
    cmd
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = repo_root().join("target").join("cli-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir is creatable");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("meshc runs")
}

#[test]
fn version_prints_the_semver() {
    let out = run(meshc().arg("--version"));
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        format!("meshc {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn build_hello_with_output_and_emit_llvm() {
    let dir = scratch("hello");
    let exe = dir.join("hello-bin");
    let out = run(meshc()
        .arg("build")
        .arg(repo_root().join("examples/hello"))
        .arg("-o")
        .arg(&exe)
        .arg("--emit-llvm"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("Compiled "),
        "{}",
        text(&out.stderr)
    );
    let ran = run(&mut Command::new(&exe));
    assert_eq!(text(&ran.stdout), "Hello, World!\n");
    let ir = std::fs::read_to_string(dir.join("hello-bin.ll"))
        .expect("--emit-llvm writes the .ll beside the output");
    assert!(ir.contains("define i32 @main("), "{ir}");
}

/// `meshc build --static .` inside a project: a fully static executable (no interpreter, no
/// shared libraries) at the default path, which runs. (Running it in an empty container:
/// tests/containers.rs.)
#[test]
fn build_static_links_a_fully_static_executable() {
    let dir = scratch("static_hello");
    for file in ["main.mpl", "mesh.toml"] {
        std::fs::copy(
            repo_root().join("examples/hello").join(file),
            dir.join(file),
        )
        .expect("copy example");
    }
    let out = run(meshc().current_dir(&dir).args(["build", "--static", "."]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exe = dir.join("hello");
    let elf = std::fs::read(&exe).expect("the executable");
    // No PT_INTERP program header: nothing asks for a dynamic loader.
    let phoff = u64::from_le_bytes(elf[32..40].try_into().expect("e_phoff")) as usize;
    let phentsize = u16::from_le_bytes([elf[54], elf[55]]) as usize;
    let phnum = u16::from_le_bytes([elf[56], elf[57]]) as usize;
    let types: Vec<u32> = (0..phnum)
        .map(|i| {
            let at = phoff + i * phentsize;
            u32::from_le_bytes(elf[at..at + 4].try_into().expect("p_type"))
        })
        .collect();
    assert!(!types.contains(&3), "PT_INTERP present: {types:?}");
    assert!(
        types.contains(&2),
        "a static PIE keeps PT_DYNAMIC: {types:?}"
    );
    let ldd = Command::new("ldd").arg(&exe).output().expect("ldd runs");
    let said = format!("{}{}", text(&ldd.stdout), text(&ldd.stderr));
    assert!(
        said.contains("statically linked") || said.contains("not a dynamic executable"),
        "{said}"
    );
    let ran = run(&mut Command::new(&exe));
    assert_eq!(text(&ran.stdout), "Hello, World!\n");
}

#[test]
fn build_without_output_names_the_binary_after_the_package() {
    let dir = scratch("default_output");
    std::fs::write(
        dir.join("mesh.toml"),
        "[package]\nname = \"greeter\"\nversion = \"0.1.0\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("main.mpl"),
        "fn main() do\n  println(\"hi\")\nend\n",
    )
    .expect("write");
    let out = run(meshc().arg("build").arg(&dir));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ran = run(&mut Command::new(dir.join("greeter")));
    assert_eq!(text(&ran.stdout), "hi\n");
}

#[test]
fn failed_build_writes_no_executable() {
    let dir = scratch("failed");
    std::fs::write(dir.join("main.mpl"), "fn main() do\n  println(1)\nend\n").expect("write");
    let exe = dir.join("out");
    let out = run(meshc()
        .arg("build")
        .arg(&dir)
        .arg("-o")
        .arg(&exe)
        .arg("--no-color"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("[E0001] Error: expected String, found Int"),
        "{stderr}"
    );
    assert!(
        stderr
            .trim_end()
            .ends_with("error: could not compile 'failed' (1 errors, 0 warnings)"),
        "{stderr}"
    );
    assert!(!exe.exists());
}

#[test]
fn run_passes_arguments_through_and_returns_the_program_status() {
    let dir = scratch("run_status");
    std::fs::write(
        dir.join("main.mpl"),
        "fn main() do\n  println(\"before\")\n  println(\"#{1 / 0}\")\nend\n",
    )
    .expect("write");
    let out = run(meshc().arg("run").arg(&dir));
    assert_eq!(out.status.code(), Some(101));
    assert_eq!(text(&out.stdout), "before\n");
    assert!(
        text(&out.stderr).ends_with("panic: integer division by zero\n"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        dir.join(".mesh/build/run_status").is_file(),
        "run builds under .mesh/build"
    );
}

#[test]
fn missing_runtime_path_is_a_clear_error() {
    let out = run(meshc()
        .arg("build")
        .arg(repo_root().join("examples/hello"))
        .env("MESH_RT_LIB_PATH", ""));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: MESH_RT_LIB_PATH is set but empty\n"
    );
}

#[test]
fn init_creates_a_hello_world_project_that_runs() {
    let dir = scratch("init_hello");
    let out = run(meshc().current_dir(&dir).args(["init", "greeter"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Created hello-world project 'greeter'\n\nNext steps:\n  cd greeter\n  meshc run\n"
    );
    let project = dir.join("greeter");
    let manifest = std::fs::read_to_string(project.join("mesh.toml")).expect("mesh.toml");
    assert_eq!(
        manifest,
        "[package]\nname = \"greeter\"\nversion = \"0.1.0\"\n\n[dependencies]\n"
    );
    let ignore = std::fs::read_to_string(project.join(".gitignore")).expect(".gitignore");
    assert_eq!(ignore, "/greeter\n/.mesh/\n*.ll\n");
    // Nothing else is left in the parent: the staging directory was renamed into place.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["greeter"]);
    let ran = run(meshc().current_dir(&project).arg("run"));
    assert!(ran.status.success(), "{}", text(&ran.stderr));
    assert_eq!(text(&ran.stdout), "Hello from greeter!\n");
    // Spec tooling §1.6: a fresh scaffold passes `meshc fmt --check` and `meshc test`.
    let fmt = run(meshc()
        .current_dir(&dir)
        .args(["fmt", "--check", "greeter"]));
    assert!(fmt.status.success(), "{}", text(&fmt.stdout));
    let tested = run(meshc().current_dir(&dir).args(["test", "greeter"]));
    assert!(tested.status.success(), "{}", text(&tested.stderr));
    // Files are 0644 (no script in this scaffold).
    use std::os::unix::fs::PermissionsExt;
    for name in ["mesh.toml", "main.mpl", ".gitignore"] {
        let mode = std::fs::metadata(project.join(name))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "{name}");
    }
}

#[test]
fn init_refuses_bad_names_existing_paths_and_bad_flags_without_writing() {
    let dir = scratch("init_errors");
    std::fs::create_dir(dir.join("taken")).expect("mkdir");
    let cases: [(&[&str], i32, &str); 5] = [
        (&["init", "taken"], 1, "error: directory 'taken' already exists\n"),
        (
            &["init", "9lives"],
            1,
            "error: invalid project name '9lives': start with a letter and use only letters, digits, '-' and '_'\n",
        ),
        (
            &["init", "--template", "blog", "app"],
            1,
            "error: unknown template 'blog' (available: todo-api)\n",
        ),
        (
            &["init", "--db", "postgres", "app"],
            1,
            "error: --db only applies to --template todo-api (sqlite is the default; postgres selects the clustered starter)\n",
        ),
        (
            &["init", "--clustered", "--template", "todo-api", "app"],
            1,
            "error: --clustered cannot be combined with --template; use 'meshc init --clustered NAME' for the minimal clustered app or 'meshc init --template todo-api --db postgres NAME' for the clustered Todo starter\n",
        ),
    ];
    for (args, status, stderr) in cases {
        let out = run(meshc().current_dir(&dir).args(args));
        assert_eq!(out.status.code(), Some(status), "{args:?}");
        assert_eq!(text(&out.stderr), stderr, "{args:?}");
    }
    // A file, or a dangling symlink, in the way is refused the same way and left alone.
    std::fs::write(dir.join("afile"), "keep").expect("write");
    std::os::unix::fs::symlink("nowhere", dir.join("alink")).expect("symlink");
    for name in ["afile", "alink"] {
        let out = run(meshc().current_dir(&dir).args(["init", name]));
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert_eq!(
            text(&out.stderr),
            format!("error: directory '{name}' already exists\n")
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("afile")).expect("read"),
        "keep"
    );
    std::fs::remove_file(dir.join("afile")).expect("rm");
    std::fs::remove_file(dir.join("alink")).expect("rm");
    // Names: 64 characters at most, a letter first, then letters, digits, '-' and '_'.
    let long = format!("a{}", "b".repeat(64));
    for bad in ["-app", "_app", "my app", "app.x", "ünï", long.as_str()] {
        // `--` so that clap takes `-app` as the name rather than an unknown flag.
        let out = run(meshc().current_dir(&dir).args(["init", "--", bad]));
        assert_eq!(out.status.code(), Some(1), "{bad}");
        assert_eq!(
            text(&out.stderr),
            format!("error: invalid project name '{bad}': start with a letter and use only letters, digits, '-' and '_'\n")
        );
    }
    let usage = run(meshc()
        .current_dir(&dir)
        .args(["init", "--db", "mysql", "app"]));
    assert_eq!(usage.status.code(), Some(2));
    // The usage error lists the allowed values.
    let stderr = text(&usage.stderr);
    assert!(
        stderr.contains("sqlite") && stderr.contains("postgres"),
        "{stderr}"
    );
    assert_eq!(
        run(meshc().current_dir(&dir).arg("init")).status.code(),
        Some(2)
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["taken"]);
    assert_eq!(
        std::fs::read_dir(dir.join("taken")).expect("dir").count(),
        0
    );
}

#[test]
fn init_todo_api_writes_the_sqlite_starter() {
    let dir = scratch("init_todo");
    let out = run(meshc()
        .current_dir(&dir)
        .args(["init", "--template", "todo-api", "todos"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Created todo-api (sqlite) project 'todos'\n\nNext steps:\n  cd todos\n  meshc test\n  meshc run    # serves the API on port 8080, data in ./todo.sqlite3\n"
    );
    let project = dir.join("todos");
    assert!(project.join("storage/todos.mpl").is_file());
    assert!(!project.join("work.mpl").exists());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(project.join("main.mpl"))
        .expect("main.mpl")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
    // A collision changes nothing.
    let again = run(meshc().current_dir(&dir).args([
        "init",
        "--template",
        "todo-api",
        "--db",
        "sqlite",
        "todos",
    ]));
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        text(&again.stderr),
        "error: directory 'todos' already exists\n"
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["todos"]);
}

/// `meshc init --template todo-api --db postgres` (tooling §8.4): the file set, executable
/// deploy scripts, the deploy SQL named after the project, and a scaffold whose package tests
/// pass without a database and that builds.
#[test]
fn init_todo_api_postgres_writes_a_starter_that_tests_and_builds() {
    let dir = scratch("init_todo_pg");
    let args = ["init", "--template", "todo-api", "--db", "postgres", "pg"];
    let out = run(meshc().current_dir(&dir).args(args));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("Created todo-api (postgres) project 'pg'\n\nNext steps:\n  cd pg\n  meshc test\n  meshc migrate . up"),
        "{}",
        text(&out.stdout)
    );
    let project = dir.join("pg");
    for file in [
        "work.mpl",
        "migrations/20250315091000_create_todos.mpl",
        "deploy/pg.up.sql",
        ".env.example",
        "docker-compose.yml",
    ] {
        assert!(project.join(file).is_file(), "{file}");
    }
    use std::os::unix::fs::PermissionsExt;
    for script in [
        "stage-deploy.sh",
        "apply-deploy-migrations.sh",
        "deploy-smoke.sh",
    ] {
        let mode = std::fs::metadata(project.join("scripts").join(script))
            .expect("script")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755, "{script}");
    }
    let tests = run(meshc().arg("test").arg(&project));
    let report = text(&tests.stdout);
    assert!(tests.status.success(), "{report}{}", text(&tests.stderr));
    assert!(
        report.contains("0 failed; 0 compile errors; 2 files"),
        "{report}"
    );
    let exe = dir.join("pg-bin");
    let built = run(meshc().arg("build").arg(&project).arg("--output").arg(&exe));
    assert!(built.status.success(), "{}", text(&built.stderr));
    assert!(exe.is_file());
    // A collision changes nothing.
    let again = run(meshc().current_dir(&dir).args(args));
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        text(&again.stderr),
        "error: directory 'pg' already exists\n"
    );
}
