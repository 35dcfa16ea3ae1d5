//! `meshc init`: creates a project from one of the templates compiled into meshc (tooling spec
//! §1.6 for the rules, §8 for the content). Every rule is checked before anything is written;
//! the project is assembled in a hidden sibling directory and renamed into place, so a failure
//! midway leaves nothing behind.

use crate::driver::CliError;
use std::path::{Path, PathBuf};

/// One file of a template: its path relative to the project root and its bytes.
type TemplateFile = (&'static str, &'static [u8]);

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// The database a `--template todo-api` project uses (spec §1.6: a closed set).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// What the user asked `meshc init` for, as parsed by clap.
pub struct InitRequest {
    pub name: String,
    pub clustered: bool,
    pub template: Option<String>,
    pub db: Option<Db>,
}

/// The scaffolds of spec §8: the folder under `meshc/cli/templates/` and the word printed in
/// `Created <kind> project`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    HelloWorld,
    Clustered,
    TodoSqlite,
    TodoPostgres,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::HelloWorld => "hello-world",
            Kind::Clustered => "clustered",
            Kind::TodoSqlite => "todo-sqlite",
            Kind::TodoPostgres => "todo-postgres",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::HelloWorld => "hello-world",
            Kind::Clustered => "clustered",
            Kind::TodoSqlite => "todo-api (sqlite)",
            Kind::TodoPostgres => "todo-api (postgres)",
        }
    }
}

/// Runs `meshc init` in the current directory.
pub fn run(request: &InitRequest) -> Result<(), CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::new(format!("cannot read the current directory: {e}")))?;
    let kind = choose_kind(request)?;
    create(&cwd, &request.name, kind)?;
    println!("Created {} project '{}'", kind.label(), request.name);
    println!();
    println!("Next steps:");
    println!("  cd {}", request.name);
    if kind == Kind::Clustered {
        println!("  meshc test");
        println!("  meshc run");
    } else if kind == Kind::TodoSqlite {
        println!("  meshc test");
        println!("  meshc run    # serves the API on port 8080, data in ./todo.sqlite3");
    } else if kind == Kind::TodoPostgres {
        println!("  meshc test");
        println!("  meshc migrate . up    # with DATABASE_URL set to your database");
        println!("  meshc run             # serves the API on port 8080");
    } else {
        println!("  meshc run");
    }
    Ok(())
}

/// Applies the argument rules of spec §1.6 in the order it lists them.
fn choose_kind(request: &InitRequest) -> Result<Kind, CliError> {
    if !valid_name(&request.name) {
        return Err(CliError::new(format!(
            "invalid project name '{}': start with a letter and use only letters, digits, '-' and '_'",
            request.name
        )));
    }
    if request.clustered && (request.template.is_some() || request.db.is_some()) {
        return Err(CliError::new(
            "--clustered cannot be combined with --template; use 'meshc init --clustered NAME' \
             for the minimal clustered app or 'meshc init --template todo-api --db postgres NAME' \
             for the clustered Todo starter",
        ));
    }
    if let Some(template) = &request.template {
        if template != "todo-api" {
            return Err(CliError::new(format!(
                "unknown template '{template}' (available: todo-api)"
            )));
        }
    }
    let kind = match (&request.template, request.db, request.clustered) {
        (None, Some(_), _) => {
            return Err(CliError::new(
                "--db only applies to --template todo-api (sqlite is the default; postgres \
                 selects the clustered starter)",
            ))
        }
        (None, None, true) => Kind::Clustered,
        (None, None, false) => Kind::HelloWorld,
        (Some(_), Some(Db::Postgres), _) => Kind::TodoPostgres,
        (Some(_), _, _) => Kind::TodoSqlite,
    };
    Ok(kind)
}

/// `[A-Za-z][A-Za-z0-9_-]{0,63}` (spec §1.6).
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The files of a scaffold with `{{name}}` replaced (in contents and paths), in path order.
fn render(kind: Kind, name: &str) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let files = TEMPLATES
        .iter()
        .find(|(folder, _)| *folder == kind.folder())
        .map(|(_, files)| *files)
        .ok_or_else(|| {
            CliError::new(format!(
                "the {} scaffold is not available in this meshc yet",
                kind.label()
            ))
        })?;
    let mut rendered: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8_lossy(bytes).replace("{{name}}", name);
            (path.replace("{{name}}", name), text.into_bytes())
        })
        .collect();
    // Paths may contain the name too (`deploy/{{name}}.up.sql`): sorted again once rendered.
    rendered.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rendered)
}

