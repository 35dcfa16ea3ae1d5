//! TEMPORARY stand-in for the registry of declarations (`cluster/declared.rs`, branch `ccomp`):
//! just enough for the runtime and its tests until that branch is merged; then deleted.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// What a declaration is (`mesh_rt_cluster_declare`'s `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Startup,
    Route,
    Other,
}

/// One declared handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declared {
    pub entry: usize,
    pub count: i64,
    pub kind: Kind,
}

static TABLE: Mutex<BTreeMap<String, Declared>> = Mutex::new(BTreeMap::new());
static TEST_BUILD: AtomicBool = AtomicBool::new(false);

pub fn declare(name: &str, entry: usize, count: i64, kind: Kind) {
    TABLE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name.to_string(), Declared { entry, count, kind });
}

pub fn lookup(name: &str) -> Option<Declared> {
    TABLE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(name)
        .copied()
}

pub fn names() -> Vec<String> {
    TABLE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .keys()
        .cloned()
        .collect()
}

pub fn startup_names() -> Vec<String> {
    TABLE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|(_, d)| d.kind == Kind::Startup)
        .map(|(n, _)| n.clone())
        .collect()
}

pub fn set_test_build() {
    TEST_BUILD.store(true, Ordering::SeqCst);
}

pub fn is_test_build() -> bool {
    TEST_BUILD.load(Ordering::SeqCst)
}
