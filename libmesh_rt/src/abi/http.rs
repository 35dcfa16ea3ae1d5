//! The HTTP server's Mesh bindings (stdlib §18.1–§18.3): the `Router`, `Request` and
//! `Response` values, `HTTP.serve`, and the calls of Mesh handlers and middleware.
//!
//! Representation: all three are tuples the runtime builds with a null descriptor (every
//! field is traced as a possible pointer; the Int fields are small numbers, never heap
//! addresses):
//! - `Router`: an immutable chain of nodes `{previous node or 0, kind, pattern or 0,
//!   closure or 0}`, newest first (`HTTP.router()` is a node of kind `EMPTY`), so each
//!   `HTTP.on_get`/`HTTP.use` is O(1) and routers are ordinary values;
//! - `Request`: `{method, path, query, body, headers, params}`, `headers` and `params` tuples
//!   of 2n strings (name, value, …);
//! - `Response`: `{status, body, headers}`, `headers` such a tuple or 0.
//!
//! `HTTP.serve` copies each handler and middleware closure out of the caller's heap into a
//! fragment once (`mem::Fragment`), builds the Rust `Router` over them and serves
//! (`http::server`). Each request's process copies its route's handler and the middleware
//! into its own heap, builds the `Request` value, and walks the chain: middleware `i` gets a
//! `next` closure made here (`next_code`, capturing the chain and position `i + 1`), the end
//! of the chain is the handler or the built-in `404 Not Found`.
//!
//! `mesh_rt_http_serve` and `mesh_rt_http_serve_tls` suspend (they park the calling process in
//! `accept` for the program's life); the other functions here do not (handlers run in other
//! processes).

use crate::abi::process::panic_with;
use crate::http::request::Request;
use crate::http::response::{valid_status, Response};
use crate::http::router::{Endpoint, MethodFilter, Router};
use crate::http::{percent, server};
use crate::mem::Fragment;
use crate::stdlib::option;
use crate::value::generic::object::{self, call1, call2, Obj};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::{meta, HEADER_SIZE, KIND_CLOSURE, KIND_TUPLE};
use mesh_rt_abi::TypeDesc;
use std::sync::Arc;

/// Router node kinds.
const EMPTY: u64 = 0;
const ANY: u64 = 1;
const GET: u64 = 2;
const POST: u64 = 3;
const PUT: u64 = 4;
const DELETE: u64 = 5;
const MIDDLEWARE: u64 = 6;

/// Request fields.
const REQ_METHOD: usize = 0;
const REQ_PATH: usize = 1;
const REQ_QUERY: usize = 2;
const REQ_BODY: usize = 3;
const REQ_HEADERS: usize = 4;
const REQ_PARAMS: usize = 5;

/// The null descriptor of runtime-built tuples (every field traced conservatively).
fn no_desc() -> Desc {
    // SAFETY: null is allowed and reads as a descriptor without items.
    unsafe { Desc::from_ptr(std::ptr::null()) }
}

/// Holds off collection while a value is built from several allocations whose parts live
/// only in Rust locals.
struct NoGc;

impl NoGc {
    fn new() -> NoGc {
        crate::mem::with_current(|heap| heap.inhibit(true));
        NoGc
    }
}

impl Drop for NoGc {
    fn drop(&mut self) {
        crate::mem::with_current(|heap| heap.inhibit(false));
    }
}

fn node(previous: u64, kind: u64, pattern: u64, closure: u64) -> *mut u8 {
    object::alloc_tuple(no_desc(), &[previous, kind, pattern, closure])
}

/// `HTTP.router()`: a router without routes or middleware.
#[no_mangle]
pub extern "C-unwind" fn mesh_rt_http_router() -> *mut u8 {
    node(0, EMPTY, 0, 0)
}

/// `HTTP.route(r, pattern, h)`: a route for any method.
///
/// # Safety
/// `router` must be a live Router, `pattern` a live string, `handler` a closure
/// `fn(Request) -> Response`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_route(
    router: *mut u8,
    pattern: *mut u8,
    handler: *mut u8,
) -> *mut u8 {
    node(router as u64, ANY, pattern as u64, handler as u64)
}

/// `HTTP.on_get(r, pattern, h)`: a route for `GET` only.
///
/// # Safety
/// As for [`mesh_rt_http_route`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_on_get(
    router: *mut u8,
    pattern: *mut u8,
    handler: *mut u8,
) -> *mut u8 {
    node(router as u64, GET, pattern as u64, handler as u64)
}

/// `HTTP.on_post(r, pattern, h)`.
///
/// # Safety
/// As for [`mesh_rt_http_route`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_on_post(
    router: *mut u8,
    pattern: *mut u8,
    handler: *mut u8,
) -> *mut u8 {
    node(router as u64, POST, pattern as u64, handler as u64)
}

