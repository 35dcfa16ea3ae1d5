//! `Continuity.*` (stdlib §17.4, P2) over `cluster::runtime`: reads answer from the node's
//! state; writes are requests to the continuity actor that park the caller until its reply
//! (a replicated submit answers once the replica acknowledged). The record shapes are built
//! from the descriptors the compiler passes (fields found by name, `cluster::continuity`).

use crate::cluster::continuity::{self, Field};
use crate::cluster::node::{Input, Reply, SubmitDecision};
use crate::cluster::record::Record;
use crate::cluster::runtime;
use crate::stdlib::option;
use crate::value::generic::object::alloc_tuple;
use crate::value::string::{alloc_str, as_str};
use crate::value::typedesc::Desc;
use mesh_rt_abi::TypeDesc;

/// The most fields a shape has (`ContinuityRecord`).
const MAX_FIELDS: usize = 20;

/// Allocates the struct of `desc` with each field named in `fields` (others 0).
///
/// # Safety
/// `desc` must be a struct desc whose fields have the types of `fields` by name (`record`:
/// a `ContinuityRecord` desc).
unsafe fn build(desc: Desc, fields: &[(&str, Field)], record: Option<&Record>) -> *mut u8 {
    // On the stack: the collector scans it, so every part stays alive until the struct
    // holds it.
    let mut words = [0u64; MAX_FIELDS];
    let count = desc.count().min(MAX_FIELDS);
    for (i, word) in words.iter_mut().enumerate().take(count) {
        let Some(name) = desc.field_name(i) else {
            continue;
        };
        *word = match (name, record) {
            // SAFETY: the decision's `record` field is a ContinuityRecord desc.
            ("record", Some(r)) => unsafe { record_struct(desc.item(i), r) as u64 },
            _ => match fields.iter().find(|(n, _)| *n == name).map(|(_, f)| f) {
                Some(Field::Str(s)) => alloc_str(s) as u64,
                Some(Field::Int(v)) => *v as u64,
                Some(Field::Bool(b)) => u64::from(*b),
                None => 0,
            },
        };
    }
    let words = std::hint::black_box(words);
    alloc_tuple(desc, &words[..count])
}

/// # Safety
/// `desc` must be the `ContinuityRecord` desc.
unsafe fn record_struct(desc: Desc, record: &Record) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { build(desc, &continuity::mesh_record_fields(record), None) }
}

/// The `Ok` payload desc of a `Result` desc.
fn ok_payload(result: Desc) -> Desc {
    let ok_case = (0..result.count())
        .map(|i| result.item(i))
        .find(|case| case.name() == "Ok")
        .unwrap_or_else(|| result.item(0));
    ok_case.item(0)
}

/// `Ok(struct)` made by `make` from the Ok payload desc, or `Err(text)`.
///
/// # Safety
/// `desc` must be a `Result<S, String>` desc whose `S` is what `make` builds.
unsafe fn result<T>(
    desc: *mut u8,
    value: Result<T, String>,
    make: impl FnOnce(Desc, &T) -> *mut u8,
) -> *mut u8 {
    let desc = desc as *const TypeDesc;
    match value {
        // SAFETY: forwarded contract.
        Err(text) => unsafe { option::err(desc, alloc_str(&text) as u64) },
        Ok(v) => {
            // SAFETY: forwarded contract: a live SUM desc.
            let payload = ok_payload(unsafe { Desc::from_ptr(desc) });
            let obj = make(payload, &v);
            // SAFETY: forwarded contract.
            unsafe { option::ok(desc, obj as u64) }
        }
    }
}

/// # Safety
/// `desc` must be `Result<ContinuityRecord, String>`'s.
unsafe fn record_result(desc: *mut u8, value: Result<Record, String>) -> *mut u8 {
    // SAFETY: `d` is the ContinuityRecord desc (the Ok payload of `desc`).
    let make = |d: Desc, r: &Record| unsafe { record_struct(d, r) };
    // SAFETY: forwarded contract.
    unsafe { result(desc, value, make) }
}

/// # Safety
/// `desc` must be `Result<ContinuitySubmitDecision, String>`'s.
unsafe fn decision_result(desc: *mut u8, value: Result<SubmitDecision, String>) -> *mut u8 {
    let make = |d: Desc, decision: &SubmitDecision| {
        let (outcome, reason, record) = continuity::decision_fields(decision);
        let fields = [
            ("outcome", Field::Str(outcome.to_string())),
            ("conflict_reason", Field::Str(reason.to_string())),
        ];
        // SAFETY: `d` is the ContinuitySubmitDecision desc (the Ok payload of `desc`).
        unsafe { build(d, &fields, Some(record)) }
    };
    // SAFETY: forwarded contract.
    unsafe { result(desc, value, make) }
}

