//! `meshc lsp` end to end: a real server process driven over stdio with JSON-RPC messages, as
//! an editor does (spec tooling §1.10): diagnostics of a broken file and their clearing after
//! a fix, hover and definitions around the error and across modules, document symbols,
//! completion, signature help, and a clean shutdown.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// How long a reply may take before the test fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_meshc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("meshc lsp starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .expect("the server answers in time")
    }

    /// Sends a request and returns its result, skipping notifications in between.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.next();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/cli-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir is creatable");
    std::fs::canonicalize(&dir).expect("scratch dir exists")
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

const GEOMETRY: &str = "\
pub struct Point do
  x :: Int
  y :: Int
end

## The squared distance from the origin.
pub fn distance2(p :: Point) -> Int = p.x * p.x + p.y * p.y
";

const MAIN_FIXED: &str = "\
import Geometry
from Geometry import Point

fn main() do
  let p = Point { x: 3, y: 4 }
  let d = Geometry.distance2(p)
  println(\"#{d} #{p.x}\")
end

fn helper() -> Int = 1
";

/// `MAIN_FIXED` with a syntax error in its last function.
fn main_broken() -> String {
    MAIN_FIXED.replace("fn helper() -> Int = 1", "fn helper( -> Int = 1")
}

/// The position of the `n`th occurrence of `needle` in `text`, plus `delta` columns (ASCII).
fn pos(text: &str, needle: &str, n: usize, delta: u32) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(n)
        .map(|(i, _)| i)
        .expect("needle occurs");
    let line = text[..offset].matches('\n').count();
    let col = offset - text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": col as u32 + delta})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["label"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn lsp_session_over_stdio() {
    let dir = scratch("lsp-session");
    std::fs::write(
        dir.join("mesh.toml"),
        "[package]\nname = \"geo\"\nversion = \"0.1.0\"\n",
    )
    .expect("write");
    std::fs::write(dir.join("geometry.mpl"), GEOMETRY).expect("write");
    std::fs::write(dir.join("main.mpl"), MAIN_FIXED).expect("write");
    let main = uri(&dir.join("main.mpl"));
    let geometry = uri(&dir.join("geometry.mpl"));

    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}}),
    );
    let caps = &init["capabilities"];
    assert_eq!(caps["hoverProvider"], json!(true));
    assert_eq!(caps["definitionProvider"], json!(true));
    client.notify("initialized", json!({}));

    // A broken buffer (the file on disk is fine: the buffer wins).
    let broken = main_broken();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main, "languageId": "mesh", "version": 1, "text": broken}}),
    );
    let diags = client.diagnostics(&main);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "P0001");
    assert_eq!(diags[0]["severity"], 1);
    assert_eq!(diags[0]["range"]["start"]["line"], 9);

    // Hover on the intact part: `d` in the interpolation, and a field access.
    let hover = client.request("textDocument/hover", at(&main, pos(&broken, "#{d}", 0, 2)));
    assert_eq!(hover["contents"]["value"], "```mesh\nd: Int\n```");
    let hover = client.request("textDocument/hover", at(&main, pos(&broken, "p.x", 0, 2)));
    assert_eq!(hover["contents"]["value"], "```mesh\nx: Int\n```");
    let hover = client.request(
        "textDocument/hover",
        at(&main, pos(&broken, "distance2", 0, 1)),
    );
    assert_eq!(
        hover["contents"]["value"],
        "```mesh\nfn Geometry.distance2(p: Geometry.Point) -> Int\n```\n\nThe squared distance from the origin."
    );

    // Definition across modules, and of a local.
    let def = client.request(
        "textDocument/definition",
        at(&main, pos(&broken, "distance2", 0, 3)),
    );
    assert_eq!(def["uri"], geometry);
    assert_eq!(def["range"]["start"], pos(GEOMETRY, "distance2", 0, 0));
    let def = client.request(
        "textDocument/definition",
        at(&main, pos(&broken, "#{d}", 0, 2)),
    );
    assert_eq!(def["uri"], main);
    assert_eq!(def["range"]["start"], pos(&broken, "d =", 0, 0));

    let def = client.request(
        "textDocument/definition",
        at(&main, pos(&broken, "Point {", 0, 1)),
    );
    assert_eq!(def["uri"], geometry);
    assert_eq!(def["range"]["start"]["line"], 0);

    // A type in an annotation.
    let def = client.request(
        "textDocument/definition",
        at(&geometry, pos(GEOMETRY, ":: Point", 0, 4)),
    );
    assert_eq!(def["uri"], geometry);
    assert_eq!(def["range"]["start"]["line"], 0);

    // Document symbols of the other module.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": geometry}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["Point", "distance2"]);
    assert_eq!(symbols[0]["children"][1]["name"], "y");

    // Completion of struct fields after `p.` and of locals.
    let typing = broken.replace("println(\"#{d} #{p.x}\")", "p.\n  println(\"#{d}\")");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 2},
               "contentChanges": [{"text": typing}]}),
    );
    client.diagnostics(&main);
    let items = client.request(
        "textDocument/completion",
        at(&main, pos(&typing, "p.\n", 0, 2)),
    );
    let fields = labels(&items);
    assert!(fields.contains(&"x".to_string()) && fields.contains(&"y".to_string()));
    let items = client.request(
        "textDocument/completion",
        at(&main, pos(&typing, "p.\n", 0, 0)),
    );
    let names = labels(&items);
    assert!(names.contains(&"p".to_string()), "{names:?}");
    let items = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": main}, "position": pos(&typing, "Geometry.", 0, 9)}),
    );
    assert!(labels(&items).contains(&"distance2".to_string()));

    // Signature help inside a call's argument list.
    let help = client.request(
        "textDocument/signatureHelp",
        at(&main, pos(&typing, "distance2(p)", 0, 10)),
    );
    assert_eq!(
        help["signatures"][0]["label"],
        "fn Geometry.distance2(p: Geometry.Point) -> Int"
    );
    assert_eq!(help["activeParameter"], 0);

    let help = client.request(
        "textDocument/signatureHelp",
        at(&main, pos(&typing, "println(", 0, 8)),
    );
    assert_eq!(help["signatures"][0]["label"], "println(String) -> ()");
    assert_eq!(help["signatures"][0]["parameters"][0]["label"], "String");

    // Fixing the file clears its diagnostics.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 3},
               "contentChanges": [{"text": MAIN_FIXED}]}),
    );
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());

    // A type error elsewhere shows with the same code and text as `meshc build`.
    let wrong = MAIN_FIXED.replace("= 1", "= \"one\"");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 4},
               "contentChanges": [{"text": wrong}]}),
    );
    let diags = client.diagnostics(&main);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0001");
    assert!(
        diags[0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("expected Int, found String")),
        "{diags:?}"
    );

    // A module created on disk is seen once the client reports the new file.
    let uses_extra =
        MAIN_FIXED.replace("fn helper() -> Int = 1", "fn helper() -> Int = Extra.one()");
    let uses_extra = format!("import Extra\n{uses_extra}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main, "version": 5},
               "contentChanges": [{"text": uses_extra}]}),
    );
    assert!(!client.diagnostics(&main).is_empty());
    std::fs::write(dir.join("extra.mpl"), "pub fn one() -> Int = 1\n").expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&dir.join("extra.mpl")), "type": 1}]}),
    );
    assert_eq!(client.diagnostics(&main), Vec::<Value>::new());

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown, Value::Null);
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("the server exits");
    assert!(status.success());
}

