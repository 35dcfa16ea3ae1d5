use super::*;
use crate::cluster::continuity::submit;
use crate::cluster::node::Config;
use crate::cluster::record::Role;

fn node_with_one_record() -> ClusterNode {
    let mut node = ClusterNode::new(Config::new("a@127.0.0.1:4370", Role::Primary, 0));
    let me = "a@127.0.0.1:4370";
    node.handle(submit(
        1,
        "startup::Work.add",
        "h",
        me,
        me,
        "",
        0,
        false,
        true,
    ));
    node
}

#[test]
fn query_and_reply_round_trip() {
    let q = Query {
        request_id: 7,
        kind: "continuity_lookup".into(),
        key: Some("startup::Work.add".into()),
        limit: None,
    };
    assert_eq!(Query::decode(&q.encode()), Ok(q));
    let q = Query::new(QueryKind::Diagnostics, None, Some(5));
    assert_eq!(Query::decode(&q.encode()), Ok(q.clone()));
    let mut long = q.encode();
    long.push(0);
    assert_eq!(Query::decode(&long), Err(FrameError::Malformed));
    assert_eq!(Query::decode(&[1, 2]), Err(FrameError::Malformed));
    for answer in [
        Answer::Ok {
            json: "{}".into(),
            human: "x: y\n".into(),
        },
        Answer::Err("request_key_not_found".into()),
    ] {
        let r = Reply {
            request_id: 9,
            answer,
        };
        assert_eq!(Reply::decode(&r.encode()), Ok(r));
    }
}

fn json_of(a: &Answer) -> serde_json::Value {
    match a {
        Answer::Ok { json, .. } => serde_json::from_str(json).expect("valid JSON"),
        Answer::Err(r) => panic!("error {r}"),
    }
}

#[test]
fn answers_every_kind_and_rejects_bad_lookups() {
    let node = node_with_one_record();
    let t = "a@127.0.0.1:4370";
    let status = answer(t, &node, &Query::new(QueryKind::Status, None, None));
    assert_eq!(json_of(&status)["authority"]["cluster_role"], "primary");
    let Answer::Ok { json, human } = &status else {
        unreachable!()
    };
    assert!(
        json.contains("\n  \"membership\": {"),
        "pretty-printed: {json}"
    );
    assert!(human.starts_with("target: a@127.0.0.1:4370\nlocal_node: a@127.0.0.1:4370\n"));
    let list = answer(
        t,
        &node,
        &Query::new(QueryKind::ContinuityList, None, Some(1)),
    );
    assert_eq!(json_of(&list)["total_records"], 1);
    let found = answer(
        t,
        &node,
        &Query::new(
            QueryKind::ContinuityLookup,
            Some("startup::Work.add".into()),
            None,
        ),
    );
    assert_eq!(
        json_of(&found)["record"]["request_key"],
        "startup::Work.add"
    );
    let Answer::Ok { human, .. } = &found else {
        unreachable!()
    };
    assert!(human.contains("\nrequest_key: startup::Work.add\n"));
    assert_eq!(
        answer(
            t,
            &node,
            &Query::new(QueryKind::ContinuityLookup, Some("nope".into()), None)
        ),
        Answer::Err("request_key_not_found".into())
    );
    assert_eq!(
        answer(
            t,
            &node,
            &Query::new(QueryKind::ContinuityLookup, None, None)
        ),
        Answer::Err("request_key_missing".into())
    );
    let diag = answer(t, &node, &Query::new(QueryKind::Diagnostics, None, None));
    assert_eq!(json_of(&diag)["buffer_capacity"], 128);
    let mut odd = Query::new(QueryKind::Status, None, None);
    odd.kind = "shutdown".into();
    assert_eq!(
        answer(t, &node, &odd),
        Answer::Err("unknown_query_kind".into())
    );
}

#[test]
fn client_reports_refused_connections_and_timeouts() {
    // A port nobody listens on.
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed = l.local_addr().expect("addr");
    drop(l);
    let q = Query::new(QueryKind::Status, None, None);
    match query(
        "a@127.0.0.1:1",
        &[closed],
        b"cookie",
        &q,
        &Deadline::after_ms(2_000),
    ) {
        Err(QueryError::Failed(r)) => assert!(r.starts_with("could not connect to "), "{r}"),
        other => panic!("{other:?}"),
    }
    // A listener that accepts and never answers: the deadline bounds the whole exchange.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = silent.local_addr().expect("addr");
    let started = Instant::now();
    assert_eq!(
        query(
            "a@127.0.0.1:1",
            &[addr],
            b"cookie",
            &q,
            &Deadline::after_ms(300)
        ),
        Err(QueryError::Failed("timed out after 300 ms".into()))
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(silent);
}

#[test]
fn resolution_of_literals_and_names() {
    let d = Deadline::after_ms(5_000);
    assert_eq!(
        resolve("::1", 7, &d),
        Ok(vec!["[::1]:7".parse().expect("addr")])
    );
    assert!(resolve("localhost", 7, &d).is_ok_and(|a| !a.is_empty()));
    // Without a reachable resolver the lookup may run into the deadline instead.
    let short = Deadline::after_ms(2_000);
    match resolve("no-such-host.invalid", 7, &short) {
        Err(QueryError::Failed(r)) => assert!(
            r.starts_with("could not resolve no-such-host.invalid: ")
                || r == "timed out after 2000 ms",
            "{r}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn operator_name_has_the_operator_prefix() {
    let name = operator_name();
    assert!(name.starts_with("mesh-operator@") && name.len() > "mesh-operator@".len());
    assert!(!name.chars().any(char::is_whitespace));
}
