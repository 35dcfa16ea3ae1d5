//! Projects: the manifest (`mesh.toml`), module discovery and path → module naming
//! (spec tooling §2).

use crate::driver::CliError;
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
}

/// Loads the project at `dir`, or a single-file program when `dir` is a `.mpl` file (module
/// `Main`, named after the file stem).
pub fn load(dir: &Path) -> Result<Project, CliError> {
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
        });
    }
    if !dir.is_dir() {
        return Err(CliError::new(format!(
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
        .map_err(|e| CliError::new(format!("cannot read project '{}': {e}", dir.display())))?;
    files.sort();
    let mut modules: Vec<(PathBuf, String)> = Vec::new();
    for rel in files {
        let module = module_name(&rel);
        if let Some((other, _)) = modules.iter().find(|(_, m)| *m == module) {
            return Err(CliError::new(format!(
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
            return Err(CliError::new(format!(
                "entrypoint '{entry_rel}' not found in project '{}'",
                dir.display()
            )));
        }
        return Err(CliError::new(format!(
            "no main.mpl found in project '{}'",
            dir.display()
        )));
    }
    Ok(Project {
        name,
        root: dir.to_path_buf(),
        modules,
        entry_module,
    })
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
}

fn read_manifest(dir: &Path) -> Result<Manifest, CliError> {
    let path = dir.join("mesh.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Manifest::default());
    };
    parse_manifest(&text)
        .map_err(|m| CliError::new(format!("Failed to parse {}: {m}", path.display())))
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
    Ok(Manifest {
        name: Some(name),
        entrypoint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
