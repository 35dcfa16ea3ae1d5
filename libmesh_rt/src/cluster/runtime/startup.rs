//! The startup-work actors (runtime-cluster §4.2–§4.4): triggered once per process (at
//! `HTTP.serve`/`serve_tls` after the listening line, or when `main` returns), never in test
//! builds; one actor per startup runtime name waits for convergence (cluster mode), follows
//! `cluster::startup::decide` (skip on a standby, else placement and submit), waits the
//! dispatch window, runs the work (`execute`) and waits for the record's terminal state,
//! logging `startup_fenced` if its attempt is replaced meanwhile.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::cluster::node::SubmitOutcome;
use crate::cluster::startup::{self, StartupDecision};
use crate::sched;

use super::{actor, declared, execute, note};

/// Membership must be unchanged this long, with a converged peer (§4.3 step 2).
const STABLE_MS: u64 = 150;
/// With no peer ever seen, a node goes on alone after this long.
const CONVERGENCE_DEADLINE_MS: u64 = 2_000;
/// How often the actors look at the node.
const POLL_MS: i64 = 10;

static TRIGGERED: AtomicBool = AtomicBool::new(false);

/// Triggers startup work (idempotent: only the first call of the process does anything).
/// Returns true when startup work was started by this call.
pub fn trigger() -> bool {
    if TRIGGERED.swap(true, Ordering::SeqCst) || super::is_test_build() {
        return false;
    }
    let names = super::startup_names();
    if names.is_empty() {
        return false;
    }
    // The node (and its authority) is fixed from here on.
    actor::get();
    for name in names {
        crate::actor::spawn_native("startup work", move || run(&name));
    }
    true
}

/// Parks the calling process (or thread) for about `ms`.
fn pause(ms: i64) {
    if sched::current().is_some() {
        sched::park(Some(sched::deadline_after(ms)));
    } else {
        std::thread::sleep(std::time::Duration::from_millis(ms.max(0) as u64));
    }
}

fn elapsed_ms(since: u64) -> u64 {
    sched::now_ns().saturating_sub(since) / 1_000_000
}

fn run(name: &str) {
    let c = actor::get();
    let count = declared(name).map_or(2, |d| d.count);
    if c.cluster && !converge(name) {
        return;
    }
    let decision = startup::decide(&c.node(), name, count);
    let (trigger, request) = match decision {
        StartupDecision::Skip(entry) => return note(entry),
        StartupDecision::Submit { trigger, request } => (trigger, request),
    };
    note(trigger);
    let key = request.request_key.clone();
    let decision = match super::submit(request) {
        Ok(d) => d,
        Err(reason) => return note(startup::rejected(name, &reason)),
    };
    let entry = startup::after_submit(&decision, c.startup_window_ms);
    let attempt = decision.record.attempt_id();
    match decision.outcome {
        SubmitOutcome::Created => {
            if let Some(window) = entry {
                let ms = c.startup_window_ms.unwrap_or(0);
                note(window);
                let until = sched::now_ns() + ms.saturating_mul(1_000_000);
                while sched::now_ns() < until {
                    pause(((until - sched::now_ns()) / 1_000_000).max(1) as i64);
                }
            }
            let still_ours = c
                .node()
                .record(&key)
                .is_some_and(|r| r.is_pending() && r.attempt_id() == attempt);
            if still_ours {
                execute::spawn(key.clone(), attempt.clone(), name.to_string());
            }
            wait_terminal(name, &key, &attempt);
        }
        SubmitOutcome::Duplicate => wait_terminal(name, &key, &attempt),
        SubmitOutcome::Rejected | SubmitOutcome::Conflict => {
            if let Some(entry) = entry {
                note(entry);
            }
        }
    }
}

/// Waits until the record of `key` is terminal; logs `startup_rejected` when it was
/// rejected, `startup_fenced` when its attempt changed under this actor (§4.3 step 8).
/// (`startup_completed` is logged by the execution that completed it.)
fn wait_terminal(name: &str, key: &str, attempt: &str) {
    let c = actor::get();
    loop {
        let record = c.node().record(key).cloned();
        if let Some(record) = record {
            if record.attempt_id() != attempt {
                return note(startup::fenced(&record, attempt));
            }
            if record.phase.is_terminal() {
                if record.phase == crate::cluster::record::Phase::Rejected {
                    note(startup::rejected(name, &record.error));
                }
                return;
            }
        }
        pause(POLL_MS * 2);
    }
}

