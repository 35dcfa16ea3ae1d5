//! `Env` logic (stdlib spec §12): environment variables with defaults, and the program's
//! arguments.

use std::ffi::OsStr;

/// `Env.get`: the variable's value when it is set — even to `""` — otherwise `default`.
/// A name that cannot name a variable (empty, containing `=` or NUL) is never set.
pub fn get(key: &str, default: &str) -> String {
    lookup(key).unwrap_or_else(|| default.to_string())
}

/// `Env.get_int`: the value as a base-10 Int with an optional sign and no surrounding space;
/// unset, unparsable or out of range → `default`.
pub fn get_int(key: &str, default: i64) -> i64 {
    lookup(key)
        .and_then(|v| super::string::parse_int(&v))
        .unwrap_or(default)
}

/// `Env.args`: the command-line arguments, element 0 being the program path. Arguments that
/// are not UTF-8 are converted lossily.
pub fn args() -> Vec<String> {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

fn lookup(key: &str) -> Option<String> {
    if key.is_empty() || key.contains(['=', '\0']) {
        return None;
    }
    std::env::var_os(OsStr::new(key)).map(|v| v.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reads variables every test environment has (PATH) or none has; tests never set
    // variables, as that races with other threads reading the environment.

    #[test]
    fn get_falls_back_only_when_unset() {
        let path = std::env::var("PATH").unwrap_or_default();
        assert_eq!(get("PATH", "fallback"), path);
        assert_eq!(
            get("MESH_RT_TEST_SURELY_UNSET_VARIABLE", "fallback"),
            "fallback"
        );
        assert_eq!(get("", "d"), "d");
        assert_eq!(get("A=B", "d"), "d");
        assert_eq!(get("A\0B", "d"), "d");
    }

    #[test]
    fn get_int_uses_default_for_unset_or_invalid() {
        assert_eq!(get_int("MESH_RT_TEST_SURELY_UNSET_VARIABLE", -1), -1);
        assert_eq!(get_int("PATH", 5), 5);
    }

    #[test]
    fn args_start_with_the_program_path() {
        let args = args();
        assert!(!args.is_empty());
    }
}
