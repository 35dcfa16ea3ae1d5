//! Projects: the manifest (`mesh.toml`), module discovery, path → module naming and the
//! import graph check (no module imports itself, no import cycles) (spec tooling §2, language
//! §2.1).

use crate::DriverError;
use mesh_syntax::ast;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A project ready to compile.
pub struct Project {
    /// Package name (binary name).
    pub name: String,
    /// Project root directory.
    pub root: PathBuf,
    /// Module files: (path as shown to the user, module name).
    pub modules: Vec<(PathBuf, String)>,
    /// Module name of the entry.
    pub entry_module: String,
    /// Manifest warnings (`unknown table [t] in mesh.toml ignored`), reported with the
    /// diagnostics.
    pub warnings: Vec<String>,
}

/// Loads the project at `dir`, or a single-file program when `dir` is a `.mpl` file (module
/// `Main`, named after the file stem).
pub fn load(dir: &Path) -> Result<Project, DriverError> {
    if dir.extension().is_some_and(|e| e == "mpl") && dir.is_file() {
        let name = dir
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "main".into());
        let root = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        return Ok(Project {
            name,
            root,
            modules: vec![(dir.to_path_buf(), "Main".into())],
            entry_module: "Main".into(),
            warnings: Vec::new(),
        });
    }
    if !dir.is_dir() {
        return Err(DriverError::new(format!(
            "project directory '{}' does not exist",
            dir.display()
        )));
    }
    let manifest = read_manifest(dir)?;
    let name = match &manifest.name {
        Some(n) => n.rsplit('/').next().unwrap_or(n).to_string(),
        None => dir_name(dir),
    };
    let entry_rel = manifest
        .entrypoint
        .clone()
        .unwrap_or_else(|| "main.mpl".into());
    let mut files = Vec::new();
    walk(dir, dir, &mut files)
        .map_err(|e| DriverError::new(format!("cannot read project '{}': {e}", dir.display())))?;
    files.sort();
    let mut modules: Vec<(PathBuf, String)> = Vec::new();
    for rel in files {
        let module = module_name(&rel);
        if let Some((other, _)) = modules.iter().find(|(_, m)| *m == module) {
            return Err(DriverError::new(format!(
                "modules '{}' and '{}' both map to '{module}'",
                other.display(),
                dir.join(&rel).display()
            )));
        }
        modules.push((dir.join(&rel), module));
    }
    let entry_module = module_name(Path::new(&entry_rel));
    if !modules.iter().any(|(_, m)| *m == entry_module) {
        if manifest.entrypoint.is_some() {
            return Err(DriverError::new(format!(
                "entrypoint '{entry_rel}' not found in project '{}'",
                dir.display()
            )));
        }
        return Err(DriverError::new(format!(
            "no main.mpl found in project '{}'",
            dir.display()
        )));
    }
    Ok(Project {
        name,
        root: dir.to_path_buf(),
        modules,
        entry_module,
        warnings: manifest.warnings,
    })
}

/// Checks the import graph of the project's parsed modules, given as (module name, AST) in a
/// deterministic order: a module importing itself is "Module 'X' cannot import itself"
/// (language §2.1) and a cycle is "import cycle: A -> B -> A" (tooling §2.3), the first one a
/// depth-first walk in the given order finds. Imports of modules outside the project (stdlib,
/// unknown) are not edges; the type checker reports unknown ones.
pub fn check_imports(modules: &[(&str, &ast::Module)]) -> Result<(), String> {
    let index: BTreeMap<&str, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (*name, i))
        .collect();
    let mut edges: Vec<Vec<usize>> = Vec::with_capacity(modules.len());
    for (name, module) in modules {
        let mut targets = Vec::new();
        imported_modules(&module.items, &mut targets);
        let mut out = Vec::new();
        for target in targets {
            if target == *name {
                return Err(format!(
                    "Module '{name}' cannot import itself (import cycle: {name} -> {name})"
                ));
            }
            if let Some(&j) = index.get(target.as_str()) {
                if !out.contains(&j) {
                    out.push(j);
                }
            }
        }
        edges.push(out);
    }
    match find_cycle(&edges) {
        None => Ok(()),
        Some(cycle) => {
            let names: Vec<&str> = cycle.iter().map(|&i| modules[i].0).collect();
            Err(format!("import cycle: {}", names.join(" -> ")))
        }
    }
}

