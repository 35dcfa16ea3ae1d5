//! The commands the site shows as runnable (every line of a ```` ```sh ```` block) and the
//! manifest `website/commands.toml` that says how CI checks each one:
//!
//! * `[[scenario]]` — steps run in order in a fresh directory under `target/docs-tmp`, with the
//!   `meshc` under test first on `PATH`: `run` (through `bash -c`, must exit 0, `expect` is a
//!   substring of its output; `cd DIR` moves the scenario), `serve` (started in the background
//!   with `PORT` set to a free port, waited on until it accepts connections, stopped at the end;
//!   later steps' `localhost:<port>` is rewritten to the real port).
//! * `[[checked]]` with `how = "help"` — needs a cloud account, a database or a running
//!   cluster; `probe` (the command's `--help` form) must exit 0 and print its usage.
//! * `how = "ci"` — run by CI through another file: `script` must exist and `via` (default
//!   `scripts/test.sh`; e.g. a verify script or a cargo test file that CI runs) must name it
//!   (or contain the text `contains`).
//! * `how = "bench"` — a benchmark (too slow for CI): `script` must parse (`bash -n`) and every
//!   `.mpl` file under `programs` must pass `meshc check`.
//! * `how = "pending-cluster"` — a command of the clustered features not built yet; listed so
//!   the integrator can move it to a scenario once they land.
//!
//! The manifest and the pages must agree exactly: a command on a page that the manifest lacks,
//! or a manifest command no page shows, fails.

use std::collections::BTreeSet;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use mesh_tests::process::{run_with_timeout, Status};

use crate::markdown::{blocks, Page};

const STEP_TIMEOUT: Duration = Duration::from_secs(600);
const SERVE_READY: Duration = Duration::from_secs(300);

/// A runnable command shown on a page.
pub struct Shown {
    pub command: String,
    pub location: String,
}

/// Every command line of every ```sh block: comments dropped, `\` continuations joined.
pub fn shown(pages: &[Page]) -> Vec<Shown> {
    let mut out = Vec::new();
    for page in pages {
        for block in blocks(page) {
            if block.lang != "sh" {
                continue;
            }
            let mut pending = String::new();
            for line in block.body.lines() {
                let line = strip_comment(line);
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                if let Some(head) = line.strip_suffix('\\') {
                    pending.push_str(head.trim_end());
                    pending.push(' ');
                    continue;
                }
                pending.push_str(line);
                out.push(Shown {
                    command: std::mem::take(&mut pending),
                    location: block.location(),
                });
            }
        }
    }
    out
}

/// The line without a `#` comment that starts outside quotes after white space (or at the start).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..i],
            None => {}
        }
        previous = c;
    }
    line
}

/// The parsed manifest.
pub struct Manifest {
    pub scenarios: Vec<Scenario>,
    pub checked: Vec<Checked>,
}

pub struct Scenario {
    pub name: String,
    pub steps: Vec<Step>,
}

pub enum Step {
    Run {
        command: String,
        expect: Option<String>,
    },
    Serve {
        command: String,
        port: u16,
    },
}

pub struct Checked {
    pub command: String,
    pub how: String,
    pub probe: Option<String>,
    pub script: Option<String>,
    pub via: Option<String>,
    pub programs: Option<String>,
    /// Text `via` must contain (default: the script's file name).
    pub contains: Option<String>,
}

pub fn manifest(text: &str) -> Result<Manifest, String> {
    let root: toml::Table = text
        .parse()
        .map_err(|e| format!("website/commands.toml: {e}"))?;
    let mut scenarios = Vec::new();
    for value in root
        .get("scenario")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default()
    {
        let name = str_field(&value, "name")?;
        let mut steps = Vec::new();
        for step in value
            .get("steps")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default()
        {
            if let Some(command) = step.get("run").and_then(|v| v.as_str()) {
                let expect = step
                    .get("expect")
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                steps.push(Step::Run {
                    command: command.to_string(),
                    expect,
                });
            } else if let Some(command) = step.get("serve").and_then(|v| v.as_str()) {
                let port = step
                    .get("port")
                    .and_then(|v| v.as_integer())
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or_else(|| {
                        format!("scenario {name}: serve needs port = N (the port the page shows)")
                    })?;
                steps.push(Step::Serve {
                    command: command.to_string(),
                    port,
                });
            } else {
                return Err(format!(
                    "scenario {name}: a step needs run = … or serve = …"
                ));
            }
        }
        scenarios.push(Scenario { name, steps });
    }
    let mut checked = Vec::new();
    for value in root
        .get("checked")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default()
    {
        let command = str_field(&value, "command")?;
        let how = str_field(&value, "how")?;
        let probe = value
            .get("probe")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let script = value
            .get("script")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let via = value
            .get("via")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let programs = value
            .get("programs")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let contains = value
            .get("contains")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        match how.as_str() {
            "help" if probe.is_none() => {
                return Err(format!("{command}: how = \"help\" needs probe = …"))
            }
            "ci" | "bench" if script.is_none() => {
                return Err(format!("{command}: how = \"{how}\" needs script = …"))
            }
            "help" | "ci" | "bench" | "pending-cluster" => {}
            other => return Err(format!("{command}: unknown how = \"{other}\"")),
        }
        checked.push(Checked {
            command,
            how,
            probe,
            script,
            via,
            programs,
            contains,
        });
    }
    Ok(Manifest { scenarios, checked })
}