/// Writes the scaffold as `parent/name`, atomically: into a hidden sibling first, renamed into
/// place once every file is written.
fn create(parent: &Path, name: &str, kind: Kind) -> Result<(), CliError> {
    let target = parent.join(name);
    if target.symlink_metadata().is_ok() {
        return Err(CliError::new(format!("directory '{name}' already exists")));
    }
    let files = render(kind, name)?;
    let staging = parent.join(format!(".{name}.meshc-init-{}", std::process::id()));
    let written = write_files(&staging, &files).and_then(|()| {
        // Checked again just before the rename: rename(2) would replace an empty directory
        // created meanwhile.
        if target.symlink_metadata().is_ok() {
            return Err(CliError::new(format!("directory '{name}' already exists")));
        }
        std::fs::rename(&staging, &target)
            .map_err(|e| CliError::new(format!("cannot create '{name}': {e}")))
    });
    if written.is_err() {
        // Best effort: the staging directory is ours alone; the error being reported matters more.
        let _ = std::fs::remove_dir_all(&staging);
    }
    written
}

fn write_files(root: &Path, files: &[(String, Vec<u8>)]) -> Result<(), CliError> {
    use std::os::unix::fs::PermissionsExt;
    let fail = |path: &PathBuf, e: std::io::Error| {
        CliError::new(format!("cannot write '{}': {e}", path.display()))
    };
    std::fs::create_dir(root).map_err(|e| fail(&root.to_path_buf(), e))?;
    for (relative, bytes) in files {
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail(&dir.to_path_buf(), e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| fail(&path, e))?;
        let mode = if relative.ends_with(".sh") {
            0o755
        } else {
            0o644
        };
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| fail(&path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str) -> InitRequest {
        InitRequest {
            name: name.into(),
            clustered: false,
            template: None,
            db: None,
        }
    }

    #[test]
    fn names_follow_the_spec_pattern() {
        assert!(valid_name("a"));
        assert!(valid_name("my_app-2"));
        assert!(valid_name(&"a".repeat(64)));
        assert!(!valid_name(&"a".repeat(65)));
        assert!(!valid_name("2app"));
        assert!(!valid_name("-app"));
        assert!(!valid_name("my app"));
        assert!(!valid_name("app.x"));
        assert!(!valid_name(""));
        assert!(!valid_name("ünï"));
    }

    #[test]
    fn flag_combinations_pick_the_kind_or_fail_with_the_spec_text() {
        assert_eq!(choose_kind(&request("a")).ok(), Some(Kind::HelloWorld));
        let mut r = request("a");
        r.clustered = true;
        assert_eq!(choose_kind(&r).ok(), Some(Kind::Clustered));
        r.db = Some(Db::Sqlite);
        assert!(choose_kind(&r)
            .err()
            .is_some_and(|e| e.message().starts_with("--clustered cannot be combined")));
        let mut r = request("a");
        r.db = Some(Db::Postgres);
        assert_eq!(
            choose_kind(&r).err().map(|e| e.message().to_string()),
            Some("--db only applies to --template todo-api (sqlite is the default; postgres selects the clustered starter)".into())
        );
        r.template = Some("todo-api".into());
        assert_eq!(choose_kind(&r).ok(), Some(Kind::TodoPostgres));
        r.db = None;
        assert_eq!(choose_kind(&r).ok(), Some(Kind::TodoSqlite));
        r.template = Some("blog".into());
        assert_eq!(
            choose_kind(&r).err().map(|e| e.message().to_string()),
            Some("unknown template 'blog' (available: todo-api)".into())
        );
    }

    #[test]
    fn hello_world_is_rendered_with_the_name_and_nothing_left_unreplaced() {
        let files = render(Kind::HelloWorld, "demo").expect("the hello-world template exists");
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, [".gitignore", "main.mpl", "mesh.toml"]);
        for (_, bytes) in &files {
            assert!(!String::from_utf8_lossy(bytes).contains("{{"));
        }
        assert_eq!(files[0].1, b"/demo\n/.mesh/\n*.ll\n");
    }

    #[test]
    fn todo_sqlite_has_the_spec_file_set_and_no_clustering() {
        let files = render(Kind::TodoSqlite, "demo").expect("the todo-sqlite template exists");
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                ".dockerignore",
                ".gitignore",
                "Dockerfile",
                "README.md",
                "api/health.mpl",
                "api/router.mpl",
                "api/todos.mpl",
                "config.mpl",
                "main.mpl",
                "mesh.toml",
                "runtime/registry.mpl",
                "services/rate_limiter.mpl",
                "storage/todos.mpl",
                "tests/config.test.mpl",
                "tests/storage.test.mpl",
                "types/todo.mpl",
            ]
        );
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains("{{"), "{path}");
            if path.ends_with(".mpl") {
                for word in ["HTTP.clustered", "Node.start_from_env", "@cluster"] {
                    assert!(!text.contains(word), "{path} mentions {word}");
                }
            }
        }
        let text = |name: &str| {
            let (_, bytes) = files.iter().find(|(p, _)| p == name).expect("present");
            String::from_utf8_lossy(bytes).into_owned()
        };
        assert_eq!(text(".gitignore"), "/demo\n/.mesh/\n*.sqlite3\n");
        assert_eq!(
            text(".dockerignore"),
            ".git\n.gitignore\ntarget\n.mesh\n.tmp\n*.sqlite3\n"
        );
        assert!(text("mesh.toml").contains("name = \"demo\""));
        assert!(text("Dockerfile").contains("ENTRYPOINT [\"/usr/local/bin/demo\"]"));
    }

    #[test]
    fn clustered_has_the_spec_file_set_and_a_package_only_manifest() {
        let files = render(Kind::Clustered, "demo").expect("the clustered template exists");
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                ".gitignore",
                "README.md",
                "main.mpl",
                "mesh.toml",
                "tests/work.test.mpl",
                "work.mpl"
            ]
        );
        for (path, bytes) in &files {
            assert!(!String::from_utf8_lossy(bytes).contains("{{"), "{path}");
        }
        let text = |name: &str| {
            let (_, bytes) = files.iter().find(|(p, _)| p == name).expect("present");
            String::from_utf8_lossy(bytes).into_owned()
        };
        assert!(!text("mesh.toml").contains("[cluster]"));
        assert!(text("work.mpl").contains("@cluster pub fn add() -> Int"));
        assert!(text("main.mpl").contains("[demo] runtime bootstrap"));
    }

    #[test]
    fn todo_postgres_has_the_spec_file_set_and_the_name_in_paths() {
        let files = render(Kind::TodoPostgres, "demo").expect("the todo-postgres template exists");
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                ".dockerignore",
                ".env.example",
                ".gitignore",
                "Dockerfile",
                "README.md",
                "api/health.mpl",
                "api/router.mpl",
                "api/todos.mpl",
                "config.mpl",
                "deploy/demo.up.sql",
                "docker-compose.yml",
                "main.mpl",
                "mesh.toml",
                "migrations/20250315091000_create_todos.mpl",
                "runtime/registry.mpl",
                "scripts/apply-deploy-migrations.sh",
                "scripts/deploy-smoke.sh",
                "scripts/stage-deploy.sh",
                "services/rate_limiter.mpl",
                "storage/todos.mpl",
                "tests/config.test.mpl",
                "tests/todo_id.test.mpl",
                "types/todo.mpl",
                "work.mpl",
            ]
        );
        for (path, bytes) in &files {
            assert!(!String::from_utf8_lossy(bytes).contains("{{"), "{path}");
        }
        let text = |name: &str| {
            let (_, bytes) = files.iter().find(|(p, _)| p == name).expect("present");
            String::from_utf8_lossy(bytes).into_owned()
        };
        assert_eq!(text(".gitignore"), "/demo\n/.mesh/\n/.bundle/\n.env\n");
        assert_eq!(
            text(".dockerignore"),
            ".git\n.gitignore\ntarget\n.mesh\n.tmp\n.env\n.env.local\n"
        );
        assert!(!text("mesh.toml").contains("[cluster]"));
        assert!(text("work.mpl").contains("@cluster pub fn sync_todos() -> Int"));
        assert!(text("api/router.mpl").contains("HTTP.clustered(1, handle_list_todos)"));
        assert!(text("api/router.mpl").contains("HTTP.clustered(1, handle_get_todo)"));
        assert!(text("main.mpl").contains("Node.start_from_env()"));
        assert!(text("Dockerfile").contains("ENTRYPOINT [\"/usr/local/bin/demo\"]"));
        assert!(text("docker-compose.yml").contains("${POSTGRES_IMAGE:-postgres:16}"));
        assert!(text("deploy/demo.up.sql").contains("VALUES (20250315091000, 'create_todos')"));
    }
}
