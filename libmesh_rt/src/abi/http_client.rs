//! The HTTP client's C ABI (stdlib §19: `Http.*`, legacy `HTTP.get/post`) over
//! `http/client/` (builder, engine, pool, stream).
//!
//! Representations: an `HttpRequest` is an opaque string, the request's JSON text
//! (`HttpRequest::to_value_text`); an `HttpClient` is the opaque string `#HttpClient<id>` and
//! a `StreamHandle` `#StreamHandle<id>`, naming entries of process-wide tables, so all three
//! are plain values that can be sent between processes. `HttpResponse` is the pre-declared
//! struct `{ status :: Int, body :: String, headers :: Map<String, String> }` (sema
//! `declare_builtin_adts`), built here from the descriptor of the call's result type.
//!
//! `send`, `send_with`, `get` and `post` park the calling process while the request is in
//! flight (ABI attribute `suspends`); `stream` starts a background process.

use crate::http::client::engine::{self, Flow};
use crate::http::client::{pool, stream, ClientResponse, HttpRequest};
use crate::mem::Fragment;
use crate::stdlib::option;
use crate::value::generic::object;
use crate::value::map::{Kind, Table};
use crate::value::string::{alloc_concat, alloc_str, as_str, bytes};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// The request of an `HttpRequest` value.
///
/// # Safety
/// `req` must be a live Mesh string.
unsafe fn request(req: *mut u8) -> HttpRequest {
    // SAFETY: forwarded contract.
    let text = unsafe { as_str(req) };
    match HttpRequest::from_value_text(text) {
        Some(r) => r,
        None => crate::fail::panic_with("invalid HttpRequest value"),
    }
}

fn value(req: &HttpRequest) -> *mut u8 {
    alloc_str(&req.to_value_text())
}

/// The id in a `#Name<id>` handle string (0, an unknown id, when malformed).
///
/// # Safety
/// `handle` must be a live Mesh string.
unsafe fn handle_id(handle: *mut u8) -> u64 {
    // SAFETY: forwarded contract.
    let text = unsafe { as_str(handle) };
    text.rsplit('<')
        .next()
        .and_then(|rest| rest.strip_suffix('>'))
        .and_then(|id| id.parse().ok())
        .unwrap_or(0)
}

/// `Http.build(method, url)`.
///
/// # Safety
/// `method` (an Atom: its name) and `url` must be live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_build(method: *mut u8, url: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (method, url) = unsafe { (as_str(method), as_str(url)) };
    value(&HttpRequest::build(method, url))
}

/// `Http.header(req, name, value)`.
///
/// # Safety
/// All arguments must be live Mesh strings (`req` an HttpRequest).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_header(
    req: *mut u8,
    name: *mut u8,
    val: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (req, name, val) = unsafe { (request(req), as_str(name), as_str(val)) };
    value(&req.header(name, val))
}

/// `Http.body(req, body)`.
///
/// # Safety
/// Both arguments must be live Mesh strings (`req` an HttpRequest).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_body(req: *mut u8, body: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (req, body) = unsafe { (request(req), as_str(body)) };
    value(&req.body(body))
}

/// `Http.json(req, body)`.
///
/// # Safety
/// Both arguments must be live Mesh strings (`req` an HttpRequest).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_json(req: *mut u8, body: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (req, body) = unsafe { (request(req), as_str(body)) };
    value(&req.json(body))
}

/// `Http.query(req, name, value)`.
///
/// # Safety
/// All arguments must be live Mesh strings (`req` an HttpRequest).
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_query(
    req: *mut u8,
    name: *mut u8,
    val: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (req, name, val) = unsafe { (request(req), as_str(name), as_str(val)) };
    value(&req.query(name, val))
}

/// `Http.timeout(req, ms)`; a negative timeout counts as 0 (an immediate `TIMEOUT`).
///
/// # Safety
/// `req` must be a live HttpRequest.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_timeout(req: *mut u8, ms: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    let req = unsafe { request(req) };
    value(&req.timeout(u64::try_from(ms).unwrap_or(0)))
}

/// Builds `Ok(HttpResponse { status, body, headers })` or `Err(text)` of the result type
/// `desc` (`Result<HttpResponse, String>`).
///
/// # Safety
/// `desc` must be that descriptor.
unsafe fn response_result(desc: *mut u8, result: Result<ClientResponse, String>) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    match result {
        // SAFETY: forwarded contract.
        Err(text) => unsafe { option::err(desc, alloc_str(&text) as u64) },
        Ok(response) => {
            // SAFETY: forwarded contract: a live SUM desc whose `Ok` case holds the struct.
            let result_desc = unsafe { Desc::from_ptr(desc) };
            let ok_case = (0..result_desc.count())
                .map(|i| result_desc.item(i))
                .find(|case| case.name() == "Ok")
                .unwrap_or_else(|| result_desc.item(0));
            let struct_desc = ok_case.item(0);
            // SAFETY: `struct_desc` is the HttpResponse struct desc.
            let obj = unsafe { response_struct(struct_desc, &response) };
            // SAFETY: forwarded contract.
            unsafe { option::ok(desc, obj as u64) }
        }
    }
}

/// The fields of `HttpResponse`.
const RESPONSE_FIELDS: usize = 3;