fn submit_reply(reply: Reply) -> Result<SubmitDecision, String> {
    match reply {
        Reply::Submit(r) => r,
        Reply::Record(_) => Err("unexpected reply".into()),
    }
}

/// `Continuity.submit(request_key, payload_hash, ingress_node, owner_node, replica_node,
/// required_replicas, routed_remotely, fell_back_locally)`.
///
/// # Safety
/// `desc` is the result desc; the strings are live Mesh strings.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C-unwind" fn mesh_rt_continuity_submit(
    desc: *mut u8,
    key: *mut u8,
    hash: *mut u8,
    ingress: *mut u8,
    owner: *mut u8,
    replica: *mut u8,
    required: i64,
    remote: u8,
    local: u8,
) -> *mut u8 {
    // SAFETY: contract.
    let (key, hash, ingress, owner, replica) = unsafe {
        (
            as_str(key).to_string(),
            as_str(hash).to_string(),
            as_str(ingress).to_string(),
            as_str(owner).to_string(),
            as_str(replica).to_string(),
        )
    };
    let reply = runtime::request(|client| {
        continuity::submit(
            client,
            &key,
            &hash,
            &ingress,
            &owner,
            &replica,
            required,
            remote != 0,
            local != 0,
        )
    });
    // SAFETY: contract.
    unsafe { decision_result(desc, submit_reply(reply)) }
}

/// `Continuity.submit_declared_work(runtime_name, request_key, payload_hash,
/// required_replicas)`.
///
/// # Safety
/// As for `mesh_rt_continuity_submit`.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_continuity_submit_declared_work(
    desc: *mut u8,
    name: *mut u8,
    key: *mut u8,
    hash: *mut u8,
    required: i64,
) -> *mut u8 {
    // SAFETY: contract.
    let (name, key, hash) = unsafe {
        (
            as_str(name).to_string(),
            as_str(key).to_string(),
            as_str(hash).to_string(),
        )
    };
    // Placement reads the node; the client id is the runtime's, so the request is taken
    // out of the input and submitted.
    let outcome = runtime::with_node(|node| {
        continuity::submit_declared_work(node, 0, &name, &key, &hash, required)
    })
    .and_then(|input| match input {
        Input::Submit { request, .. } => runtime::submit(request),
        _ => Err("unexpected input".into()),
    });
    // SAFETY: contract.
    unsafe { decision_result(desc, outcome) }
}

/// `Continuity.status(request_key)`.
///
/// # Safety
/// `desc` is the result desc; `key` a live Mesh string.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_continuity_status(desc: *mut u8, key: *mut u8) -> *mut u8 {
    // SAFETY: contract.
    let key = unsafe { as_str(key) }.to_string();
    let value = runtime::with_node(|node| continuity::status(node, &key));
    // SAFETY: contract.
    unsafe { record_result(desc, value) }
}

/// `Continuity.authority_status()`.
///
/// # Safety
/// `desc` is the result desc.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_continuity_authority_status(desc: *mut u8) -> *mut u8 {
    let status = runtime::with_node(continuity::authority_status);
    let make = |d: Desc, s: &continuity::AuthorityStatus| {
        let fields = [
            ("cluster_role", Field::Str(s.cluster_role.clone())),
            ("promotion_epoch", Field::Int(s.promotion_epoch)),
            (
                "replication_health",
                Field::Str(s.replication_health.clone()),
            ),
        ];
        // SAFETY: `d` is the ContinuityAuthorityStatus desc (the Ok payload of `desc`).
        unsafe { build(d, &fields, None) }
    };
    // SAFETY: contract.
    unsafe { result(desc, Ok(status), make) }
}

/// `Continuity.mark_completed(request_key, attempt_id, execution_node)`.
///
/// # Safety
/// `desc` is the result desc; the strings are live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_continuity_mark_completed(
    desc: *mut u8,
    key: *mut u8,
    attempt: *mut u8,
    node: *mut u8,
) -> *mut u8 {
    // SAFETY: contract.
    let (key, attempt, node) = unsafe {
        (
            as_str(key).to_string(),
            as_str(attempt).to_string(),
            as_str(node).to_string(),
        )
    };
    let value = runtime::complete(&key, &attempt, &node);
    // SAFETY: contract.
    unsafe { record_result(desc, value) }
}

/// `Continuity.acknowledge_replica(request_key, attempt_id)`.
///
/// # Safety
/// `desc` is the result desc; the strings are live Mesh strings.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_continuity_acknowledge_replica(
    desc: *mut u8,
    key: *mut u8,
    attempt: *mut u8,
) -> *mut u8 {
    // SAFETY: contract.
    let (key, attempt) = unsafe { (as_str(key).to_string(), as_str(attempt).to_string()) };
    let value = runtime::acknowledge_replica(&key, &attempt);
    // SAFETY: contract.
    unsafe { record_result(desc, value) }
}
