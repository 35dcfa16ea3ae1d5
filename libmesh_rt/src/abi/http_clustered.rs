//! `HTTP.clustered(n, handler)` at run time (runtime-cluster §7, stdlib §18.4).
//!
//! The compiler lowers `HTTP.clustered(n, handler)` to `mesh_rt_http_clustered(runtime name,
//! n)` and registers `handler` under its runtime name as declared work of kind 1
//! (`mesh_rt_cluster_declare`). The value returned here is a Mesh closure `fn(Request) ->
//! Response` (code [`clustered_code`], one Int capture: an index into this file's table of
//! (runtime name, n)), so it goes wherever a handler goes, middleware included.
//!
//! Per request ([`serve`], in the request's process): encode the request and hash it, mint
//! the key, place it over this node and its converged peers; when this node is the owner (or
//! `n > 2`, which the continuity core rejects at once) submit here and run the handler in
//! this process; otherwise send `ROUTE_CALL` to the owner (`dist::route::call`), which
//! submits, runs the handler in a fresh process and answers `ROUTE_REPLY` ([`serve_call`]).
//! The owner completes the record (execution = owner) or rejects it with the reason (also
//! `clustered_route_timeout` when its handler returned after the caller's 5 s wait); the
//! answer carries `X-Mesh-Continuity-Request-Key`. Failures are `cluster::route::failure`
//! (503) and a handler panic is `cluster::route::crashed` (500), record `handler_crashed`.

use crate::cluster::declared;
use crate::cluster::route::wire::{Outcome, RouteCall, RouteReply};
use crate::cluster::route::{self, Placement, RouteRequest};
use crate::cluster::runtime as continuity;
use crate::cluster::{SubmitOutcome, SubmitRequest};
use crate::http::response::{valid_status, Response};
use crate::value::generic::object::{self, Obj};
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::layout::{meta, HEADER_SIZE, KIND_CLOSURE};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// (runtime name, n) of every `HTTP.clustered` value made; closures capture the index.
fn routes() -> &'static Mutex<Vec<(String, i64)>> {
    static ROUTES: OnceLock<Mutex<Vec<(String, i64)>>> = OnceLock::new();
    ROUTES.get_or_init(Mutex::default)
}

/// `HTTP.clustered(n, handler)`: the handler value of the clustered route `name` with count
/// `count`.
///
/// # Safety
/// `name` must be a live string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_http_clustered(name: *mut u8, count: i64) -> *mut u8 {
    // SAFETY: forwarded contract.
    let name = unsafe { as_str(name) }.to_string();
    crate::dist::route::set_server(serve_call);
    let index = {
        let mut table = routes().lock().unwrap_or_else(|e| e.into_inner());
        match table.iter().position(|(n, c)| *n == name && *c == count) {
            Some(i) => i,
            None => {
                table.push((name, count));
                table.len() - 1
            }
        }
    };
    let obj = crate::mem::alloc(HEADER_SIZE + 8 * 2);
    // SAFETY: fresh allocation with room for the header, the capture descriptor word, the
    // code pointer and one capture (a small Int, never a heap address).
    unsafe {
        let w = obj as *mut u64;
        w.write(meta(KIND_CLOSURE, 1, 0));
        w.add(1).write(0);
        w.add(2).write(clustered_code as *const () as u64);
        w.add(3).write(index as u64);
    }
    obj
}

/// The code of clustered handler closures (closure calling convention `code(closure, req)`).
extern "C-unwind" fn clustered_code(closure: Obj, request: u64) -> u64 {
    // SAFETY: `closure` is one `mesh_rt_http_clustered` built.
    let index = unsafe { object::word(closure, 1) } as usize;
    let (name, count) = routes().lock().unwrap_or_else(|e| e.into_inner())[index].clone();
    let root = crate::mem::with_current(|heap| heap.add_root(request));
    // SAFETY: `request` is a live Request (handlers receive one).
    let req = unsafe { read_request(request as Obj) };
    let response = serve(&name, count, &req, request);
    crate::mem::with_current(|heap| heap.remove_root(root));
    response_value(&response)
}