#[test]
fn lsp_help_exits_zero() {
    let out = Command::new(env!("CARGO_BIN_EXE_meshc"))
        .args(["lsp", "--help"])
        .output()
        .expect("meshc runs");
    assert!(out.status.success());
}

#[test]
fn lsp_lone_file_positions_in_utf16_and_close_restores_disk() {
    let dir = scratch("lsp-lone-file");
    let path = dir.join("script.mpl");
    let on_disk = "fn main() do\n  println(\"ok\")\nend\n";
    std::fs::write(&path, on_disk).expect("write");
    let file = uri(&path);
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    // `é` is one UTF-16 unit, `😀` two: the error on `1` is at column 19 (18 in chars, 22 in
    // bytes).
    let buffer = "fn main() do\n  println(\"é😀\" <> 1)\nend\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": file, "languageId": "mesh", "version": 1, "text": buffer}}),
    );
    let diags = client.diagnostics(&file);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "E0001");
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 1, "character": 19})
    );
    assert_eq!(
        diags[0]["range"]["end"],
        json!({"line": 1, "character": 20})
    );
    // Closing the buffer checks the file on disk again.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file}}),
    );
    assert_eq!(client.diagnostics(&file), Vec::<Value>::new());
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("the server exits").success());
}

/// Applies a `TextEdit[]` result (non-overlapping edits, any order) to `text`; positions are
/// ASCII columns here.
fn apply_edits(text: &str, edits: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().expect("line") as usize;
        let col = p["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        (start + col).min(text.len())
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("an array of edits")
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// What `meshc fmt --stdin` makes of `text`.
fn fmt_stdin(text: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meshc"))
        .args(["fmt", "--stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("meshc fmt runs");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("meshc fmt ends");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn lsp_formatting_uses_the_fmt_engine_and_never_breaks_a_file() {
    let dir = scratch("lsp-formatting");
    let path = dir.join("main.mpl");
    std::fs::write(&path, "fn main() do\n  println(\"disk\")\nend\n").expect("write");
    let file = uri(&path);
    let messy = "import List\nfn main() do\n    let xs=[1,2,3]\n  # keep me\n  xs |> List.map(fn x -> x*2 end) |> List.sum() |> println\nend\nfn two( )->Int=2\n";
    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(init["capabilities"]["documentFormattingProvider"], true);
    assert_eq!(
        init["capabilities"]["documentRangeFormattingProvider"],
        true
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": file, "languageId": "mesh", "version": 1, "text": messy}}),
    );
    client.diagnostics(&file);
    let options = json!({"tabSize": 4, "insertSpaces": true});

    // The whole buffer (not the disk text), exactly as `meshc fmt` formats it; the editor's
    // tab size does not change the project's canonical layout.
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": file}, "options": options}),
    );
    let formatted = apply_edits(messy, &edits);
    assert_eq!(formatted, fmt_stdin(messy));
    assert_ne!(formatted, messy);
    assert!(
        formatted.contains("  let xs = [1, 2, 3]\n  # keep me\n"),
        "{formatted}"
    );
    // Edits are line hunks: the unchanged first lines are not part of any edit.
    let first = edits[0]["range"]["start"]["line"].as_u64();
    assert_eq!(first, Some(1), "{edits}");

    // Range formatting of the last function's line only leaves `main` as it is.
    let last = messy.lines().count() - 1;
    let edits = client.request(
        "textDocument/rangeFormatting",
        json!({"textDocument": {"uri": file}, "options": options,
               "range": {"start": {"line": last, "character": 0},
                         "end": {"line": last, "character": 5}}}),
    );
    let partly = apply_edits(messy, &edits);
    assert!(partly.contains("    let xs=[1,2,3]\n"), "{partly}");
    assert!(partly.ends_with("end\n\nfn two() -> Int = 2\n"), "{partly}");

    // A canonical buffer needs no edit.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": 2},
               "contentChanges": [{"text": formatted}]}),
    );
    client.diagnostics(&file);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": file}, "options": options}),
    );
    assert_eq!(edits, json!([]));

    // A buffer that does not parse gets no edits at all.
    let broken = "fn main( do\n    let x=1\nend\n";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": file, "version": 3},
               "contentChanges": [{"text": broken}]}),
    );
    assert_eq!(client.diagnostics(&file)[0]["code"], "P0001");
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": file}, "options": options}),
    );
    assert_eq!(edits, Value::Null);

    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("the server exits").success());
}