/// The module paths of `import M` and `from M import …` items, in source order, including
/// those inside inline modules and test groups.
fn imported_modules(items: &[ast::Item], out: &mut Vec<String>) {
    for item in items {
        match &item.kind {
            ast::ItemKind::Import(path) => out.push(path.joined()),
            ast::ItemKind::FromImport { module, .. } => out.push(module.joined()),
            ast::ItemKind::Module { items, .. } | ast::ItemKind::Describe { items, .. } => {
                imported_modules(items, out)
            }
            _ => {}
        }
    }
}

/// The first cycle of a directed graph found by an iterative depth-first search from each
/// node in order, as the node list from the cycle's first node back to it (`[a, b, a]`).
fn find_cycle(edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; edges.len()];
    for root in 0..edges.len() {
        if state[root] != State::New {
            continue;
        }
        // The current path: (node, index of the next edge to follow).
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = State::OnPath;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(&target) = edges[node].get(*next) else {
                state[node] = State::Done;
                path.pop();
                continue;
            };
            *next += 1;
            match state[target] {
                State::New => {
                    state[target] = State::OnPath;
                    path.push((target, 0));
                }
                State::OnPath => {
                    let start = path.iter().position(|&(n, _)| n == target)?;
                    let mut cycle: Vec<usize> = path[start..].iter().map(|&(n, _)| n).collect();
                    cycle.push(target);
                    return Some(cycle);
                }
                State::Done => {}
            }
        }
    }
    None
}

fn dir_name(dir: &Path) -> String {
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    canonical
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "main".into())
}