/// This node's name and its converged peers (`standalone@local` and none when standalone).
fn membership() -> (String, Vec<String>) {
    continuity::with_node(|n| (n.node_name().to_string(), n.converged_peers()))
}

/// The incarnation in request keys: the node's, or one random number per standalone run.
fn incarnation() -> u64 {
    static STANDALONE: OnceLock<u64> = OnceLock::new();
    match crate::dist::node::node() {
        Some(n) => n.incarnation,
        None => *STANDALONE.get_or_init(crate::dist::handshake::random_u64),
    }
}

/// One clustered request at the ingress (§7 steps 1–6). `value` is the Request value `req`
/// was read from (the local handler gets it unchanged).
fn serve(name: &str, n: i64, req: &RouteRequest, value: u64) -> Response {
    let encoded = route::encode_request(req);
    let payload_hash = route::sha256_hex(&encoded);
    let key = route::request_key(name, route::next_counter(), incarnation());
    let (me, peers) = membership();
    let Placement { owner, replica } = route::place(&me, &peers, &key, n);
    if owner == me || n > 2 {
        let submit = SubmitRequest {
            request_key: key.clone(),
            payload_hash,
            ingress_node: me.clone(),
            owner_node: owner.clone(),
            replica_node: replica,
            required_replicas: route::required_replicas(n),
            replication_count: n,
            declared_handler_runtime_name: name.to_string(),
            routed_remotely: owner != me,
            fell_back_locally: owner == me,
        };
        return match run_here(&submit, Handler::Value(value)).1 {
            Ok(response) => route::with_key(response, &key),
            Err(reason) => answer_failure(&reason, &key),
        };
    }
    let call = RouteCall {
        request_id: 0,
        runtime_name: name.to_string(),
        request_key: key.clone(),
        count: n as u64,
        ingress: me,
        replica,
        payload_hash,
        request: encoded,
    };
    let reply = match crate::dist::route::call(&owner, call) {
        Ok(reply) => reply,
        Err(reason) => {
            eprintln!("[mesh-rt] clustered route failed runtime_name={name} request_key={key} owner={owner} reason={reason}");
            return route::failure(&reason, Some(&key));
        }
    };
    match reply.outcome {
        Outcome::Ok(bytes) => match route::decode_response(&bytes) {
            Ok(response) => route::with_key(response, &key),
            Err(e) => route::failure(
                &route::owner_unavailable(&format!("{owner}:{e}")),
                Some(&key),
            ),
        },
        Outcome::Rejected(reason) => answer_failure(&reason, &key),
    }
}

fn answer_failure(reason: &str, key: &str) -> Response {
    if reason == route::HANDLER_CRASHED {
        route::crashed(key)
    } else {
        route::failure(reason, Some(key))
    }
}

/// What runs the handler: the ingress's own Request value, or a request from a `ROUTE_CALL`
/// to rebuild here, with the moment the caller stops waiting.
enum Handler<'a> {
    Value(u64),
    Decoded(&'a RouteRequest, Instant),
}

/// Submits `submit` (this node owns it, or it is rejected at once), runs the handler here and
/// completes the record: the attempt id (`""` without a record) and the response, or
/// `Err(reason)` when rejected (the record rejected with that reason).
fn run_here(submit: &SubmitRequest, handler: Handler) -> (String, Result<Response, String>) {
    let decision = match continuity::submit(submit.clone()) {
        Ok(decision) => decision,
        Err(reason) => return (String::new(), Err(reason)),
    };
    let attempt = decision.record.attempt_id();
    let result = match decision.outcome {
        SubmitOutcome::Created => execute(submit, &attempt, handler),
        SubmitOutcome::Conflict => Err(decision.conflict_reason),
        SubmitOutcome::Rejected | SubmitOutcome::Duplicate if !decision.record.error.is_empty() => {
            Err(decision.record.error)
        }
        SubmitOutcome::Rejected | SubmitOutcome::Duplicate => Err("request_key_conflict".into()),
    };
    (attempt, result)
}

