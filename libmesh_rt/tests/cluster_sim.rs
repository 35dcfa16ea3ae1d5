//! Deterministic simulation of the continuity core (issue 19 item 7): two nodes running the
//! unchanged `mesh_rt::cluster::Node` state machine under a seeded virtual world (see
//! `cluster_sim/world.rs`), with the invariants of `cluster_sim/check.rs` checked after every
//! step. `many_seeds` runs 2,000 seeds; a failing seed prints its replay command, and
//! `replay` runs one seed (`MESH_SIM_SEED`, default 1) printing its whole trace.

#[path = "cluster_sim/check.rs"]
mod check;
#[path = "cluster_sim/world.rs"]
mod world;

use mesh_rt::cluster::node::Fault;
use world::World;

/// Virtual time under load and chaos, then time to heal and settle.
const ACTIVE_MS: u64 = 30_000;
const SETTLE_MS: u64 = 40_000;
const SEEDS: u64 = 2_000;

fn run_seed(seed: u64, fault: Option<Fault>, trace: bool) -> (Result<(), String>, World) {
    let mut world = World::new(seed, fault, trace);
    let result = world.run(ACTIVE_MS, SETTLE_MS);
    (result, world)
}

fn replay_command(seed: u64) -> String {
    format!("MESH_SIM_SEED={seed} cargo test -p mesh_rt --test cluster_sim replay -- --nocapture")
}

/// Runs `seeds` on two threads; returns the failures as (seed, message), sorted by seed.
fn run_seeds(seeds: std::ops::Range<u64>, fault: Option<Fault>) -> Vec<(u64, String)> {
    let threads = 2;
    let mut failures: Vec<(u64, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let seeds = seeds.clone();
                scope.spawn(move || {
                    seeds
                        .filter(|s| s % threads == t)
                        .filter_map(|seed| run_seed(seed, fault, false).0.err().map(|e| (seed, e)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("simulation thread"))
            .collect()
    });
    failures.sort();
    failures
}

/// `MESH_SIM_SEEDS=<start>..<end>` explores other seeds (default `0..2000`, what CI runs).
fn seed_range() -> std::ops::Range<u64> {
    let parsed = std::env::var("MESH_SIM_SEEDS").ok().and_then(|text| {
        let (start, end) = text.trim().split_once("..")?;
        Some(start.parse().ok()?..end.parse().ok()?)
    });
    parsed.unwrap_or(0..SEEDS)
}

#[test]
fn many_seeds() {
    let seeds = seed_range();
    let count = seeds.end.saturating_sub(seeds.start);
    let failures = run_seeds(seeds, None);
    for (seed, message) in &failures {
        eprintln!(
            "cluster sim: seed {seed} failed: {message}\n  replay: {}",
            replay_command(*seed)
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {count} seeds failed (first: seed {})",
        failures.len(),
        failures[0].0
    );
}

#[test]
fn replay() {
    let seed = std::env::var("MESH_SIM_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    let (result, world) = run_seed(seed, None, true);
    for line in world.trace.as_deref().unwrap_or_default() {
        println!("{line}");
    }
    println!("seed {seed}: {} steps, {result:?}", world.steps);
    assert_eq!(result, Ok(()), "seed {seed}");
}

#[test]
fn same_seed_same_run() {
    let (first, a) = run_seed(7, None, true);
    let (second, b) = run_seed(7, None, true);
    assert_eq!(first, second);
    assert_eq!(a.trace, b.trace);
    assert!(
        a.steps > 500,
        "a run should do real work, did {} steps",
        a.steps
    );
}

/// The invariants are real: acknowledging a replicated submit before the standby's ack is
/// caught as a lost acknowledged request.
#[test]
fn catches_ack_before_mirror() {
    let failures = run_seeds(0..400, Some(Fault::AckBeforeMirror));
    let lost = failures
        .iter()
        .find(|(_, m)| m.contains("acknowledged request"));
    assert!(
        lost.is_some(),
        "no seed caught Fault::AckBeforeMirror; failures: {failures:?}"
    );
}

/// Promoting without a new epoch lets the recovered attempt and the old primary's attempt
/// complete in one epoch: caught by the at-most-once check.
#[test]
fn catches_promotion_without_a_new_epoch() {
    let failures = run_seeds(0..400, Some(Fault::PromoteAtSameEpoch));
    assert!(
        failures.iter().any(|(_, m)| m.contains("completed twice")),
        "no seed caught Fault::PromoteAtSameEpoch; failures: {failures:?}"
    );
}