/// The convergence wait (§4.3 step 2): true to go on; false after logging the timeout.
fn converge(name: &str) -> bool {
    let c = actor::get();
    let start = sched::now_ns();
    let mut wait = ConvergenceWait::default();
    loop {
        let (peers, converged) = {
            let node = c.node();
            (node.membership().peer_nodes, node.converged_peers())
        };
        match wait.observe(elapsed_ms(start), peers, converged) {
            Some(Converged::Go) => return true,
            Some(Converged::TimedOut) => {
                for entry in startup::convergence_timeout(name) {
                    note(entry);
                }
                return false;
            }
            None => pause(POLL_MS),
        }
    }
}

/// The outcome of the convergence wait.
#[derive(Debug, PartialEq, Eq)]
enum Converged {
    /// Membership settled with a converged peer, or no peer was ever seen in time.
    Go,
    /// Peers were seen but membership never settled within the deadline.
    TimedOut,
}

/// The state of the convergence wait, fed one observation of the membership at a time (pure,
/// so the rule is tested without a cluster).
#[derive(Default)]
struct ConvergenceWait {
    seen_peer: bool,
    last: Option<(Vec<String>, Vec<String>)>,
    changed_at_ms: u64,
}

impl ConvergenceWait {
    /// One look at the membership `elapsed_ms` after the wait began: the peers and the
    /// converged peers. `None`: keep waiting.
    fn observe(
        &mut self,
        elapsed_ms: u64,
        peers: Vec<String>,
        converged: Vec<String>,
    ) -> Option<Converged> {
        self.seen_peer |= !peers.is_empty();
        let view = (peers, converged);
        if self.last.as_ref() != Some(&view) {
            self.last = Some(view);
            self.changed_at_ms = elapsed_ms;
        }
        let has_converged = self.last.as_ref().is_some_and(|(_, c)| !c.is_empty());
        if has_converged && elapsed_ms.saturating_sub(self.changed_at_ms) >= STABLE_MS {
            return Some(Converged::Go);
        }
        if elapsed_ms >= CONVERGENCE_DEADLINE_MS {
            return Some(if self.seen_peer {
                Converged::TimedOut
            } else {
                Converged::Go
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// Feeds `(elapsed_ms, peers, converged)` observations every 10 ms until an outcome.
    fn run(view: impl Fn(u64) -> (Vec<String>, Vec<String>)) -> (u64, Converged) {
        let mut wait = ConvergenceWait::default();
        let mut t = 0;
        loop {
            let (peers, converged) = view(t);
            if let Some(outcome) = wait.observe(t, peers, converged) {
                return (t, outcome);
            }
            t += 10;
        }
    }

    #[test]
    fn a_converged_peer_stable_for_150_ms_lets_the_work_go() {
        // The peer appears at 300 ms and converges at 400 ms.
        let (t, outcome) = run(|t| match t {
            0..300 => (names(&[]), names(&[])),
            300..400 => (names(&["b"]), names(&[])),
            _ => (names(&["b"]), names(&["b"])),
        });
        assert_eq!(outcome, Converged::Go);
        assert_eq!(t, 400 + STABLE_MS);
    }

    #[test]
    fn no_peer_ever_seen_goes_on_alone_at_the_deadline() {
        let (t, outcome) = run(|_| (names(&[]), names(&[])));
        assert_eq!((t, outcome), (CONVERGENCE_DEADLINE_MS, Converged::Go));
    }

    #[test]
    fn a_flapping_peer_times_the_wait_out() {
        // The peer converges, then is lost and back every 100 ms: membership never holds
        // still for 150 ms with a converged peer.
        let (t, outcome) = run(|t| {
            if (t / 100) % 2 == 0 {
                (names(&["b"]), names(&["b"]))
            } else {
                (names(&[]), names(&[]))
            }
        });
        assert_eq!((t, outcome), (CONVERGENCE_DEADLINE_MS, Converged::TimedOut));
    }

    #[test]
    fn a_peer_seen_once_then_gone_times_the_wait_out() {
        let (t, outcome) = run(|t| {
            if t < 50 {
                (names(&["b"]), names(&[]))
            } else {
                (names(&[]), names(&[]))
            }
        });
        assert_eq!((t, outcome), (CONVERGENCE_DEADLINE_MS, Converged::TimedOut));
    }
}