/// Runs the handler of an accepted submit and completes or rejects its record.
fn execute(submit: &SubmitRequest, attempt: &str, handler: Handler) -> Result<Response, String> {
    let (key, name) = (&submit.request_key, &submit.declared_handler_runtime_name);
    let entry = declared::lookup(name)
        .filter(|d| d.kind == declared::Kind::Route)
        .map(|d| d.entry);
    let Some(entry) = entry else {
        let reason = route::not_registered(name);
        let _ = continuity::reject(key, attempt, &reason);
        return Err(reason);
    };
    let deadline = match &handler {
        Handler::Decoded(_, deadline) => Some(*deadline),
        Handler::Value(_) => None,
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match handler {
        Handler::Value(value) => call_handler(entry, value),
        Handler::Decoded(req, _) => {
            let value = request_value(req);
            let root = crate::mem::with_current(|heap| heap.add_root(value));
            let response = call_handler(entry, value);
            crate::mem::with_current(|heap| heap.remove_root(root));
            response
        }
    }));
    match run {
        // The caller answered `clustered_route_timeout` meanwhile: the record says so too.
        Ok(_) if deadline.is_some_and(|d| Instant::now() >= d) => {
            let _ = continuity::reject(key, attempt, route::TIMEOUT);
            Err(route::TIMEOUT.to_string())
        }
        Ok(response) => {
            let _ = continuity::complete(key, attempt, &submit.owner_node);
            Ok(response)
        }
        Err(_) => {
            let _ = continuity::reject(key, attempt, route::HANDLER_CRASHED);
            Err(route::HANDLER_CRASHED.to_string())
        }
    }
}

/// Calls a registered handler entry with a Request value; the Rust response.
fn call_handler(entry: usize, request: u64) -> Response {
    // SAFETY: a route entry is the code of a capture-free closure `fn(Request) -> Response`
    // (`cluster::declared::Kind::Route`), which ignores its closure argument.
    let code: extern "C-unwind" fn(*mut u8, u64) -> u64 = unsafe { std::mem::transmute(entry) };
    let response = code(std::ptr::null_mut(), request);
    // SAFETY: the thunk returned a Response value.
    unsafe { read_response(response as Obj) }
}

/// The owner's side of a `ROUTE_CALL` (installed as `dist::route`'s server): submit with this
/// node as owner, run, complete, answer.
fn serve_call(call: RouteCall) -> RouteReply {
    let deadline = Instant::now() + Duration::from_millis(route::CALL_TIMEOUT_MS);
    let reply = |attempt_id: String, outcome| RouteReply {
        request_id: call.request_id,
        attempt_id,
        outcome,
    };
    let req = match route::decode_request(&call.request) {
        Ok(req) if route::sha256_hex(&call.request) == call.payload_hash => req,
        _ => {
            return reply(
                String::new(),
                Outcome::Rejected("payload_hash_mismatch".into()),
            )
        }
    };
    let Some(me) = crate::dist::node::node().map(|n| n.name.clone()) else {
        return reply(
            String::new(),
            Outcome::Rejected(route::owner_unavailable("")),
        );
    };
    let n = call.count as i64;
    let submit = SubmitRequest {
        request_key: call.request_key.clone(),
        payload_hash: call.payload_hash.clone(),
        ingress_node: call.ingress.clone(),
        owner_node: me.clone(),
        replica_node: call.replica.clone(),
        required_replicas: route::required_replicas(n),
        replication_count: n,
        declared_handler_runtime_name: call.runtime_name.clone(),
        routed_remotely: call.ingress != me,
        fell_back_locally: call.ingress == me,
    };
    match run_here(&submit, Handler::Decoded(&req, deadline)) {
        (attempt, Ok(response)) => reply(attempt, Outcome::Ok(route::encode_response(&response))),
        (attempt, Err(reason)) => reply(attempt, Outcome::Rejected(reason)),
    }
}

