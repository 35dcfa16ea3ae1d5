//! DNS discovery (runtime-cluster §2.5): every interval (the first run at once) the seed is
//! resolved with the cluster port; candidates are filtered (`duplicate`, `self`,
//! `already_connected`) and the rest dialled by address. One log line per tick where
//! something changed.

use super::node::{node, resolve};
use super::session::{dial, DialError};
use crate::sched;
use std::collections::BTreeSet;
use std::net::SocketAddr;

/// The discovery daemon's loop.
pub fn run(seed: &str, port: u16, interval_ms: u64) {
    let mut last_line = String::new();
    loop {
        let line = tick(seed, port);
        if let Some(line) = line {
            if line != last_line {
                eprintln!("{line}");
                last_line = line;
            }
        }
        let at = sched::deadline_after(i64::try_from(interval_ms).unwrap_or(i64::MAX));
        while sched::now_ns() < at {
            sched::park(Some(at));
        }
    }
}

/// One resolution and its dials. Returns the line to log when something other than `self`
/// or `already_connected` happened (the caller logs it when it differs from the last one).
fn tick(seed: &str, port: u16) -> Option<String> {
    let me = node()?;
    let (resolved, error) = match resolve(seed, port) {
        Ok(a) => (a, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let mut seen = BTreeSet::new();
    let mut accepted: Vec<SocketAddr> = Vec::new();
    let mut rejected: Vec<String> = Vec::new();
    let mut last_error = error;
    let own = own_addrs(me.bound, port);
    let connected: Vec<SocketAddr> = connected_addrs(port);
    let mut notable = false;
    for addr in &resolved {
        if !seen.insert(*addr) {
            rejected.push(format!("{addr}:duplicate"));
            notable = true;
            continue;
        }
        if own.contains(addr) {
            continue;
        }
        if connected.contains(addr) {
            continue;
        }
        accepted.push(*addr);
    }
    for &addr in &accepted {
        match dial(addr, None, &addr.to_string()) {
            Ok(()) | Err(DialError::SelfDial | DialError::AlreadyConnected) => {}
            Err(DialError::Tcp) => last_error = Some(format!("connect {addr} failed")),
            Err(DialError::Handshake(r)) => last_error = Some(format!("handshake {addr}: {r}")),
        }
        notable = true;
    }
    notable |= last_error.is_some();
    if !notable {
        return None;
    }
    let targets = |v: Vec<String>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(",")
        }
    };
    Some(format!(
        "mesh discovery: provider=dns seed={seed} cluster_port={port} resolved={} accepted={} accepted_targets={} rejected_targets={} last_error={}",
        resolved.len(),
        accepted.len(),
        targets(accepted.iter().map(ToString::to_string).collect()),
        targets(rejected),
        last_error.unwrap_or_else(|| "none".into()).replace(' ', "_"),
    ))
}

/// This node's own addresses: the bound one (an unspecified bind matches every local
/// address on the port).
fn own_addrs(bound: SocketAddr, port: u16) -> Vec<SocketAddr> {
    let mut v = vec![bound];
    if bound.ip().is_unspecified() {
        v.push(SocketAddr::from(([127, 0, 0, 1], port)));
        v.push(SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, port)));
    }
    v
}

/// The addresses of connected peers as their names give them (IP literal hosts).
fn connected_addrs(port: u16) -> Vec<SocketAddr> {
    super::node::list()
        .iter()
        .filter_map(|n| {
            let (_, host, p) = super::env::parse_name(n, true).ok()?;
            let ip = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse()
                .ok()?;
            Some(SocketAddr::new(ip, p.unwrap_or(port)))
        })
        .collect()
}
