//! meshc: the Mesh toolchain command line. Parses arguments (clap), dispatches to the driver,
//! prints the single `error: …` line of a failed command, and turns an internal panic into an
//! "internal compiler error" report (spec tooling §0.3).

mod cluster_cmd;
mod driver;
mod fmt_cmd;
mod init;
mod migrate_cmd;
mod parse_cmd;
mod test_cmd;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "meshc",
    version,
    about = "The Mesh compiler and toolchain",
    disable_help_subcommand = false
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct BuildArgs {
    /// Project directory (or a single .mpl file)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Where to write the executable
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// LLVM optimisation level 0-3
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=3), conflicts_with = "release")]
    opt_level: Option<u8>,
    /// Optimise (same as --opt-level 2)
    #[arg(long)]
    release: bool,
    /// Also write textual LLVM IR next to the output
    #[arg(long)]
    emit_llvm: bool,
    /// Diagnostics as JSON lines
    #[arg(long)]
    json: bool,
    /// Plain diagnostics without colour
    #[arg(long)]
    no_color: bool,
    /// Cross-compilation target triple (only the host is supported today)
    #[arg(long)]
    target: Option<String>,
    /// Print an intermediate form instead of building (ast, hir, types, mir)
    #[arg(long, hide = true, value_parser = ["ast", "hir", "types", "mir"])]
    dump: Option<String>,
    /// Print the wall time of each compiler stage to stderr
    #[arg(long)]
    timings: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a project to a native executable
    Build(BuildArgs),
    /// Build then execute a project
    Run {
        #[command(flatten)]
        build: BuildArgs,
        /// Arguments passed to the program
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Parse and type-check without generating code
    Check {
        /// Project directory (or a single .mpl file)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Diagnostics as JSON lines
        #[arg(long)]
        json: bool,
        /// Plain diagnostics without colour
        #[arg(long)]
        no_color: bool,
    },
    /// Create a new project in ./NAME (hello world, or a template)
    Init {
        /// Project name: a letter, then letters, digits, '-' or '_'
        name: String,
        /// The minimal clustered app
        #[arg(long)]
        clustered: bool,
        /// A starter template (available: todo-api)
        #[arg(long)]
        template: Option<String>,
        /// The database of --template todo-api
        #[arg(long, value_enum)]
        db: Option<init::Db>,
    },
    /// Format .mpl files in place (or check / format stdin)
    Fmt {
        /// Files or directories (default: .)
        paths: Vec<PathBuf>,
        /// Write nothing; list files that would change and exit 1 if any
        #[arg(long)]
        check: bool,
        /// Format stdin to stdout
        #[arg(long, conflicts_with = "paths")]
        stdin: bool,
        /// Maximum line width
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(20..))]
        line_width: u16,
        /// Spaces per indentation level
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=8))]
        indent_size: u8,
    },
    /// Run the project's tests (*.test.mpl)
    Test(test_cmd::TestArgs),
    /// Apply, roll back, inspect and create database migrations
    Migrate {
        /// [DIR] [up|down|status|generate NAME], or the action first (default: . up)
        #[arg(num_args = 0..)]
        args: Vec<String>,
    },
    /// Query a running node's runtime-owned cluster state
    Cluster {
        #[command(subcommand)]
        command: cluster_cmd::ClusterCommand,
    },
    /// Parse files and print their syntax trees
    Parse {
        /// Source files (.mpl)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Diagnostic format
        #[arg(long, value_enum, default_value = "human")]
        format: parse_cmd::DiagFormat,
        /// Diagnostics as JSON lines (same as --format json)
        #[arg(long)]
        json: bool,
        /// Plain diagnostics without colour
        #[arg(long)]
        no_color: bool,
    },
    /// Run the language server on stdin/stdout (JSON-RPC)
    Lsp,
}

/// Whether the command reports in JSON lines (`build`/`run`/`check --json`): then its closing
/// error, an internal one included, is a summary object instead of the `error:` line.
static JSON_ERRORS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        const REPORT: &str =
            "this is a bug in meshc; please report it with the program that triggered it";
        if JSON_ERRORS.get() == Some(&true) {
            let message = format!("internal compiler error: {info} ({REPORT})");
            eprintln!("{}", driver::json_summary(&message));
        } else {
            eprintln!("error: internal compiler error: {info}");
            eprintln!("note: {REPORT}");
        }
    }));
    let cli = Cli::parse();
    let json = cli.json_errors();
    let _ = JSON_ERRORS.set(json);
    // The stages recurse over the program's tree; run them on a large stack (see
    // mesh_syntax::parser::COMPILER_STACK) so deep programs compile instead of overflowing.
    let result = std::thread::Builder::new()
        .name("meshc".into())
        .stack_size(mesh_syntax::parser::COMPILER_STACK)
        .spawn(move || run(cli))
        .map_err(|_| ())
        .and_then(|handle| handle.join().map_err(|_| ()));
    match result {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            e.report(json);
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(1),
    }
}

impl Cli {
    fn json_errors(&self) -> bool {
        match &self.command {
            Command::Build(args) | Command::Run { build: args, .. } => args.json,
            Command::Check { json, .. } => *json,
            Command::Parse { format, json, .. } => *json || *format == parse_cmd::DiagFormat::Json,
            _ => false,
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, driver::CliError> {
    match cli.command {
        Command::Build(args) => {
            driver::build(&to_options(&args))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run { build, args } => driver::run(&to_options(&build), &args),
        Command::Check {
            dir,
            json,
            no_color,
        } => {
            let options = driver::BuildOptions {
                dir,
                output: None,
                opt_level: 0,
                emit_llvm: false,
                json,
                color: color_wanted(no_color || json),
                dump: None,
                timings: false,
                for_run: false,
            };
            driver::check(&options)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init {
            name,
            clustered,
            template,
            db,
        } => {
            init::run(&init::InitRequest {
                name,
                clustered,
                template,
                db,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Fmt {
            paths,
            check,
            stdin,
            line_width,
            indent_size,
        } => fmt_cmd::run(&fmt_cmd::FmtRequest {
            paths,
            check,
            stdin,
            options: mesh_syntax::fmt::FmtOptions {
                line_width: usize::from(line_width),
                indent_size: usize::from(indent_size),
            },
            color: color_wanted(false),
        }),
        Command::Test(args) => test_cmd::run(&args.into_options(color_wanted(false))),
        Command::Migrate { args } => migrate_cmd::run(&args),
        Command::Cluster { command } => cluster_cmd::run(&command),
        Command::Parse {
            files,
            format,
            json,
            no_color,
        } => {
            let format = if json {
                parse_cmd::DiagFormat::Json
            } else {
                format
            };
            let json = format == parse_cmd::DiagFormat::Json;
            parse_cmd::run(&files, format, color_wanted(no_color || json))
        }
        Command::Lsp => match mesh_lsp::run_stdio() {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) => Err(driver::CliError::new(format!("language server: {e}"))),
        },
    }
}

fn color_wanted(disabled: bool) -> bool {
    use std::io::IsTerminal;
    !disabled && std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

fn to_options(a: &BuildArgs) -> driver::BuildOptions {
    driver::BuildOptions {
        dir: a.dir.clone(),
        output: a.output.clone(),
        opt_level: a.opt_level.unwrap_or(if a.release { 2 } else { 0 }),
        emit_llvm: a.emit_llvm,
        json: a.json,
        color: color_wanted(a.no_color || a.json),
        dump: a.dump.clone(),
        timings: a.timings,
        for_run: false,
    }
}