/// `HTTP.on_put(r, pattern, h)`.
///
/// # Safety
/// As for [`mesh_rt_http_route`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_on_put(
    router: *mut u8,
    pattern: *mut u8,
    handler: *mut u8,
) -> *mut u8 {
    node(router as u64, PUT, pattern as u64, handler as u64)
}

/// `HTTP.on_delete(r, pattern, h)`.
///
/// # Safety
/// As for [`mesh_rt_http_route`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_on_delete(
    router: *mut u8,
    pattern: *mut u8,
    handler: *mut u8,
) -> *mut u8 {
    node(router as u64, DELETE, pattern as u64, handler as u64)
}

/// `HTTP.use(r, mw)`: adds a middleware inside those added before.
///
/// # Safety
/// `router` must be a live Router and `mw` a closure `fn(Request, fn(Request) -> Response)
/// -> Response`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_use(router: *mut u8, mw: *mut u8) -> *mut u8 {
    node(router as u64, MIDDLEWARE, 0, mw as u64)
}

/// A Response value. Panics (a 500 when it happens in a handler) on a status outside
/// `100..=999`.
fn response_value(status: i64, body: u64, headers: u64) -> *mut u8 {
    if valid_status(status).is_none() {
        panic_with(&format!("invalid HTTP status {status}"));
    }
    object::alloc_tuple(no_desc(), &[status as u64, body, headers])
}

/// `HTTP.response(status, body)`.
///
/// # Safety
/// `body` must be a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_response(status: i64, body: *mut u8) -> *mut u8 {
    response_value(status, body as u64, 0)
}

/// `HTTP.response_with_headers(status, body, headers)`: the map's entries in its order.
///
/// # Safety
/// `desc` must be the `Map<String, String>` descriptor, `body` a live string and `headers` a
/// live map of that type.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_response_with_headers(
    desc: *mut u8,
    status: i64,
    body: *mut u8,
    headers: *mut u8,
) -> *mut u8 {
    use crate::value::map::{Kind, Table};
    // SAFETY: forwarded contract.
    let (kind, table) = unsafe {
        (
            Kind::of(Desc::from_ptr(desc as *const TypeDesc)),
            Table::from_raw(headers),
        )
    };
    // The map's keys and values are strings kept alive by `headers` (an argument).
    let words: Vec<u64> = table.entries(kind).flat_map(|(k, v)| [k, v]).collect();
    let _no_gc = NoGc::new();
    let pairs = object::alloc_tuple(no_desc(), &words);
    response_value(status, body as u64, pairs as u64)
}

/// A request field (a string).
///
/// # Safety
/// `req` must be a live Request.
unsafe fn field(req: *mut u8, i: usize) -> *mut u8 {
    // SAFETY: forwarded contract; a Request has six fields.
    unsafe { object::word(req, i) as *mut u8 }
}

/// `Request.method(req)`.
///
/// # Safety
/// `req` must be a live Request.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_request_method(req: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { field(req, REQ_METHOD) }
}

/// `Request.path(req)`: before `?`, not percent-decoded.
///
/// # Safety
/// `req` must be a live Request.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_request_path(req: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { field(req, REQ_PATH) }
}

/// `Request.body(req)`.
///
/// # Safety
/// `req` must be a live Request.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_request_body(req: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { field(req, REQ_BODY) }
}

/// The (name, value) pairs of a tuple of 2n strings.
///
/// # Safety
/// `pairs` must be such a live tuple (or 0).
unsafe fn pairs<'a>(pairs: *mut u8) -> impl DoubleEndedIterator<Item = (&'a str, &'a str)> {
    let n = if pairs.is_null() {
        0
    } else {
        // SAFETY: forwarded contract.
        unsafe { object::aux(pairs) as usize / 2 }
    };
    (0..n).map(move |i| {
        // SAFETY: fields 2i and 2i+1 exist and are live strings (contract).
        unsafe {
            (
                as_str(object::word(pairs, 2 * i) as *const u8),
                as_str(object::word(pairs, 2 * i + 1) as *const u8),
            )
        }
    })
}

/// `Some(text)` / `None` of the `String?` descriptor `desc`.
///
/// # Safety
/// `desc` must be the `Option<String>` descriptor.
unsafe fn optional(desc: *mut u8, text: Option<String>) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    // SAFETY: forwarded contract.
    unsafe {
        match text {
            Some(text) => {
                let _no_gc = NoGc::new();
                option::some(desc, alloc_str(&text) as u64)
            }
            None => option::none(desc),
        }
    }
}