/// Collects `*.mpl` files below `dir` (paths relative to `root`), skipping dot-names, the
/// root-level `target/` and `migrations/`, and `*.test.mpl`.
fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            if dir == root && (name == "target" || name == "migrations") {
                continue;
            }
            walk(root, &path, out)?;
        } else if name.ends_with(".mpl") && !name.ends_with(".test.mpl") {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

/// `api/rate_limiter.mpl` → `Api.RateLimiter`.
pub fn module_name(rel: &Path) -> String {
    let stemmed = rel.with_extension("");
    stemmed
        .components()
        .map(|c| pascal_case(&c.as_os_str().to_string_lossy()))
        .collect::<Vec<_>>()
        .join(".")
}

fn pascal_case(s: &str) -> String {
    s.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// The parts of `mesh.toml` the build uses.
#[derive(Default)]
struct Manifest {
    name: Option<String>,
    entrypoint: Option<String>,
    /// Unknown top-level tables and keys, ignored with a warning (tooling §2.1).
    warnings: Vec<String>,
}

/// Top-level tables the manifest may hold (`[cluster]` is rejected before this is consulted).
const KNOWN_TABLES: &[&str] = &["package", "dependencies"];

fn read_manifest(dir: &Path) -> Result<Manifest, DriverError> {
    let path = dir.join("mesh.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Manifest::default());
    };
    parse_manifest(&text)
        .map_err(|m| DriverError::new(format!("Failed to parse {}: {m}", path.display())))
}

fn parse_manifest(text: &str) -> Result<Manifest, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| e.to_string().trim_end().to_string())?;
    if table.contains_key("cluster") {
        return Err(
            "[cluster] sections are not supported; declare clustered work in source with @cluster or @cluster(N)".into(),
        );
    }
    let package = table
        .get("package")
        .and_then(|p| p.as_table())
        .ok_or("missing table [package]")?;
    let field = |k: &str| package.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let name = field("name").ok_or("missing field 'name' in [package]")?;
    field("version").ok_or("missing field 'version' in [package]")?;
    let entrypoint = field("entrypoint");
    if let Some(e) = &entrypoint {
        if e.trim().is_empty() {
            return Err("[package].entrypoint must not be blank".into());
        }
        if Path::new(e).is_absolute() {
            return Err("[package].entrypoint must be relative to the project root".into());
        }
        if Path::new(e)
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err("[package].entrypoint must stay inside the project root".into());
        }
        if !e.ends_with(".mpl") {
            return Err("[package].entrypoint must end with .mpl".into());
        }
    }
    let warnings = table
        .iter()
        .filter(|(key, _)| !KNOWN_TABLES.contains(&key.as_str()))
        .map(|(key, value)| {
            let array_of_tables = value
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(toml::Value::is_table));
            if value.is_table() || array_of_tables {
                format!("unknown table [{key}] in mesh.toml ignored")
            } else {
                format!("unknown key '{key}' in mesh.toml ignored")
            }
        })
        .collect();
    Ok(Manifest {
        name: Some(name),
        entrypoint,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mesh_syntax::parser::parse_module;
    use mesh_syntax::span::FileId;

    /// Parses each (module name, source) and runs the import check.
    fn imports(modules: &[(&str, &str)]) -> Result<(), String> {
        let asts: Vec<ast::Module> = modules
            .iter()
            .map(|(name, src)| {
                parse_module(FileId(0), src)
                    .module
                    .unwrap_or_else(|| panic!("module {name} parses"))
            })
            .collect();
        let graph: Vec<(&str, &ast::Module)> = modules
            .iter()
            .zip(&asts)
            .map(|((name, _), ast)| (*name, ast))
            .collect();
        check_imports(&graph)
    }

    #[test]
    fn a_module_importing_itself_is_an_error() {
        assert_eq!(
            imports(&[("Main", "import Main\nfn main() = 1\n")]),
            Err("Module 'Main' cannot import itself (import cycle: Main -> Main)".into())
        );
        assert_eq!(
            imports(&[("Api.Router", "from Api.Router import f\n")]),
            Err(
                "Module 'Api.Router' cannot import itself (import cycle: Api.Router -> Api.Router)"
                    .into()
            )
        );
    }

    #[test]
    fn import_cycles_are_reported_as_a_chain() {
        assert_eq!(
            imports(&[("A", "import B\n"), ("B", "from A import f\n")]),
            Err("import cycle: A -> B -> A".into())
        );
        assert_eq!(
            imports(&[
                ("Main", "import A\n"),
                ("A", "import B\n"),
                ("B", "import C\n"),
                ("C", "import A\n"),
            ]),
            Err("import cycle: A -> B -> C -> A".into())
        );
    }

    #[test]
    fn imports_inside_inline_modules_count() {
        assert_eq!(
            imports(&[
                ("A", "module Inner do\n  import B\nend\n"),
                ("B", "import A\n")
            ]),
            Err("import cycle: A -> B -> A".into())
        );
    }

    #[test]
    fn acyclic_graphs_and_outside_modules_pass() {
        // A diamond, repeated imports, the stdlib and an unknown module (sema reports it).
        let ok = imports(&[
            (
                "Main",
                "import A\nimport B\nimport String\nimport Nowhere\n",
            ),
            ("A", "import C\nfrom C import x\n"),
            ("B", "from C import y\n"),
            ("C", "import List\n"),
        ]);
        assert_eq!(ok, Ok(()));
    }

    /// A fresh directory under the system temp dir holding `files` (relative path, text).
    fn project_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("meshc-project-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("a file has a parent"))
                .expect("temp dirs are creatable");
            std::fs::write(&path, text).expect("temp files are writable");
        }
        dir
    }

    fn module_names(project: &Project) -> Vec<&str> {
        project.modules.iter().map(|(_, m)| m.as_str()).collect()
    }

    #[test]
    fn discovery_skips_dot_names_root_target_migrations_and_test_files() {
        let dir = project_dir(
            "discovery",
            &[
                ("main.mpl", ""),
                ("api/router.mpl", ""),
                ("services/rate_limiter.mpl", ""),
                ("tests/support.mpl", ""),
                ("tests/router.test.mpl", ""),
                (".mesh/build/x.mpl", ""),
                ("api/.hidden.mpl", ""),
                ("target/gen.mpl", ""),
                ("migrations/001_init.mpl", ""),
                ("lib/target/kept.mpl", ""),
                ("notes.txt", ""),
            ],
        );
        let project = load(&dir).expect("the project loads");
        assert_eq!(
            module_names(&project),
            [
                "Api.Router",
                "Lib.Target.Kept",
                "Main",
                "Services.RateLimiter",
                "Tests.Support"
            ]
        );
        assert_eq!(project.entry_module, "Main");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn entrypoint_override_keeps_the_path_derived_name() {
        let manifest =
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nentrypoint = \"lib/start.mpl\"\n";
        let dir = project_dir(
            "entrypoint",
            &[("mesh.toml", manifest), ("lib/start.mpl", "")],
        );
        let project = load(&dir).expect("the project loads");
        assert_eq!(project.entry_module, "Lib.Start");
        assert_eq!(project.name, "app");
        std::fs::remove_file(dir.join("lib/start.mpl")).expect("remove");
        let missing = load(&dir)
            .err()
            .map(|e| format!("{e:?}"))
            .unwrap_or_default();
        assert!(
            missing.contains("entrypoint 'lib/start.mpl' not found in project"),
            "{missing}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_project_needs_main_and_distinct_module_names() {
        let dir = project_dir("no_main", &[("lib.mpl", "")]);
        let err = load(&dir)
            .err()
            .map(|e| format!("{e:?}"))
            .unwrap_or_default();
        assert!(err.contains("no main.mpl found in project"), "{err}");
        let dir = project_dir(
            "clash",
            &[
                ("main.mpl", ""),
                ("a_b.mpl", ""),
                ("ab.mpl", ""),
                ("a__b.mpl", ""),
            ],
        );
        let err = load(&dir)
            .err()
            .map(|e| format!("{e:?}"))
            .unwrap_or_default();
        assert!(err.contains("both map to 'AB'"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unknown_manifest_tables_are_ignored_with_a_warning() {
        let m = parse_manifest(
            "edition = 1\n[package]\nname = \"x\"\nversion = \"1\"\n[dependencies]\nfoo = \"1.0\"\n[tools]\na = 1\n[[bin]]\nname = \"b\"\n",
        )
        .map(|m| m.warnings);
        assert_eq!(
            m,
            Ok(vec![
                "unknown table [bin] in mesh.toml ignored".to_string(),
                "unknown key 'edition' in mesh.toml ignored".to_string(),
                "unknown table [tools] in mesh.toml ignored".to_string(),
            ])
        );
        let none = parse_manifest("[package]\nname = \"x\"\nversion = \"1\"\n").map(|m| m.warnings);
        assert_eq!(none, Ok(vec![]));
    }

    #[test]
    fn manifest_entrypoint_and_toml_errors() {
        let entry = |e: &str| {
            parse_manifest(&format!(
                "[package]\nname = \"x\"\nversion = \"1\"\nentrypoint = \"{e}\"\n"
            ))
            .err()
        };
        assert_eq!(
            entry("  ").as_deref(),
            Some("[package].entrypoint must not be blank")
        );
        assert_eq!(
            entry("/abs/main.mpl").as_deref(),
            Some("[package].entrypoint must be relative to the project root")
        );
        assert_eq!(
            entry("lib/start.txt").as_deref(),
            Some("[package].entrypoint must end with .mpl")
        );
        assert_eq!(
            parse_manifest("[package]\nversion = \"1\"\n")
                .err()
                .as_deref(),
            Some("missing field 'name' in [package]")
        );
        let toml = parse_manifest("[package\nname = 1\n")
            .err()
            .unwrap_or_default();
        assert!(toml.contains("line 1"), "{toml}");
    }

    #[test]
    fn module_names_follow_the_path_rule() {
        assert_eq!(module_name(Path::new("main.mpl")), "Main");
        assert_eq!(module_name(Path::new("api/router.mpl")), "Api.Router");
        assert_eq!(
            module_name(Path::new("services/rate_limiter.mpl")),
            "Services.RateLimiter"
        );
    }

    #[test]
    fn manifest_errors_name_the_problem() {
        let ok = parse_manifest("[package]\nname = \"a/b\"\nversion = \"0.1.0\"\n");
        assert_eq!(ok.map(|m| m.name), Ok(Some("a/b".to_string())));
        let missing = parse_manifest("[package]\nname = \"x\"\n").err();
        assert_eq!(
            missing.as_deref(),
            Some("missing field 'version' in [package]")
        );
        let cluster = parse_manifest("[package]\nname = \"x\"\nversion = \"1\"\n[cluster]\n")
            .err()
            .unwrap_or_default();
        assert!(
            cluster.starts_with("[cluster] sections are not supported"),
            "{cluster}"
        );
        let up =
            parse_manifest("[package]\nname = \"x\"\nversion = \"1\"\nentrypoint = \"../a.mpl\"\n")
                .err();
        assert_eq!(
            up.as_deref(),
            Some("[package].entrypoint must stay inside the project root")
        );
    }
}
