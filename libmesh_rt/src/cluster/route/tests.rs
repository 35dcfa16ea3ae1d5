use super::wire::{Outcome, RouteCall, RouteReply};
use super::*;

fn sample() -> RouteRequest {
    RouteRequest {
        method: "GET".into(),
        path: "/todos/7".into(),
        query: "a=1&b=%20".into(),
        body: "{\"x\":\"é\"}".into(),
        headers: vec![("Host".into(), "x".into()), ("X-A".into(), "".into())],
        params: vec![("id".into(), "7".into())],
    }
}

#[test]
fn request_round_trips_and_hash_is_stable() {
    let req = sample();
    let bytes = encode_request(&req);
    assert_eq!(decode_request(&bytes).expect("decodes"), req);
    assert_eq!(bytes[0], VERSION);
    assert_eq!(bytes[1], tag::REQUEST);
    let hash = sha256_hex(&bytes);
    assert_eq!(hash.len(), 64);
    assert!(hash
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()));
    assert_eq!(hash, sha256_hex(&encode_request(&sample())));
    let mut other = sample();
    other.params[0].1 = "8".into();
    assert_ne!(hash, sha256_hex(&encode_request(&other)));
}

#[test]
fn request_decoding_refuses_bad_input() {
    let bytes = encode_request(&sample());
    for cut in 0..bytes.len() {
        assert!(decode_request(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(decode_request(&trailing).is_err());
    assert!(
        decode_response(&bytes).is_err(),
        "a request is not a response"
    );
}

#[test]
fn response_round_trips() {
    let mut resp = Response::new(201, "created");
    resp.headers.push(("X-Y".into(), "z".into()));
    let bytes = encode_response(&resp);
    assert_eq!(decode_response(&bytes).expect("decodes"), resp);
    let bad = encode_response(&Response::new(42, ""));
    assert_eq!(
        decode_response(&bad),
        Err(CodecError::InvalidValue("HTTP status"))
    );
}

#[test]
fn keys_carry_counter_and_incarnation() {
    assert_eq!(
        request_key("Api.Todos.handle_list_todos", 3, 0xabc),
        "http-route::Api.Todos.handle_list_todos::3-abc"
    );
    let a = next_counter();
    let b = next_counter();
    assert!(a >= 1 && b > a);
}

#[test]
fn placement_is_by_hash_order_and_same_on_every_node() {
    let a = "a@127.0.0.1:4370".to_string();
    let b = "b@[::1]:4370".to_string();
    let mut owners = std::collections::BTreeSet::new();
    for i in 1..64 {
        let key = request_key("M.f", i, 7);
        let from_a = place(&a, std::slice::from_ref(&b), &key, 2);
        let from_b = place(&b, std::slice::from_ref(&a), &key, 2);
        assert_eq!(from_a, from_b, "both nodes agree on {key}");
        assert_ne!(from_a.owner, from_a.replica);
        assert!([&a, &b].contains(&&from_a.owner) && [&a, &b].contains(&&from_a.replica));
        assert_eq!(place(&a, std::slice::from_ref(&b), &key, 1).replica, "");
        assert_eq!(place(&a, std::slice::from_ref(&b), &key, 3).replica, "");
        owners.insert(from_a.owner);
    }
    assert_eq!(owners.len(), 2, "keys spread over both members");
    let alone = place(&a, &[], "k", 2);
    assert_eq!(
        alone,
        Placement {
            owner: a.clone(),
            replica: String::new()
        }
    );
}

#[test]
fn placement_follows_the_stated_formula() {
    let names = ["n1@h:1", "n2@h:1", "n3@h:1"];
    let mut order: Vec<(String, &str)> = names
        .iter()
        .map(|n| (sha256_hex(n.as_bytes()), *n))
        .collect();
    order.sort();
    let key = "http-route::M.f::1-1";
    let digest = Sha256::digest(format!("request::{key}").as_bytes());
    let idx = (u64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) % 3) as usize;
    let peers: Vec<String> = names[1..].iter().map(|s| s.to_string()).collect();
    let got = place(names[0], &peers, key, 2);
    assert_eq!(got.owner, order[idx].1);
    assert_eq!(got.replica, order[(idx + 1) % 3].1);
}

#[test]
fn failure_and_key_header() {
    let r = failure(
        "unsupported_replication_count:3",
        Some("http-route::M.f::1-a"),
    );
    assert_eq!(r.status, 503);
    assert_eq!(r.body, r#"{"error":"unsupported_replication_count:3"}"#);
    assert_eq!(
        r.headers,
        vec![(KEY_HEADER.to_string(), "http-route::M.f::1-a".to_string())]
    );
    assert!(failure("x\"y", None).headers.is_empty());
    assert_eq!(failure("x\"y", None).body, r#"{"error":"x\"y"}"#);
    let mut own = Response::new(200, "ok");
    own.headers
        .push(("x-mesh-continuity-request-key".into(), "forged".into()));
    own.headers.push(("X-Other".into(), "1".into()));
    let r = with_key(own, "k");
    assert_eq!(
        r.headers,
        vec![
            ("X-Other".to_string(), "1".to_string()),
            (KEY_HEADER.to_string(), "k".to_string())
        ]
    );
    let c = crashed("k");
    assert_eq!((c.status, c.body.as_str()), (500, "Internal Server Error"));
    assert_eq!(required_replicas(1), 0);
    assert_eq!(required_replicas(2), 1);
    assert_eq!(required_replicas(3), 0);
}

#[test]
fn frames_round_trip() {
    let call = RouteCall {
        request_id: 9,
        runtime_name: "Api.Todos.handle_list_todos".into(),
        request_key: "http-route::Api.Todos.handle_list_todos::1-ff".into(),
        count: 2,
        ingress: "a@127.0.0.1:4370".into(),
        replica: "a@127.0.0.1:4370".into(),
        payload_hash: sha256_hex(b"x"),
        request: encode_request(&sample()),
    };
    let bytes = call.encode();
    assert_eq!(RouteCall::decode(&bytes).expect("decodes"), call);
    for cut in 0..bytes.len() {
        assert!(RouteCall::decode(&bytes[..cut]).is_err());
    }
    for outcome in [
        Outcome::Ok(encode_response(&Response::new(200, "hi"))),
        Outcome::Rejected("handler_crashed".into()),
    ] {
        let reply = RouteReply {
            request_id: 9,
            attempt_id: "attempt-4".into(),
            outcome,
        };
        let bytes = reply.encode();
        assert_eq!(RouteReply::decode(&bytes).expect("decodes"), reply);
        let mut extra = bytes.clone();
        extra.push(1);
        assert!(RouteReply::decode(&extra).is_err());
    }
    let mut bad = RouteReply {
        request_id: 1,
        attempt_id: String::new(),
        outcome: Outcome::Rejected(String::new()),
    }
    .encode();
    bad[8] = 7;
    assert!(RouteReply::decode(&bad).is_err());
}