/// `Request.header(req, name)`: the last value, name matched case-insensitively.
///
/// # Safety
/// `desc` must be the `Option<String>` descriptor, `req` a live Request, `name` a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_request_header(
    desc: *mut u8,
    req: *mut u8,
    name: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        let name = as_str(name);
        let found = pairs(field(req, REQ_HEADERS))
            .rev()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.to_owned());
        optional(desc, found)
    }
}

/// `Request.query(req, name)`: decoded, last value wins.
///
/// # Safety
/// As for [`mesh_rt_request_header`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_request_query(
    desc: *mut u8,
    req: *mut u8,
    name: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        let found = percent::query_value(as_str(field(req, REQ_QUERY)), as_str(name));
        optional(desc, found)
    }
}

/// `Request.param(req, name)`: the decoded `:name` capture of the matched route.
///
/// # Safety
/// As for [`mesh_rt_request_header`].
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_request_param(
    desc: *mut u8,
    req: *mut u8,
    name: *mut u8,
) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe {
        let name = as_str(name);
        let found = pairs(field(req, REQ_PARAMS))
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.to_owned());
        optional(desc, found)
    }
}

/// A closure copied out of the serving process, shared by every request process.
struct Shared(Fragment);

// SAFETY: the fragment is written only while it is built (in `compile`); afterwards request
// processes only read it (`Fragment::copy_out`), from any thread.
unsafe impl Sync for Shared {}

type MeshRouter = Router<Shared, Shared>;

/// The Rust router of a Router value: its nodes oldest first.
///
/// # Safety
/// `router` must be a live Router of the current heap.
unsafe fn compile(router: *mut u8) -> MeshRouter {
    let mut nodes = Vec::new();
    let mut at = router;
    while !at.is_null() {
        // SAFETY: a Router node has four fields (contract).
        let (previous, kind, pattern, closure) = unsafe {
            (
                object::word(at, 0),
                object::word(at, 1),
                object::word(at, 2),
                object::word(at, 3),
            )
        };
        nodes.push((kind, pattern, closure));
        at = previous as *mut u8;
    }
    let mut out = MeshRouter::new();
    for (kind, pattern, closure) in nodes.into_iter().rev() {
        let method = match kind {
            ANY => MethodFilter::Any,
            GET => MethodFilter::Get,
            POST => MethodFilter::Post,
            PUT => MethodFilter::Put,
            DELETE => MethodFilter::Delete,
            MIDDLEWARE => {
                out.add_middleware(Shared(Fragment::from_current(closure, true)));
                continue;
            }
            _ => continue,
        };
        // SAFETY: a route node's pattern is a live string.
        let pattern = unsafe { as_str(pattern as *const u8) }.to_owned();
        out.add_route(
            method,
            &pattern,
            Shared(Fragment::from_current(closure, true)),
        );
    }
    out
}

/// `HTTP.serve(r, port)`: serves forever on `[::]:port` (see `http::server::serve`).
/// Suspends the calling process.
///
/// # Safety
/// `router` must be a live Router.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_serve(router: *mut u8, port: i64) {
    // SAFETY: forwarded contract.
    let router = Arc::new(unsafe { compile(router) });
    let app: Arc<server::App> = Arc::new(move |request| handle(&router, request));
    server::serve(port, app);
}

/// `HTTP.serve_tls(r, port, cert_pem_path, key_pem_path)`: `HTTP.serve` over TLS (see
/// `http::server::serve_tls`). Suspends the calling process.
///
/// # Safety
/// `router` must be a live Router, `cert` and `key` live strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_serve_tls(
    router: *mut u8,
    port: i64,
    cert: *mut u8,
    key: *mut u8,
) {
    // SAFETY: forwarded contract.
    let (cert, key) = unsafe { (as_str(cert).to_owned(), as_str(key).to_owned()) };
    // SAFETY: forwarded contract.
    let router = Arc::new(unsafe { compile(router) });
    let app: Arc<server::App> = Arc::new(move |request| handle(&router, request));
    server::serve_tls(port, app, &cert, &key);
}

/// Runs one request in the current (fresh) process: routes it, copies the closures it needs
/// into this heap, builds the Request value and walks the middleware chain.
fn handle(router: &MeshRouter, request: Request) -> Response {
    let dispatch = router.dispatch(request.method(), request.path());
    let handler = match dispatch.endpoint {
        Endpoint::Handler(h) => h.0.copy_out(),
        Endpoint::NotFound => 0,
    };
    let (chain, req) = {
        let _no_gc = NoGc::new();
        let middleware = &dispatch.middleware;
        let chain = tuple_with(1 + middleware.len(), |i| match i.checked_sub(1) {
            None => handler,
            Some(m) => middleware.get(m).map_or(0, |m| m.0.copy_out()),
        });
        (chain, request_value(&request, &dispatch.params))
    };
    crate::mem::with_current(|heap| {
        let _ = heap.add_root(chain as u64);
        let _ = heap.add_root(req as u64);
    });
    // SAFETY: `chain` is a chain tuple and `req` a Request, both rooted.
    let response = unsafe { step(chain, 1, req as u64) };
    // SAFETY: handlers and middleware return Response values.
    unsafe { read_response(response as *mut u8) }
}

