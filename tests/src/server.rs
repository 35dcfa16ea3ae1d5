//! Server cases (`# test: server` and `<name>.http`): the program is started with `PORT` set to
//! a free port, the harness waits for `[mesh-rt] HTTP server listening on [::]:<port>` on its
//! stderr, plays the requests of the `.http` script over TCP (to 127.0.0.1, so the dual-stack
//! bind is exercised), compares the responses, then sends SIGTERM and expects the exit status
//! of the header (0 by default: graceful shutdown).
//!
//! Script format: lines before the first `>>>` are comments. Each block is
//!
//! ```text
//! >>> [new] [shut] [drop] [eof] [# comment]
//! <request lines: each sent followed by CRLF, unless it ends with a lone `\`>
//! <<<
//! <expected response: status line, headers but Date, empty line, body>
//! <<<
//! <a second response, for pipelined requests>
//! ```
//!
//! Blocks share one connection until a block says `new` (the first block always opens one).
//! `shut` half-closes the connection after sending, `drop` closes it without reading (the
//! block then has no `<<<` section), `eof` checks that the server closes the connection after
//! the listed responses. Request lines understand `\r`, `\n`, `\xHH`, `\\` and
//! `${repeat:N:text}` (text repeated N times, escapes decoded afterwards). `MESH_BLESS=1`
//! rewrites the response sections from what the server answered.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::process::Status;

/// How long the program may take to print its listening line.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one response (or the server's close) may take.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the program may take to exit after SIGTERM.
const EXIT_TIMEOUT: Duration = Duration::from_secs(10);

/// One `>>>` block of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The `>>>` line as written.
    pub header: String,
    /// The request lines as written.
    pub request: Vec<String>,
    /// The expected responses as written (trailing empty lines removed).
    pub responses: Vec<String>,
    pub new: bool,
    pub shut: bool,
    pub drop: bool,
    pub eof: bool,
}

/// A parsed script: the leading comment lines and the blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub preamble: Vec<String>,
    pub blocks: Vec<Block>,
}

/// Parses a `.http` script.
pub fn parse_script(text: &str) -> Result<Script, String> {
    let mut preamble = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(flags) = line.strip_prefix(">>>") {
            let mut block = Block {
                header: line.to_string(),
                request: Vec::new(),
                responses: Vec::new(),
                new: blocks.is_empty(),
                shut: false,
                drop: false,
                eof: false,
            };
            let flags = flags
                .split_once('#')
                .map_or(flags, |(flags, _comment)| flags);
            for flag in flags.split_whitespace() {
                match flag {
                    "new" => block.new = true,
                    "shut" => block.shut = true,
                    "drop" => block.drop = true,
                    "eof" => block.eof = true,
                    _ => return Err(format!("line {}: unknown block flag `{flag}`", index + 1)),
                }
            }
            blocks.push(block);
        } else if let Some(block) = blocks.last_mut() {
            if line == "<<<" {
                block.responses.push(String::new());
            } else if let Some(response) = block.responses.last_mut() {
                response.push_str(line);
                response.push('\n');
            } else {
                block.request.push(line.to_string());
            }
        } else {
            preamble.push(line.to_string());
        }
    }
    for block in &mut blocks {
        for response in &mut block.responses {
            let trimmed = response.trim_end_matches('\n').to_string();
            *response = trimmed;
        }
        if block.drop && !block.responses.is_empty() {
            return Err(format!(
                "`{}`: a drop block expects no response",
                block.header
            ));
        }
    }
    Ok(Script { preamble, blocks })
}

/// The script text with `responses` in place of each block's.
pub fn render_script(script: &Script, responses: &[Vec<String>]) -> String {
    let mut out = String::new();
    for line in &script.preamble {
        let _ = writeln!(out, "{line}");
    }
    for (block, actual) in script.blocks.iter().zip(responses) {
        let _ = writeln!(out, "{}", block.header);
        for line in &block.request {
            let _ = writeln!(out, "{line}");
        }
        for response in actual {
            let _ = writeln!(out, "<<<");
            if !response.is_empty() {
                let _ = writeln!(out, "{response}");
            }
        }
    }
    out
}