/// Allocates the `HttpResponse` struct of `desc` (fields found by name).
///
/// # Safety
/// `desc` must be the `HttpResponse` struct desc (status Int, body String, headers
/// `Map<String, String>`).
unsafe fn response_struct(desc: Desc, response: &ClientResponse) -> *mut u8 {
    // On the stack: the collector scans the native stack conservatively, so the strings and
    // the map made below stay alive until the struct holds them.
    let mut words = [0u64; RESPONSE_FIELDS];
    let fields = desc.count().min(RESPONSE_FIELDS);
    for (i, word) in words.iter_mut().enumerate().take(fields) {
        *word = match desc.field_name(i) {
            Some("status") => u64::from(response.status),
            Some("body") => alloc_str(&response.body) as u64,
            Some("headers") => {
                let kind = Kind::of(desc.item(i));
                let mut table = Table::empty(kind);
                for (name, val) in &response.headers {
                    let (k, v) = (alloc_str(name) as u64, alloc_str(val) as u64);
                    // SAFETY: keys and values are live strings, as the map desc says.
                    table = unsafe { table.put(kind, k, v) };
                }
                table.as_word()
            }
            _ => 0,
        };
    }
    let words = std::hint::black_box(words);
    object::alloc_tuple(desc, &words[..fields])
}

/// `Http.send(req)`: parks the calling process while the request is in flight.
///
/// # Safety
/// `desc` must be the `Result<HttpResponse, String>` descriptor; `req` a live HttpRequest.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_send(desc: *mut u8, req: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let req = unsafe { request(req) };
    let result = engine::send(&req);
    // SAFETY: forwarded contract.
    unsafe { response_result(desc, result) }
}

/// `Http.client()`: a new keep-alive pool.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_http_client() -> *mut u8 {
    alloc_str(&format!("#HttpClient<{}>", pool::client()))
}

/// `Http.send_with(c, req)`: as `send` through the client's pool.
///
/// # Safety
/// `desc` as for `send`; `client` a live HttpClient, `req` a live HttpRequest.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_send_with(
    desc: *mut u8,
    client: *mut u8,
    req: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (id, req) = unsafe { (handle_id(client), request(req)) };
    let result = pool::send_with(id, &req);
    // SAFETY: forwarded contract.
    unsafe { response_result(desc, result) }
}

/// `Http.client_close(c)`.
///
/// # Safety
/// `client` must be a live HttpClient.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_client_close(client: *mut u8) {
    // SAFETY: forwarded contract.
    pool::close(unsafe { handle_id(client) });
}

/// `Http.stream(req, on_chunk)` (`bytes`: `Http.stream_bytes`, chunks not made valid UTF-8):
/// starts the background process and returns its handle.
///
/// # Safety
/// `req` must be a live HttpRequest and `f` a closure `fn(String) -> String`.
unsafe fn start_stream(req: *mut u8, f: *mut u8, raw_bytes: bool) -> *mut u8 {
    // SAFETY: forwarded contract.
    let req = unsafe { request(req) };
    let (id, cancelled) = stream::register();
    let start = Fragment::from_current(f as u64, true);
    crate::actor::spawn_native("http-stream", move || {
        let closure = crate::mem::with_slot(|slot| slot.pin(start));
        stream::run(id, &cancelled, &req, &mut |piece| {
            let chunk = if raw_bytes {
                alloc_concat(&[&piece])
            } else {
                alloc_str(&String::from_utf8_lossy(&piece))
            };
            // SAFETY: the closure takes a String and returns a String (the compiler's type).
            let answer = unsafe { object::call1(closure as *mut u8, chunk as u64) };
            // SAFETY: the closure returned a live String.
            if unsafe { bytes(answer as *const u8) } == b"stop" {
                Flow::Stop
            } else {
                Flow::Continue
            }
        });
    });
    alloc_str(&format!("#StreamHandle<{id}>"))
}

/// `Http.stream(req, on_chunk)`.
///
/// # Safety
/// As for `start_stream`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_stream(req: *mut u8, f: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { start_stream(req, f, false) }
}

/// `Http.stream_bytes(req, on_chunk)`.
///
/// # Safety
/// As for `start_stream`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_stream_bytes(req: *mut u8, f: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { start_stream(req, f, true) }
}

/// `Http.cancel(h)`.
///
/// # Safety
/// `handle` must be a live StreamHandle.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_cancel(handle: *mut u8) {
    // SAFETY: forwarded contract.
    stream::cancel(unsafe { handle_id(handle) });
}

/// The legacy result: the body for a 2xx status, else `Err("http status: <code>")`.
fn legacy(result: Result<ClientResponse, String>) -> Result<String, String> {
    crate::http::client::legacy_result(&result?)
}

/// `HTTP.get(url)`.
///
/// # Safety
/// `desc` must be the `Result<String, String>` descriptor; `url` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_get(desc: *mut u8, url: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    let req = HttpRequest::build("get", unsafe { as_str(url) });
    let result = legacy(engine::send(&req));
    // SAFETY: forwarded contract.
    unsafe { crate::abi::stdlib_system::string_result(desc, result) }
}

/// `HTTP.post(url, body)` with `Content-Type: application/json`.
///
/// # Safety
/// `desc` must be the `Result<String, String>` descriptor; `url` and `body` live strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_post(
    desc: *mut u8,
    url: *mut u8,
    body: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    let (url, body) = unsafe { (as_str(url), as_str(body)) };
    let req = HttpRequest::build("post", url).json(body);
    let result = legacy(engine::send(&req));
    // SAFETY: forwarded contract.
    unsafe { crate::abi::stdlib_system::string_result(desc, result) }
}