/// A tuple (null descriptor) of `n` fields, field `i` being `field(i)`, made after the tuple
/// (call with collection held off). Spares the vector of words `alloc_tuple` copies from.
fn tuple_with(n: usize, mut field: impl FnMut(usize) -> u64) -> Obj {
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * n);
    // SAFETY: fresh allocation with room for the header (the null descriptor) and `n` fields,
    // all written (zero, which traces as nothing) before the allocations `field` makes.
    unsafe {
        let w = obj as *mut u64;
        w.write(meta(KIND_TUPLE, n as u32, 0));
        w.add(1).write(0);
        std::ptr::write_bytes(w.add(2), 0, n);
    }
    for i in 0..n {
        // SAFETY: field `i` of the tuple just allocated.
        unsafe { object::set_word(obj, i, field(i)) };
    }
    obj
}

/// The Request value of `request` with the route's captures `params` (call with collection
/// held off). The strings are made from the request's text, where its parts already are.
fn request_value(request: &Request, params: &[(String, String)]) -> *mut u8 {
    let fields = request.headers();
    let headers = tuple_with(2 * fields.len(), |i| {
        let (name, value) = fields.at(i / 2).unwrap_or_default();
        alloc_str(if i % 2 == 0 { name } else { value }) as u64
    }) as u64;
    let params = tuple_with(2 * params.len(), |i| {
        let (name, value) = params
            .get(i / 2)
            .map_or(("", ""), |(name, value)| (name.as_str(), value.as_str()));
        alloc_str(if i % 2 == 0 { name } else { value }) as u64
    }) as u64;
    let fields = [
        alloc_str(request.method()) as u64,
        alloc_str(request.path()) as u64,
        alloc_str(request.query()) as u64,
        alloc_str(request.body()) as u64,
        headers,
        params,
    ];
    object::alloc_tuple(no_desc(), &fields)
}

/// Chain position `position` (1-based into the chain tuple `{handler or 0, middleware…}`):
/// the middleware there with a `next` for the following position, or the endpoint.
///
/// # Safety
/// `chain` must be a live chain tuple and `request` a Request.
unsafe fn step(chain: Obj, position: u64, request: u64) -> u64 {
    // SAFETY: forwarded contract.
    unsafe {
        let count = u64::from(object::aux(chain));
        if position < count {
            let middleware = object::word(chain, position as usize) as Obj;
            let next = next_closure(chain, position + 1);
            return call2(middleware, request, next as u64);
        }
        match object::word(chain, 0) {
            0 => {
                let _no_gc = NoGc::new();
                response_value(404, alloc_str("Not Found") as u64, 0) as u64
            }
            handler => call1(handler as Obj, request),
        }
    }
}

/// A Mesh closure `fn(Request) -> Response` continuing the chain at `position`.
fn next_closure(chain: Obj, position: u64) -> Obj {
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * 3);
    // SAFETY: fresh allocation with room for the header, the code pointer and two captures;
    // a null capture descriptor makes both captures traced conservatively.
    unsafe {
        let w = obj as *mut u64;
        w.write(meta(KIND_CLOSURE, 2, 0));
        w.add(1).write(0);
        w.add(2).write(next_code as *const () as u64);
        w.add(3).write(chain as u64);
        w.add(4).write(position);
    }
    obj
}

/// The code of `next` closures (the closure calling convention: `code(closure, request)`).
extern "C-unwind" fn next_code(closure: Obj, request: u64) -> u64 {
    // SAFETY: `closure` is one `next_closure` built: captures are the chain and a position.
    unsafe {
        let chain = object::word(closure, 1) as Obj;
        let position = object::word(closure, 2);
        step(chain, position, request)
    }
}

/// The Rust response of a Response value.
///
/// # Safety
/// `obj` must be a live Response.
unsafe fn read_response(obj: *mut u8) -> Response {
    // SAFETY: forwarded contract: `{status, body, headers}`.
    unsafe {
        let status = object::word(obj, 0) as i64;
        let body = as_str(object::word(obj, 1) as *const u8).to_owned();
        let headers = pairs(object::word(obj, 2) as *mut u8)
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Response {
            status: valid_status(status).unwrap_or(500),
            body,
            headers,
        }
    }
}
