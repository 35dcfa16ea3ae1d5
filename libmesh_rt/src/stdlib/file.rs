//! `File` logic (stdlib spec §12): whole-file reads and writes with plain blocking `std::fs`.
//! Errors are the OS error text (`No such file or directory (os error 2)`), which programs may
//! show or match on. Relative paths resolve against the process working directory.
//!
//! TODO(issue 6): run these on the scheduler's blocking pool (STYLE §1.3) once it exists.

use std::io::Write;

/// `File.read`: the whole file as UTF-8.
pub fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

/// `File.write`: creates or truncates `path`, then writes `contents`.
pub fn write(path: &str, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| e.to_string())
}

/// `File.append`: creates `path` if missing, then appends `contents`.
pub fn append(path: &str, contents: &str) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(contents.as_bytes()))
        .map_err(|e| e.to_string())
}

/// `File.exists`: true for files and directories (following symbolic links).
pub fn exists(path: &str) -> bool {
    std::path::Path::new(path).exists()
}

/// `File.delete`: removes a file; a missing file (or a directory) is an error.
pub fn delete(path: &str) -> Result<(), String> {
    std::fs::remove_file(path).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> String {
        let dir = std::env::temp_dir().join(format!("mesh_rt_file_{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        dir.join(name).to_string_lossy().into_owned()
    }

    #[test]
    fn write_append_read_delete_round_trip() {
        let path = scratch("round_trip.txt");
        assert_eq!(write(&path, "héllo\n"), Ok(()));
        assert!(exists(&path));
        assert_eq!(append(&path, "world"), Ok(()));
        assert_eq!(read(&path).as_deref(), Ok("héllo\nworld"));
        assert_eq!(write(&path, "x"), Ok(()));
        assert_eq!(read(&path).as_deref(), Ok("x"));
        assert_eq!(delete(&path), Ok(()));
        assert!(!exists(&path));
    }

    #[test]
    fn missing_files_report_the_os_error() {
        let path = scratch("missing.txt");
        let not_found = "No such file or directory (os error 2)".to_string();
        assert_eq!(read(&path), Err(not_found.clone()));
        assert_eq!(delete(&path), Err(not_found));
        let appended = scratch("appended.txt");
        assert_eq!(append(&appended, "a"), Ok(()));
        assert_eq!(read(&appended).as_deref(), Ok("a"));
        assert_eq!(delete(&appended), Ok(()));
    }

    #[test]
    fn invalid_utf8_and_directories_are_errors() {
        let path = scratch("bytes.bin");
        std::fs::write(&path, [0xff, 0xfe]).expect("temp file is writable");
        assert!(read(&path).is_err());
        assert_eq!(delete(&path), Ok(()));
        let dir = std::env::temp_dir();
        assert!(exists(&dir.to_string_lossy()));
        assert!(delete(&dir.to_string_lossy()).is_err());
    }
}