/// The bytes a block's request lines send.
pub fn request_bytes(lines: &[String]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for line in lines {
        let (text, terminate) = match line.strip_suffix('\\') {
            Some(rest) if !rest.ends_with('\\') => (rest, false),
            _ => (line.as_str(), true),
        };
        decode(&expand(text)?, &mut out)?;
        if terminate {
            out.extend_from_slice(b"\r\n");
        }
    }
    Ok(out)
}

/// Expands `${repeat:N:text}`.
fn expand(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${repeat:") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "${repeat:".len()..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("unclosed ${{repeat:…}} in `{text}`"))?;
        let (count, body) = after[..end]
            .split_once(':')
            .ok_or_else(|| format!("`${{repeat:N:text}}` expected in `{text}`"))?;
        let count: usize = count
            .parse()
            .map_err(|_| format!("bad repeat count `{count}`"))?;
        out.push_str(&body.repeat(count));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Decodes `\r`, `\n`, `\xHH` and `\\`.
fn decode(text: &str, out: &mut Vec<u8>) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'r') => out.push(b'\r'),
            Some(b'n') => out.push(b'\n'),
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hex = text
                    .get(i + 2..i + 4)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("bad \\x escape in `{text}`"))?;
                out.push(hex);
                i += 2;
            }
            _ => return Err(format!("bad escape in `{text}`")),
        }
        i += 2;
    }
    Ok(())
}

/// A free loopback port (bound and released; the program binds it right after).
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// What a server case produced.
pub struct ServerRun {
    /// The responses of each block, rendered.
    pub responses: Vec<Vec<String>>,
    /// Problems other than response differences (start, exit status, protocol).
    pub problems: Vec<String>,
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Starts `binary` in `run_dir`, plays `script` and shuts the program down with SIGTERM.
pub fn run_server(binary: &Path, run_dir: &Path, script: &Script) -> Result<ServerRun, String> {
    let port = free_port().map_err(|e| format!("no free port: {e}"))?;
    let mut child = Command::new(binary)
        .current_dir(run_dir)
        .env("MESH_TEST", "1")
        .env("PORT", port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let (lines, stderr_done) = read_stderr(&mut child);
    let stdout_done = read_all(child.stdout.take());
    let mut problems = Vec::new();
    let wanted = format!("[mesh-rt] HTTP server listening on [::]:{port}");
    let started = wait_for_line(&lines, &wanted, START_TIMEOUT);
    let mut responses = Vec::new();
    if started {
        responses = play(port, script, &mut problems);
        signal(&child, "TERM");
    } else {
        problems.push(format!("no `{wanted}` on stderr within {START_TIMEOUT:?}"));
    }
    let status = wait_exit(&mut child, EXIT_TIMEOUT);
    let stdout = stdout_done.recv().unwrap_or_default();
    let stderr = stderr_done.recv().unwrap_or_default();
    Ok(ServerRun {
        responses,
        problems,
        status,
        stdout,
        stderr,
    })
}

/// Forwards stderr lines to a channel while collecting all of it.
fn read_stderr(child: &mut Child) -> (mpsc::Receiver<String>, mpsc::Receiver<Vec<u8>>) {
    let (line_tx, line_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    let stderr = child.stderr.take();
    thread::spawn(move || {
        let mut all = Vec::new();
        if let Some(stderr) = stderr {
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                all.extend_from_slice(&line);
                let _ = line_tx.send(String::from_utf8_lossy(&line).trim_end().to_string());
                line.clear();
            }
        }
        let _ = done_tx.send(all);
    });
    (line_rx, done_rx)
}

fn read_all(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut all = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut all);
        }
        let _ = tx.send(all);
    });
    rx
}

fn wait_for_line(lines: &mpsc::Receiver<String>, wanted: &str, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line == wanted => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
}

/// Sends a signal to the child (by pid, with the `kill` utility).
fn signal(child: &Child, name: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status();
}

/// Waits for the child's exit; kills its process group at the deadline.
fn wait_exit(child: &mut Child, timeout: Duration) -> Status {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return match (status.code(), status.signal()) {
                    (Some(code), _) => Status::Exited(code),
                    (None, Some(signal)) => Status::Signaled(signal),
                    (None, None) => Status::Exited(-1),
                };
            }
            Ok(None) if Instant::now() < deadline => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            _ => {
                let _ = Command::new("kill")
                    .arg("-KILL")
                    .arg(format!("-{}", child.id()))
                    .status();
                let _ = child.wait();
                return Status::TimedOut(timeout);
            }
        }
    }
}

