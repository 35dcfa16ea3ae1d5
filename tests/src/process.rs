//! Running a child process with a deadline (STYLE §3: child processes get a timeout and are
//! killed with their process group). The child leads a new process group, its output is drained
//! by two reader threads so a chatty child cannot block on a full pipe, and the parent polls
//! `try_wait` with a growing interval until the deadline. Descendants that keep the output
//! pipes open after the child exits count against the same deadline.

use std::fmt;
use std::io::{self, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// How long output may keep arriving after the process group was killed.
const KILL_GRACE: Duration = Duration::from_secs(5);

/// How a finished child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exited normally with this status.
    Exited(i32),
    /// Killed by this signal (not by us).
    Signaled(i32),
    /// Still running, or still holding its output open, when the deadline passed; killed.
    TimedOut(Duration),
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Exited(code) => write!(f, "exit status {code}"),
            Status::Signaled(signal) => match signal_name(*signal) {
                Some(name) => write!(f, "killed by signal {signal} ({name})"),
                None => write!(f, "killed by signal {signal}"),
            },
            Status::TimedOut(after) => {
                write!(f, "timed out after {}s (killed)", after.as_secs_f64())
            }
        }
    }
}

/// Names of the signals a crashing program usually dies of.
fn signal_name(signal: i32) -> Option<&'static str> {
    match signal {
        4 => Some("SIGILL"),
        6 => Some("SIGABRT"),
        7 => Some("SIGBUS"),
        8 => Some("SIGFPE"),
        9 => Some("SIGKILL"),
        11 => Some("SIGSEGV"),
        15 => Some("SIGTERM"),
        _ => None,
    }
}

/// What a child printed and how it ended.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `command` with stdin closed and stdout/stderr captured, killing its whole process group
/// if it runs longer than `timeout`. Errors only when the child cannot be started or waited for.
pub fn run_with_timeout(command: &mut Command, timeout: Duration) -> io::Result<Output> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = command.spawn()?;
    let deadline = Instant::now() + timeout;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let exit = match wait_until(&mut child, deadline) {
        Ok(Some(exit)) => Some(exit),
        Ok(None) => {
            // The child has not been reaped, so its process group still exists and is ours.
            kill_group(&child);
            child.wait()?;
            None
        }
        Err(error) => {
            kill_group(&child);
            // The wait error is the one worth reporting; reaping is best effort here.
            let _ = child.wait();
            return Err(error);
        }
    };
    // After a kill the pipes close as soon as the group is gone; until then the deadline holds.
    let collect_until = match exit {
        Some(_) => deadline,
        None => Instant::now() + KILL_GRACE,
    };
    let mut stdout_bytes = collect(&stdout, collect_until);
    let mut stderr_bytes = collect(&stderr, collect_until);
    let is_still_open = stdout_bytes.is_none() || stderr_bytes.is_none();
    if exit.is_some() && is_still_open {
        // Descendants still hold the pipes, so the group has live members and is still ours.
        kill_group(&child);
        let grace = Instant::now() + KILL_GRACE;
        stdout_bytes = stdout_bytes.or_else(|| collect(&stdout, grace));
        stderr_bytes = stderr_bytes.or_else(|| collect(&stderr, grace));
    }
    let status = match exit {
        Some(exit) if !is_still_open => status_of(exit),
        _ => Status::TimedOut(timeout),
    };
    Ok(Output {
        status,
        stdout: stdout_bytes.unwrap_or_default(),
        stderr: stderr_bytes.unwrap_or_default(),
    })
}

/// Polls `child` until it exits (`Some`) or the deadline passes (`None`).
fn wait_until(child: &mut Child, deadline: Instant) -> io::Result<Option<ExitStatus>> {
    let mut interval = Duration::from_millis(1);
    loop {
        if let Some(exit) = child.try_wait()? {
            return Ok(Some(exit));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        thread::sleep(interval.min(deadline - now));
        interval = (interval * 2).min(Duration::from_millis(50));
    }
}

/// Reads a pipe to its end on a helper thread; the bytes arrive on the returned channel.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> Receiver<Vec<u8>> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            // A read error ends the stream; whatever arrived before it is still reported.
            let _ = pipe.read_to_end(&mut bytes);
        }
        // The receiver is gone only if the runner gave up on this child already.
        let _ = sender.send(bytes);
    });
    receiver
}

/// Waits for a reader until `until`; `None` means the pipe was still open then.
fn collect(receiver: &Receiver<Vec<u8>>, until: Instant) -> Option<Vec<u8>> {
    let remaining = until.saturating_duration_since(Instant::now());
    match receiver.recv_timeout(remaining) {
        Ok(bytes) => Some(bytes),
        Err(RecvTimeoutError::Disconnected) => Some(Vec::new()),
        Err(RecvTimeoutError::Timeout) => None,
    }
}

fn status_of(exit: ExitStatus) -> Status {
    match (exit.code(), exit.signal()) {
        (Some(code), _) => Status::Exited(code),
        (None, Some(signal)) => Status::Signaled(signal),
        (None, None) => Status::Signaled(0),
    }
}

/// Sends SIGKILL to the process group led by `child`.
fn kill_group(child: &Child) {
    const SIGKILL: i32 = 9;
    extern "C" {
        fn kill(pid: i32, signal: i32) -> i32;
    }
    let Ok(group) = i32::try_from(child.id()) else {
        return;
    };
    // SAFETY: kill(2) takes plain integers and touches no memory of ours. The group id is the
    // child's pid (process_group(0)); callers only use it while the group is known to exist.
    // The result is ignored: ESRCH just means everyone in the group has exited already.
    unsafe {
        kill(-group, SIGKILL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(script: &str, timeout: Duration) -> Output {
        run_with_timeout(Command::new("sh").args(["-c", script]), timeout)
            .expect("sh is available on every test machine")
    }

    #[test]
    fn captures_output_and_exit_status() {
        let output = shell("echo out; echo err >&2; exit 3", Duration::from_secs(10));
        assert_eq!(output.status, Status::Exited(3));
        assert_eq!(output.stdout, b"out\n");
        assert_eq!(output.stderr, b"err\n");
    }

    #[test]
    fn reports_signals() {
        let output = shell("kill -TERM $$", Duration::from_secs(10));
        assert_eq!(output.status, Status::Signaled(15));
        assert_eq!(output.status.to_string(), "killed by signal 15 (SIGTERM)");
    }

    #[test]
    fn kills_a_child_that_runs_too_long() {
        let started = Instant::now();
        let output = shell("echo early; exec sleep 30", Duration::from_millis(300));
        assert_eq!(output.status, Status::TimedOut(Duration::from_millis(300)));
        assert_eq!(output.stdout, b"early\n");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn kills_descendants_that_keep_the_output_open() {
        let started = Instant::now();
        let output = shell("sleep 30 & echo parent done", Duration::from_millis(300));
        assert_eq!(output.status, Status::TimedOut(Duration::from_millis(300)));
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn drains_large_output_without_blocking() {
        let output = shell("head -c 1000000 /dev/zero", Duration::from_secs(10));
        assert_eq!(output.status, Status::Exited(0));
        assert_eq!(output.stdout.len(), 1_000_000);
    }
}
