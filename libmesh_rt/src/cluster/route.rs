//! Clustered HTTP routes (runtime-cluster §7, stdlib §18.4) as pure code: the encoding of a
//! request and a response (the §3.6 `REQUEST`/`RESPONSE` values), the payload hash, request
//! keys, hash placement, the `ROUTE_CALL`/`ROUTE_REPLY` payloads and the responses the route
//! answers with. The request flow that uses them (continuity submit, local or remote
//! execution) is `abi/http_clustered.rs`; the frames travel through `dist/route.rs`.

#[cfg(test)]
mod tests;
pub mod wire;

use crate::dist::codec::wire::{put_int, put_text, put_varint, tag, Reader, VERSION};
use crate::dist::codec::CodecError;
use crate::http::response::{valid_status, Response};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};

/// The response header naming the request key (§7 step 5).
pub const KEY_HEADER: &str = "X-Mesh-Continuity-Request-Key";
/// Prefix of clustered route request keys.
pub const KEY_PREFIX: &str = "http-route::";
/// How long the ingress waits for `ROUTE_REPLY` (§7 step 4).
pub const CALL_TIMEOUT_MS: u64 = 5_000;

/// A request as a clustered route sees it: what is encoded, hashed and sent to the owner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: String,
    pub headers: Vec<(String, String)>,
    pub params: Vec<(String, String)>,
}

fn put_pairs(out: &mut Vec<u8>, pairs: &[(String, String)]) {
    put_varint(out, pairs.len() as u64);
    for (name, value) in pairs {
        put_text(out, name.as_bytes());
        put_text(out, value.as_bytes());
    }
}

fn read_pairs(r: &mut Reader) -> Result<Vec<(String, String)>, CodecError> {
    let n = r.count("headers")?;
    let mut out = Vec::with_capacity(n.min(r.remaining()));
    for _ in 0..n {
        let name = r.text()?.to_string();
        let value = r.text()?.to_string();
        out.push((name, value));
    }
    Ok(out)
}

fn expect_end(r: &Reader) -> Result<(), CodecError> {
    if r.remaining() == 0 {
        Ok(())
    } else {
        Err(CodecError::InvalidValue("trailing bytes"))
    }
}

fn expect_head(r: &mut Reader, want: u8, what: &'static str) -> Result<(), CodecError> {
    if r.u8()? != VERSION || r.u8()? != want {
        return Err(CodecError::InvalidValue(what));
    }
    Ok(())
}

/// The request as one §3.6 value: version, `REQUEST` tag, method, path, query, body,
/// headers, path params (the bytes the codec writes for a `Request` value).
pub fn encode_request(req: &RouteRequest) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + req.body.len());
    out.push(VERSION);
    out.push(tag::REQUEST);
    for text in [&req.method, &req.path, &req.query, &req.body] {
        put_text(&mut out, text.as_bytes());
    }
    put_pairs(&mut out, &req.headers);
    put_pairs(&mut out, &req.params);
    out
}

pub fn decode_request(bytes: &[u8]) -> Result<RouteRequest, CodecError> {
    let mut r = Reader::new(bytes);
    expect_head(&mut r, tag::REQUEST, "Request")?;
    let method = r.text()?.to_string();
    let path = r.text()?.to_string();
    let query = r.text()?.to_string();
    let body = r.text()?.to_string();
    let headers = read_pairs(&mut r)?;
    let params = read_pairs(&mut r)?;
    expect_end(&r)?;
    Ok(RouteRequest {
        method,
        path,
        query,
        body,
        headers,
        params,
    })
}

/// The response as one §3.6 value: version, `RESPONSE` tag, status, body, headers.
pub fn encode_response(resp: &Response) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + resp.body.len());
    out.push(VERSION);
    out.push(tag::RESPONSE);
    put_int(&mut out, i64::from(resp.status));
    put_text(&mut out, resp.body.as_bytes());
    put_pairs(&mut out, &resp.headers);
    out
}

