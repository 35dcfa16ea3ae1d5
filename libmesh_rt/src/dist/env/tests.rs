use super::*;
use std::collections::HashMap;

fn run(vars: &[(&str, &str)]) -> Result<Plan, String> {
    run_host(vars, "box-1")
}

fn run_host(vars: &[(&str, &str)], host: &str) -> Result<Plan, String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let env = move |k: &str| -> Result<Option<String>, ()> {
        match map.get(k) {
            Some(v) if v == "\u{fffd}bad" => Err(()),
            v => Ok(v.cloned()),
        }
    };
    let host = host.to_string();
    plan(&env, &move || host.clone())
}

fn err(vars: &[(&str, &str)]) -> String {
    run(vars).expect_err("an error")
}

fn name_of(vars: &[(&str, &str)]) -> String {
    match run(vars) {
        Ok(Plan::Cluster { name, .. }) => name,
        other => panic!("not a cluster plan: {other:?}"),
    }
}

const C: (&str, &str) = ("MESH_CLUSTER_COOKIE", "a-long-cluster-cookie-value");
const S: (&str, &str) = ("MESH_DISCOVERY_SEED", "localhost");

#[test]
fn standalone_without_cookie_or_hints() {
    assert_eq!(run(&[]), Ok(Plan::Standalone { port: 4370 }));
    assert_eq!(
        run(&[("MESH_CLUSTER_PORT", " 4999 ")]),
        Ok(Plan::Standalone { port: 4999 })
    );
    assert_eq!(
        run(&[("MESH_CLUSTER_COOKIE", "   ")]),
        Ok(Plan::Standalone { port: 4370 })
    );
}

#[test]
fn every_step_error_text_in_order() {
    for bad in ["0", "-1", "x", "65536"] {
        assert_eq!(
            err(&[("MESH_CLUSTER_PORT", bad)]),
            "Invalid MESH_CLUSTER_PORT: expected a positive integer"
        );
    }
    for hint in [
        "MESH_DISCOVERY_SEED",
        "MESH_NODE_NAME",
        "MESH_NODE_HOST",
        "FLY_APP_NAME",
        "FLY_PRIVATE_IP",
    ] {
        assert_eq!(
            err(&[(hint, "x")]),
            "MESH_CLUSTER_COOKIE is required when discovery or identity env is set"
        );
    }
    assert_eq!(
        err(&[C]),
        "Missing required environment variable MESH_DISCOVERY_SEED"
    );
    assert_eq!(
        err(&[C, S, ("MESH_CONTINUITY_ROLE", "leader")]),
        "Invalid MESH_CONTINUITY_ROLE: expected primary or standby"
    );
    for bad in ["-1", "x", "1.5"] {
        assert_eq!(
            err(&[C, S, ("MESH_CONTINUITY_PROMOTION_EPOCH", bad)]),
            "Invalid MESH_CONTINUITY_PROMOTION_EPOCH: expected a non-negative integer"
        );
    }
    assert_eq!(
        err(&[C, ("MESH_DISCOVERY_SEED", "\u{fffd}bad")]),
        "MESH_DISCOVERY_SEED must be valid UTF-8"
    );
    // Step 1 comes first even with other errors.
    assert_eq!(
        err(&[("MESH_CLUSTER_PORT", "x"), S]),
        "Invalid MESH_CLUSTER_PORT: expected a positive integer"
    );
}