fn str_field(value: &toml::Value, key: &str) -> Result<String, String> {
    value
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("website/commands.toml: an entry lacks {key} = \"…\""))
}

impl Manifest {
    /// Every command the manifest covers.
    pub fn commands(&self) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for scenario in &self.scenarios {
            for step in &scenario.steps {
                match step {
                    Step::Run { command, .. } | Step::Serve { command, .. } => {
                        all.insert(command.clone())
                    }
                };
            }
        }
        for checked in &self.checked {
            all.insert(checked.command.clone());
        }
        all
    }
}

/// The pages and the manifest list the same commands.
pub fn agree(shown: &[Shown], manifest: &Manifest) -> Result<(), String> {
    let listed = manifest.commands();
    let on_pages: BTreeSet<&str> = shown.iter().map(|s| s.command.as_str()).collect();
    let mut problems = Vec::new();
    for s in shown {
        if !listed.contains(&s.command) {
            problems.push(format!(
                "{}: `{}` is not in website/commands.toml",
                s.location, s.command
            ));
        }
    }
    for command in &listed {
        // `cd` steps move a scenario; they need not be shown on their own.
        if !on_pages.contains(command.as_str()) && !command.starts_with("cd ") {
            problems.push(format!(
                "website/commands.toml lists `{command}`, which no page shows"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// A directory with a `meshc` link to the compiler under test, for `PATH`.
pub fn bin_dir(scratch: &Path, meshc: &Path) -> Result<PathBuf, String> {
    // One directory per test process: nextest runs each trial in a process of its own.
    let bin = scratch.join(format!("bin-{}", std::process::id()));
    fs::create_dir_all(&bin).map_err(|e| format!("cannot create {}: {e}", bin.display()))?;
    let link = bin.join("meshc");
    let _ = fs::remove_file(&link);
    let target = if meshc.is_absolute() {
        meshc.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(meshc)
    };
    std::os::unix::fs::symlink(&target, &link)
        .map_err(|e| format!("cannot link {}: {e}", link.display()))?;
    Ok(bin)
}

fn path_with(bin: &Path) -> String {
    match std::env::var("PATH") {
        Ok(path) => format!("{}:{path}", bin.display()),
        Err(_) => bin.display().to_string(),
    }
}

/// Runs a scenario's steps in a fresh directory.
pub fn run_scenario(scenario: &Scenario, scratch: &Path, bin: &Path) -> Result<(), String> {
    let root = scratch.join(format!("scenario-{}", scenario.name));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let mut cwd = root.clone();
    let mut servers: Vec<Child> = Vec::new();
    let mut ports: Vec<(u16, u16)> = Vec::new();
    let result = (|| {
        for step in &scenario.steps {
            match step {
                Step::Run { command, expect } => {
                    if let Some(dir) = command.strip_prefix("cd ") {
                        cwd = cwd.join(dir.trim());
                        if !cwd.is_dir() {
                            return Err(format!(
                                "`{command}`: {} is not a directory",
                                cwd.display()
                            ));
                        }
                        continue;
                    }
                    let mut actual = command.clone();
                    for (shown, real) in &ports {
                        actual = actual
                            .replace(&format!("localhost:{shown}"), &format!("localhost:{real}"));
                    }
                    let mut child = Command::new("bash");
                    child
                        .arg("-c")
                        .arg(&actual)
                        .current_dir(&cwd)
                        .env("PATH", path_with(bin));
                    let out = run_with_timeout(&mut child, STEP_TIMEOUT)
                        .map_err(|e| format!("cannot run `{actual}`: {e}"))?;
                    let text = format!(
                        "{}{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    );
                    if out.status != Status::Exited(0) {
                        return Err(format!(
                            "`{command}` in {} failed ({}):\n{text}",
                            cwd.display(),
                            out.status
                        ));
                    }
                    if let Some(want) = expect {
                        if !text.contains(want.as_str()) {
                            return Err(format!(
                                "`{command}` did not print `{want}`; it printed:\n{text}"
                            ));
                        }
                    }
                }
                Step::Serve { command, port } => {
                    let real = free_port()?;
                    let log = root.join(format!("serve-{real}.log"));
                    let file = fs::File::create(&log)
                        .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
                    let err = file.try_clone().map_err(|e| e.to_string())?;
                    let child = Command::new("bash")
                        .arg("-c")
                        .arg(format!("exec {command}"))
                        .current_dir(&cwd)
                        .env("PATH", path_with(bin))
                        .env("PORT", real.to_string())
                        .stdin(Stdio::null())
                        .stdout(file)
                        .stderr(err)
                        .process_group(0)
                        .spawn()
                        .map_err(|e| format!("cannot start `{command}`: {e}"))?;
                    servers.push(child);
                    wait_for_port(real, servers.last_mut().expect("just pushed"), &log)?;
                    ports.push((*port, real));
                }
            }
        }
        Ok(())
    })();
    for mut server in servers {
        let pid = server.id();
        // `--` so the negative number is read as a process group, not as a signal.
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--"])
            .arg(format!("-{pid}"))
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && matches!(server.try_wait(), Ok(None)) {
            thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--"])
            .arg(format!("-{pid}"))
            .status();
        let _ = server.wait();
    }
    if result.is_ok() {
        let _ = fs::remove_dir_all(&root);
    }
    result
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn wait_for_port(port: u16, child: &mut Child, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + SERVE_READY;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            let text = fs::read_to_string(log).unwrap_or_default();
            return Err(format!(
                "the server exited ({status}) before listening on {port}:\n{text}"
            ));
        }
        thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "the server did not listen on {port} within {}s",
        SERVE_READY.as_secs()
    ))
}

/// The `--help` probes, the CI scripts and the benchmarks.
pub fn check_other(
    manifest: &Manifest,
    repo: &Path,
    bin: &Path,
    meshc: &Path,
) -> Result<(), String> {
    let mut problems = Vec::new();
    for checked in &manifest.checked {
        let result = match checked.how.as_str() {
            "help" => check_help(checked, repo, bin),
            "ci" => check_ci(checked, repo),
            "bench" => check_bench(checked, repo, meshc),
            _ => Ok(()),
        };
        if let Err(problem) = result {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn check_help(checked: &Checked, repo: &Path, bin: &Path) -> Result<(), String> {
    let probe = checked.probe.as_deref().unwrap_or_default();
    let mut child = Command::new("bash");
    child
        .arg("-c")
        .arg(probe)
        .current_dir(repo)
        .env("PATH", path_with(bin));
    let out = run_with_timeout(&mut child, STEP_TIMEOUT)
        .map_err(|e| format!("cannot run `{probe}`: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status == Status::Exited(0) && stdout.to_lowercase().contains("usage") {
        return Ok(());
    }
    Err(format!(
        "`{probe}` (the check of `{}`) failed ({}): {stdout}{}",
        checked.command,
        out.status,
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn check_ci(checked: &Checked, repo: &Path) -> Result<(), String> {
    let script = checked.script.as_deref().unwrap_or_default();
    if !repo.join(script).is_file() {
        return Err(format!("`{}`: {script} does not exist", checked.command));
    }
    let via = checked.via.as_deref().unwrap_or("scripts/test.sh");
    if via == script && checked.contains.is_none() {
        return Ok(());
    }
    let text = fs::read_to_string(repo.join(via))
        .map_err(|e| format!("`{}`: cannot read {via}: {e}", checked.command))?;
    let name = Path::new(script)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(script);
    let stem = name.split('.').next().unwrap_or(name);
    let found = match checked.contains.as_deref() {
        Some(wanted) => text.contains(wanted),
        None => {
            text.contains(script) || text.contains(name) || (stem.len() > 8 && text.contains(stem))
        }
    };
    if found {
        Ok(())
    } else {
        Err(format!(
            "`{}`: {via} does not run {script}",
            checked.command
        ))
    }
}

fn check_bench(checked: &Checked, repo: &Path, meshc: &Path) -> Result<(), String> {
    let script = checked.script.as_deref().unwrap_or_default();
    let mut syntax = Command::new("bash");
    syntax.arg("-n").arg(repo.join(script));
    let out = run_with_timeout(&mut syntax, STEP_TIMEOUT)
        .map_err(|e| format!("cannot run bash -n {script}: {e}"))?;
    if out.status != Status::Exited(0) {
        return Err(format!(
            "`{}`: {script} does not parse: {}",
            checked.command,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let Some(programs) = checked.programs.as_deref() else {
        return Ok(());
    };
    let dir = repo.join(programs);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("`{}`: cannot list {programs}: {e}", checked.command))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "mpl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "`{}`: {programs} holds no .mpl program",
            checked.command
        ));
    }
    for file in files {
        let mut check = Command::new(meshc);
        check.arg("check").arg(&file);
        let out = run_with_timeout(&mut check, STEP_TIMEOUT)
            .map_err(|e| format!("cannot run meshc: {e}"))?;
        if out.status != Status::Exited(0) {
            return Err(format!(
                "`{}`: {} does not compile:\n{}",
                checked.command,
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    Ok(())
}