pub fn decode_response(bytes: &[u8]) -> Result<Response, CodecError> {
    let mut r = Reader::new(bytes);
    expect_head(&mut r, tag::RESPONSE, "Response")?;
    let status = valid_status(r.int()?).ok_or(CodecError::InvalidValue("HTTP status"))?;
    let body = r.text()?.to_string();
    let headers = read_pairs(&mut r)?;
    expect_end(&r)?;
    Ok(Response {
        status,
        body,
        headers,
    })
}

/// Lowercase hex SHA-256 (the payload hash of §5.1 for routes).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The request key `http-route::<runtime name>::<counter>-<incarnation hex>` (§7 step 1).
pub fn request_key(runtime_name: &str, counter: u64, incarnation: u64) -> String {
    format!("{KEY_PREFIX}{runtime_name}::{counter}-{incarnation:x}")
}

/// The per-process counter of request keys, starting at 1.
pub fn next_counter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// Where a request runs (§7 step 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub owner: String,
    /// `""` unless `n = 2` and another member exists.
    pub replica: String,
}

fn hash_u64(text: &str) -> u64 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// Placement of `key` with count `n` over `me` and its converged `peers`: members ordered by
/// (SHA-256 of the name, name); owner = member `hash("request::" + key) mod size` (the hash:
/// the first 8 bytes of the SHA-256, big-endian); replica = the next member when `n = 2`.
pub fn place(me: &str, peers: &[String], key: &str, n: i64) -> Placement {
    let mut members: Vec<(String, &str)> = std::iter::once(me)
        .chain(peers.iter().map(String::as_str).filter(|p| *p != me))
        .map(|name| (hex::encode(Sha256::digest(name.as_bytes())), name))
        .collect();
    members.sort();
    members.dedup();
    let size = members.len() as u64;
    let at = (hash_u64(&format!("request::{key}")) % size) as usize;
    let owner = members[at].1.to_string();
    let replica = if n == 2 && size > 1 {
        members[(at + 1) % size as usize].1.to_string()
    } else {
        String::new()
    };
    Placement { owner, replica }
}

/// Replicas a record of count `n` requires (§5.5): one for `n = 2`, otherwise none (counts
/// above 2 are rejected by the continuity core with `unsupported_replication_count:<n>`).
pub fn required_replicas(n: i64) -> i64 {
    i64::from(n == 2)
}

/// `response` with `X-Mesh-Continuity-Request-Key: key` after its own headers, replacing any
/// header of that name (§7 step 5).
pub fn with_key(mut response: Response, key: &str) -> Response {
    response
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case(KEY_HEADER));
    response
        .headers
        .push((KEY_HEADER.to_string(), key.to_string()));
    response
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The failure answer of §7 step 6: `503 {"error":"<reason>"}`, with the key header when a
/// key exists.
pub fn failure(reason: &str, key: Option<&str>) -> Response {
    let response = Response::new(503, format!("{{\"error\":{}}}", json_string(reason)));
    match key {
        Some(key) => with_key(response, key),
        None => response,
    }
}

/// A handler that panicked: `500 Internal Server Error` as for local routes, with the key.
pub fn crashed(key: &str) -> Response {
    with_key(Response::internal_error(), key)
}

/// The record rejection reason of a handler panic.
pub const HANDLER_CRASHED: &str = "handler_crashed";
/// The reason for a route whose handler is not in the declaration registry.
pub fn not_registered(runtime_name: &str) -> String {
    format!("declared_handler_not_registered:{runtime_name}")
}
/// The reason when the owner cannot be reached or was lost.
pub fn owner_unavailable(owner: &str) -> String {
    format!("clustered_route_owner_unavailable:{owner}")
}
/// The reason when no `ROUTE_REPLY` arrived in time.
pub const TIMEOUT: &str = "clustered_route_timeout";