#[test]
fn explicit_names_and_their_errors() {
    let named = |n: &'static str| vec![C, S, ("MESH_NODE_NAME", n), ("MESH_CLUSTER_PORT", "4370")];
    assert_eq!(name_of(&named("app@127.0.0.1:4370")), "app@127.0.0.1:4370");
    assert_eq!(name_of(&named("standby@[::1]:4370")), "standby@[::1]:4370");
    let cases = [
        ("a b@h:4370", "value cannot contain spaces"),
        ("app-host:4370", "expected name@host:port"),
        ("a@b@h:4370", "expected name@host:port"),
        ("app@host", "expected name@host:port"),
        ("@host:4370", "node name cannot be blank"),
        ("app@:4370", "host cannot be blank"),
        ("app@::1:4370", "IPv6 host must use [addr]:port"),
        ("app@ho$t:4370", "host is invalid"),
        ("app@[zz]:4370", "host is invalid"),
        ("app@host:0", "port must be a positive integer"),
        ("app@host:x", "port must be a positive integer"),
        ("app@host:4371", "port must match MESH_CLUSTER_PORT"),
    ];
    for (value, text) in cases {
        assert_eq!(
            err(&named(value)),
            format!("Invalid MESH_NODE_NAME: {text}"),
            "{value}"
        );
    }
}

#[test]
fn fly_and_hostname_identities() {
    let fly = [
        ("FLY_APP_NAME", "todo"),
        ("FLY_REGION", "ams"),
        ("FLY_MACHINE_ID", "m1"),
        ("FLY_PRIVATE_IP", "fdaa::3"),
    ];
    let mut vars = vec![C, S];
    vars.extend(fly);
    assert_eq!(name_of(&vars), "todo-ams-m1@[fdaa::3]:4370");
    assert_eq!(
        err(&[C, S, fly[0]]),
        "Invalid cluster identity: Fly cluster identity requires FLY_APP_NAME, FLY_REGION, FLY_MACHINE_ID, and FLY_PRIVATE_IP"
    );
    assert_eq!(name_of(&[C, S]), "box-1@box-1:4370");
    assert_eq!(
        name_of(&[
            C,
            S,
            ("MESH_NODE_HOST", "fd00::1"),
            ("MESH_CLUSTER_PORT", "5000")
        ]),
        "box-1@[fd00::1]:5000"
    );
    assert_eq!(
        err(&[C, S, ("MESH_NODE_HOST", "a@b")]),
        "Invalid cluster identity: advertised host cannot contain @"
    );
    assert_eq!(
        err(&[C, S, ("MESH_NODE_HOST", "[::1")]),
        "Invalid cluster identity: advertised host has unbalanced brackets"
    );
    assert_eq!(
        err(&[C, S, ("MESH_NODE_HOST", "[]")]),
        "Invalid cluster identity: advertised host cannot be blank"
    );
    assert_eq!(
        run_host(&[C, S], " ").expect_err("blank"),
        "Invalid cluster identity: system hostname is blank"
    );
    assert_eq!(
        run_host(&[C, S], "bad host!").expect_err("chars"),
        "Invalid cluster identity: system hostname contains invalid characters"
    );
}

#[test]
fn settings_are_read_with_fallbacks() {
    let Ok(Plan::Cluster { settings, seed, .. }) = run(&[
        C,
        S,
        ("MESH_CONTINUITY_ROLE", "standby"),
        ("MESH_CONTINUITY_PROMOTION_EPOCH", "3"),
        ("MESH_STARTUP_WORK_DELAY_MS", "-5"),
        ("MESH_DISCOVERY_INTERVAL_MS", "0"),
        ("MESH_NODE_DOWN_AFTER_MS", "800"),
    ]) else {
        panic!("cluster plan expected")
    };
    assert_eq!(seed, "localhost");
    assert_eq!((settings.role, settings.epoch), (Role::Standby, 3));
    assert_eq!(settings.startup_work_delay_ms, None);
    assert!(settings.discovery_interval_ms.is_err());
    assert_eq!(settings.down_after_ms, 800);
    assert_eq!(settings.max_records, 10_000);
}

#[test]
fn the_cookie_never_shows_in_debug_output() {
    let plan = run(&[C, S]).expect("cluster plan");
    let text = format!("{plan:?}");
    assert!(!text.contains(C.1) && text.contains("<redacted>"), "{text}");
}
