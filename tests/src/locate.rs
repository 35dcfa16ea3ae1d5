//! Where the suite finds things: the repository root (meshc runs there so diagnostics show
//! stable relative paths), the fixtures, the `meshc` binary under test and a scratch directory.
//! `meshc` comes from `MESHC` or from the cargo profile directory the test binary was built
//! into (`target/debug/deps/e2e-…` → `target/debug/meshc`), beside `libmesh_rt.a`.

use std::env;
use std::path::{Path, PathBuf};

/// What to build when the binaries are missing.
const BUILD_HINT: &str = "run `cargo build -p meshc -p mesh_rt` first (or set MESHC)";

/// The repository root (the parent of this crate's directory).
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The root of the e2e fixtures, `tests/e2e`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e")
}

/// The cargo profile directory holding the running test binary (`target/debug`).
pub fn profile_dir() -> Result<PathBuf, String> {
    let exe = env::current_exe()
        .map_err(|error| format!("cannot locate the test executable: {error}"))?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "test executable {} is not inside a target directory",
                exe.display()
            )
        })
}

/// Where each case gets its scratch directory: `target/e2e-tmp`.
pub fn scratch_root(profile_dir: &Path) -> PathBuf {
    match profile_dir.parent() {
        Some(target_dir) => target_dir.join("e2e-tmp"),
        None => env::temp_dir().join("mesh-e2e-tmp"),
    }
}

/// The `meshc` to test: `MESHC` when set (a relative path is taken from the repository root), else `<profile dir>/meshc`, which must exist beside `libmesh_rt.a` (unless
/// `MESH_RT_LIB_PATH` points meshc elsewhere).
pub fn meshc(profile_dir: &Path) -> Result<PathBuf, String> {
    if let Some(value) = env::var_os("MESHC").filter(|value| !value.is_empty()) {
        let path = PathBuf::from(value);
        if path.components().count() == 1 && !path.is_absolute() {
            return Ok(path); // A bare command name, looked up in PATH.
        }
        // Tests run in this crate's directory; the repository root is the stable anchor.
        let path = repo_root().join(path);
        if !path.is_file() {
            return Err(format!(
                "MESHC is set to {}, which is not a file",
                path.display()
            ));
        }
        return Ok(path);
    }
    let meshc = profile_dir.join("meshc");
    if !meshc.is_file() {
        return Err(format!(
            "meshc not found at {}: {BUILD_HINT}",
            meshc.display()
        ));
    }
    let runtime = profile_dir.join("libmesh_rt.a");
    if env::var_os("MESH_RT_LIB_PATH").is_none() && !runtime.is_file() {
        return Err(format!(
            "the Mesh runtime library is missing at {}: {BUILD_HINT}",
            runtime.display()
        ));
    }
    Ok(meshc)
}
