//! Build script of meshc: compiles the `meshc init` templates (`templates/<kind>/…`) into a
//! generated table `TEMPLATES: &[(kind, &[(relative path, contents)])]`, so the scaffolds
//! ship inside the one meshc executable. Paths are sorted: the table, and so the files a
//! scaffold writes, are deterministic.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("templates");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut kinds: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("meshc/cli/templates exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    kinds.sort();
    let mut out = String::from("pub(crate) static TEMPLATES: &[(&str, &[TemplateFile])] = &[\n");
    for kind in kinds {
        let name = kind
            .file_name()
            .and_then(|n| n.to_str())
            .expect("template names are UTF-8");
        let mut files = Vec::new();
        collect(&kind, &kind, &mut files);
        files.sort();
        writeln!(out, "    ({name:?}, &[").expect("writing to a String");
        for (relative, path) in files {
            println!("cargo:rerun-if-changed={}", path.display());
            writeln!(
                out,
                "        ({relative:?}, include_bytes!({:?})),",
                path.display().to_string()
            )
            .expect("writing to a String");
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("templates.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Every file below `dir`, as (path relative to `base` with `/` separators, absolute path).
fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir).expect("template folders are readable");
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let relative = path
                .strip_prefix(base)
                .expect("below the template root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, path));
        }
    }
}