/// Plays every block; returns the rendered responses of each.
fn play(port: u16, script: &Script, problems: &mut Vec<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut conn: Option<TcpStream> = None;
    for block in &script.blocks {
        let mut actual = Vec::new();
        if block.new || conn.is_none() {
            conn = match TcpStream::connect(("127.0.0.1", port)) {
                Ok(stream) => Some(stream),
                Err(e) => {
                    problems.push(format!("`{}`: cannot connect: {e}", block.header));
                    None
                }
            };
        }
        let Some(stream) = conn.as_mut() else {
            out.push(vec!["(no connection)".to_string(); block.responses.len()]);
            continue;
        };
        let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
        let bytes = match request_bytes(&block.request) {
            Ok(bytes) => bytes,
            Err(e) => {
                problems.push(e);
                Vec::new()
            }
        };
        if let Err(e) = stream.write_all(&bytes) {
            problems.push(format!("`{}`: cannot send: {e}", block.header));
        }
        if block.drop {
            conn = None;
            out.push(actual);
            continue;
        }
        if block.shut {
            let _ = stream.shutdown(Shutdown::Write);
        }
        for _ in &block.responses {
            actual.push(read_response(stream));
        }
        if block.eof {
            let mut byte = [0u8; 1];
            match stream.read(&mut byte) {
                Ok(0) => {}
                Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
                Ok(_) => {
                    problems.push(format!("`{}`: more bytes instead of a close", block.header))
                }
                Err(e) => problems.push(format!("`{}`: no close: {e}", block.header)),
            }
            conn = None;
        }
        out.push(actual);
    }
    out
}

/// Reads one response and renders it (status line, headers but `Date`, empty line, body).
fn read_response(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            Ok(_) if head.is_empty() => return "(connection closed)".to_string(),
            Ok(_) => {
                return format!(
                    "(closed inside the head: {:?})",
                    String::from_utf8_lossy(&head)
                )
            }
            Err(e) => return format!("(read failed: {})", e.kind()),
        }
    }
    let head = String::from_utf8_lossy(&head).to_string();
    let mut lines = head.trim_end().split("\r\n");
    let mut out = lines.next().unwrap_or_default().to_string();
    out.push('\n');
    let mut length = 0usize;
    for line in lines {
        let name = line.split(':').next().unwrap_or_default();
        if name.eq_ignore_ascii_case("content-length") {
            length = line[name.len() + 1..].trim().parse().unwrap_or(0);
        }
        if !name.eq_ignore_ascii_case("date") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    let mut body = vec![0u8; length];
    if let Err(e) = stream.read_exact(&mut body) {
        let _ = write!(out, "(body cut short: {})", e.kind());
        return out;
    }
    out.push_str(&String::from_utf8_lossy(&body));
    out.trim_end_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blocks_flags_and_responses() {
        let text = "# c\n>>>\nGET / HTTP/1.1\n\n<<<\nHTTP/1.1 200 OK\n\nhi\n\n>>> new eof\nX\\\n<<<\na\n<<<\nb\n";
        let script = parse_script(text).expect("parses");
        assert_eq!(script.preamble, vec!["# c"]);
        assert_eq!(script.blocks.len(), 2);
        assert!(script.blocks[0].new && !script.blocks[0].eof);
        assert_eq!(script.blocks[0].responses, vec!["HTTP/1.1 200 OK\n\nhi"]);
        assert!(script.blocks[1].new && script.blocks[1].eof);
        assert_eq!(script.blocks[1].responses, vec!["a", "b"]);
        let responses: Vec<Vec<String>> =
            script.blocks.iter().map(|b| b.responses.clone()).collect();
        assert_eq!(
            render_script(&script, &responses),
            text.replace("hi\n\n>>>", "hi\n>>>")
        );
    }

    #[test]
    fn request_lines_get_crlf_escapes_and_repeats() {
        let lines = vec![
            "GET / HTTP/1.1".to_string(),
            "X: ${repeat:3:ab}\\xff".to_string(),
            String::new(),
            "body\\".to_string(),
        ];
        assert_eq!(
            request_bytes(&lines).expect("valid"),
            b"GET / HTTP/1.1\r\nX: ababab\xff\r\n\r\nbody".to_vec()
        );
        assert!(request_bytes(&["\\q".to_string()]).is_err());
        assert!(parse_script(">>> sideways\n").is_err());
    }
}
