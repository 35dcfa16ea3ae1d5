//! Per-case options read from the header comments of an e2e fixture (STYLE §3.3).
//!
//! The header is the run of blank and `#` comment lines at the top of the `.mpl` file. Lines of
//! the form `# test: key=value [key=value …]` set options; other comments (such as
//! `# expect: E0001 at 3:15`) are for readers and ignored. The first line of code ends the
//! header, so a `# test:` comment further down has no effect.

use std::time::Duration;

/// How long a compiled program may run unless the header says otherwise.
pub const DEFAULT_RUN_TIMEOUT: Duration = Duration::from_secs(10);

/// How long `meshc build` may take for one case.
pub const COMPILE_TIMEOUT: Duration = Duration::from_secs(60);

/// Options of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The exit status the program must end with (`# test: exit=101`).
    pub exit_code: i32,
    /// How long the program may run before it is killed (`# test: timeout=20`, in seconds).
    pub run_timeout: Duration,
    /// The optimisation level the case is built at (`# test: opt=2`, passed as
    /// `meshc build --opt-level`): cases of the MIR and LLVM optimisations.
    pub opt_level: u8,
    /// The program is an HTTP server played by its `<name>.http` script (`# test: server`).
    pub server: bool,
    /// Whether the case gets a fresh PostgreSQL database (`# test: database=postgres`): its
    /// URL is passed as `DATABASE_URL` (tests/src/database.rs).
    pub database: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exit_code: 0,
            run_timeout: DEFAULT_RUN_TIMEOUT,
            opt_level: 0,
            server: false,
            database: false,
        }
    }
}

/// Reads the options from the header of `source`. Unknown keys, malformed values and repeated
/// keys are errors, so a typo in a header fails the case instead of being silently ignored.
pub fn parse_header(source: &str) -> Result<Options, String> {
    let mut options = Options::default();
    let mut seen: Vec<&str> = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let Some(settings) = comment.trim_start().strip_prefix("test:") else {
            continue;
        };
        for setting in settings.split_whitespace() {
            if setting == "server" {
                if options.server {
                    return Err(format!(
                        "line {}: header key `server` given twice",
                        index + 1
                    ));
                }
                options.server = true;
                continue;
            }
            let (key, value) = setting.split_once('=').ok_or_else(|| {
                format!(
                    "line {}: header setting `{setting}` is not `key=value`",
                    index + 1
                )
            })?;
            if seen.contains(&key) {
                return Err(format!(
                    "line {}: header key `{key}` given twice",
                    index + 1
                ));
            }
            seen.push(key);
            apply(&mut options, key, value)
                .map_err(|message| format!("line {}: {message}", index + 1))?;
        }
    }
    Ok(options)
}

fn apply(options: &mut Options, key: &str, value: &str) -> Result<(), String> {
    match key {
        "exit" => {
            options.exit_code = value
                .parse::<u8>()
                .map(i32::from)
                .map_err(|_| format!("`exit={value}`: expected an exit status 0-255"))?;
        }
        "timeout" => {
            let seconds = value
                .parse::<u64>()
                .ok()
                .filter(|seconds| *seconds > 0)
                .ok_or_else(|| {
                    format!("`timeout={value}`: expected a positive number of seconds")
                })?;
            options.run_timeout = Duration::from_secs(seconds);
        }
        "opt" => {
            options.opt_level = value
                .parse::<u8>()
                .ok()
                .filter(|level| *level <= 3)
                .ok_or_else(|| format!("`opt={value}`: expected an optimisation level 0-3"))?;
        }
        "database" => {
            if value != "postgres" {
                return Err(format!("`database={value}`: expected `database=postgres`"));
            }
            options.database = true;
        }
        _ => {
            return Err(format!(
                "unknown header key `{key}` (known: exit, timeout, opt, server, database)"
            ))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_header_gives_defaults() {
        assert_eq!(parse_header("fn main() do\nend\n"), Ok(Options::default()));
    }

    #[test]
    fn reads_exit_and_timeout_among_other_comments() {
        let source = "# A panic case.\n\n# test: exit=101\n#test: timeout=3\nfn main() do\nend\n";
        assert_eq!(
            parse_header(source),
            Ok(Options {
                exit_code: 101,
                run_timeout: Duration::from_secs(3),
                opt_level: 0,
                server: false,
                database: false,
            })
        );
    }

    #[test]
    fn reads_several_settings_on_one_line() {
        let options = parse_header("# test: exit=2 timeout=20 opt=2 database=postgres\n");
        assert_eq!(
            options,
            Ok(Options {
                exit_code: 2,
                run_timeout: Duration::from_secs(20),
                opt_level: 2,
                server: false,
                database: true,
            })
        );
    }

    #[test]
    fn ignores_test_comments_after_the_first_code_line() {
        let source = "fn main() do\n  # test: exit=3\nend\n";
        assert_eq!(parse_header(source), Ok(Options::default()));
    }

    #[test]
    fn ignores_expect_comments() {
        assert_eq!(
            parse_header("# expect: E0001 at 3:15\nfn main() do\nend\n"),
            Ok(Options::default())
        );
    }

    #[test]
    fn reads_the_server_flag() {
        let options = parse_header("# test: server timeout=5\n").expect("valid");
        assert!(options.server);
        assert!(parse_header("# test: server server\n").is_err());
    }

    #[test]
    fn rejects_an_optimisation_level_above_3() {
        assert!(parse_header("# test: opt=4\n").is_err());
    }

    #[test]
    fn rejects_unknown_keys() {
        let error = parse_header("# test: exitcode=1\n");
        assert_eq!(
            error,
            Err(
                "line 1: unknown header key `exitcode` (known: exit, timeout, opt, server, database)"
                    .to_string()
            )
        );
    }

    #[test]
    fn rejects_bad_values() {
        assert!(parse_header("# test: exit=300\n").is_err());
        assert!(parse_header("# test: exit=-1\n").is_err());
        assert!(parse_header("# test: timeout=0\n").is_err());
        assert!(parse_header("# test: timeout=ten\n").is_err());
        assert!(parse_header("# test: timeout\n").is_err());
    }

    #[test]
    fn rejects_repeated_keys() {
        assert_eq!(
            parse_header("# test: exit=1\n# test: exit=2\n"),
            Err("line 2: header key `exit` given twice".to_string())
        );
    }
}