/// The (name, value) pairs of a runtime tuple of 2n strings (or 0).
///
/// # Safety
/// `pairs` must be such a live tuple or 0.
unsafe fn read_pairs(pairs: u64) -> Vec<(String, String)> {
    if pairs == 0 {
        return Vec::new();
    }
    let obj = pairs as Obj;
    // SAFETY: forwarded contract.
    let n = unsafe { object::aux(obj) } as usize / 2;
    (0..n)
        .map(|i| {
            // SAFETY: fields 2i and 2i+1 are live strings (contract).
            unsafe {
                (
                    as_str(object::word(obj, 2 * i) as *const u8).to_string(),
                    as_str(object::word(obj, 2 * i + 1) as *const u8).to_string(),
                )
            }
        })
        .collect()
}

/// The Rust view of a Request value `{method, path, query, body, headers, params}`.
///
/// # Safety
/// `obj` must be a live Request.
unsafe fn read_request(obj: Obj) -> RouteRequest {
    // SAFETY: forwarded contract.
    unsafe {
        let text = |i: usize| as_str(object::word(obj, i) as *const u8).to_string();
        RouteRequest {
            method: text(0),
            path: text(1),
            query: text(2),
            body: text(3),
            headers: read_pairs(object::word(obj, 4)),
            params: read_pairs(object::word(obj, 5)),
        }
    }
}

/// The Rust response of a Response value `{status, body, headers or 0}`.
///
/// # Safety
/// `obj` must be a live Response.
unsafe fn read_response(obj: Obj) -> Response {
    // SAFETY: forwarded contract.
    unsafe {
        let status = object::word(obj, 0) as i64;
        Response {
            status: valid_status(status).unwrap_or(500),
            body: as_str(object::word(obj, 1) as *const u8).to_string(),
            headers: read_pairs(object::word(obj, 2)),
        }
    }
}

/// The null descriptor of runtime-built tuples (fields traced conservatively).
fn no_desc() -> Desc {
    // SAFETY: null is allowed and reads as a descriptor without items.
    unsafe { Desc::from_ptr(std::ptr::null()) }
}

/// Runs `f` with collection held off (a value built from several allocations).
fn without_gc<R>(f: impl FnOnce() -> R) -> R {
    crate::mem::with_current(|heap| heap.inhibit(true));
    let out = f();
    crate::mem::with_current(|heap| heap.inhibit(false));
    out
}

fn pairs_value(pairs: &[(String, String)]) -> u64 {
    let words: Vec<u64> = pairs
        .iter()
        .flat_map(|(k, v)| [alloc_str(k) as u64, alloc_str(v) as u64])
        .collect();
    object::alloc_tuple(no_desc(), &words) as u64
}

/// A Request value in the current heap.
fn request_value(req: &RouteRequest) -> u64 {
    without_gc(|| {
        let fields = [
            alloc_str(&req.method) as u64,
            alloc_str(&req.path) as u64,
            alloc_str(&req.query) as u64,
            alloc_str(&req.body) as u64,
            pairs_value(&req.headers),
            pairs_value(&req.params),
        ];
        object::alloc_tuple(no_desc(), &fields) as u64
    })
}

/// A Response value in the current heap.
fn response_value(resp: &Response) -> u64 {
    without_gc(|| {
        let headers = if resp.headers.is_empty() {
            0
        } else {
            pairs_value(&resp.headers)
        };
        let fields = [
            u64::from(resp.status),
            alloc_str(&resp.body) as u64,
            headers,
        ];
        object::alloc_tuple(no_desc(), &fields) as u64
    })
}
