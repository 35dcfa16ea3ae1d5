//! Linking: the system C compiler driver (`cc`, or `MESH_LINKER`) links the object with the
//! runtime archive into an executable. The output is written to a temporary path and renamed
//! into place only on success, so a failed build never leaves a half-written file.

use std::path::Path;
use std::process::Command;

/// Why linking failed, for the user.
#[derive(Debug)]
pub enum LinkError {
    /// The linker could not be started.
    Spawn(String, std::io::Error),
    /// The linker ran and failed; its stderr.
    Failed(String),
    Io(std::io::Error),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::Spawn(linker, e) => write!(f, "could not run the linker '{linker}': {e}"),
            LinkError::Failed(stderr) => write!(f, "linking failed:\n{}", stderr.trim_end()),
            LinkError::Io(e) => write!(f, "could not write the executable: {e}"),
        }
    }
}

/// System libraries the Rust runtime archive needs.
const SYSTEM_LIBS: &[&str] = &[
    "-lpthread",
    "-ldl",
    "-lm",
    "-lrt",
    "-lutil",
    "-lgcc_s",
    "-lc",
];

/// Links `object` with `runtime` into `output`.
pub fn link(object: &Path, runtime: &Path, output: &Path) -> Result<(), LinkError> {
    let linker = std::env::var("MESH_LINKER")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "cc".into());
    let tmp = output.with_file_name(format!(
        ".{}.tmp{}",
        output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    let result = Command::new(&linker)
        .arg(object)
        .arg(runtime)
        .arg("-o")
        .arg(&tmp)
        .args(SYSTEM_LIBS)
        .output()
        .map_err(|e| LinkError::Spawn(linker.clone(), e))?;
    if !result.status.success() {
        let _ = std::fs::remove_file(&tmp);
        return Err(LinkError::Failed(
            String::from_utf8_lossy(&result.stderr).into_owned(),
        ));
    }
    std::fs::rename(&tmp, output).map_err(LinkError::Io)
}
