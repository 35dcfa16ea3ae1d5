//! The table of clustered declarations a program registers before its `main` runs
//! (runtime-cluster §4.1, §7): one row per `@cluster` function and per `HTTP.clustered` route
//! handler, by runtime name (`Work.add`, `Api.Todos.handle_list_todos`). Generated code fills
//! it through `mesh_rt_cluster_declare` (abi/cluster.rs); the startup actors, the clustered
//! route runtime and `Continuity.submit_declared_work` read it.
//!
//! Entries are code addresses of generated thunks (see [`Kind`]); the table never calls them.
//! A name is registered once: the compiler rejects a runtime name declared twice (CFG0001), so
//! a second registration of a name is a runtime bug and panics.

use std::sync::{Mutex, MutexGuard};

/// What a declaration is, and so the calling convention of its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Startup work: a `pub fn` with zero parameters. Entry: `extern "C-unwind" fn()`, which
    /// calls the function and discards its result.
    Startup,
    /// A clustered route handler. Entry: the code of a capture-free Mesh closure
    /// `fn(Request) -> Response`: `extern "C-unwind" fn(closure: *mut u8, request: u64) -> u64`
    /// (the closure argument is ignored; a closure object `{code = entry}` with no captures
    /// is a valid handler value, and `call1` calls it like any route handler).
    Route,
    /// Other declared work (an `@cluster` function with parameters, P2). Entry: the code of a
    /// capture-free Mesh closure over the function (`fn(closure, arg words…) -> word`).
    Other,
}

impl Kind {
    /// The integer generated code passes (`kind` of `mesh_rt_cluster_declare`).
    pub fn from_abi(kind: i64) -> Option<Kind> {
        match kind {
            0 => Some(Kind::Startup),
            1 => Some(Kind::Route),
            2 => Some(Kind::Other),
            _ => None,
        }
    }

    pub fn to_abi(self) -> i64 {
        match self {
            Kind::Startup => 0,
            Kind::Route => 1,
            Kind::Other => 2,
        }
    }
}

/// One registered declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// `<Module>.<fn>`.
    pub runtime_name: String,
    /// The generated thunk's code address (convention per [`Kind`]).
    pub entry: usize,
    /// The replication count `N` (`@cluster(N)`, `HTTP.clustered(N, …)`; default 2).
    pub count: i64,
    pub kind: Kind,
}

/// Why a registration was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclareError {
    /// The name is already registered (the compiler prevents this: CFG0001).
    Duplicate(String),
    /// `kind` is not 0, 1 or 2.
    BadKind(i64),
    /// A null entry.
    NullEntry(String),
}

impl std::fmt::Display for DeclareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeclareError::Duplicate(name) => {
                write!(f, "clustered runtime name `{name}` registered twice")
            }
            DeclareError::BadKind(kind) => write!(f, "unknown clustered declaration kind {kind}"),
            DeclareError::NullEntry(name) => {
                write!(f, "clustered declaration `{name}` has no entry")
            }
        }
    }
}

/// A table of declarations. The program has one ([`declare`] and the functions beside it);
/// tests make their own.
#[derive(Debug, Default)]
pub struct Registry {
    /// In registration order (the order of the program's declarations).
    rows: Vec<Declared>,
    test_build: bool,
}

impl Registry {
    pub const fn new() -> Registry {
        Registry {
            rows: Vec::new(),
            test_build: false,
        }
    }

    /// Registers a declaration.
    pub fn declare(
        &mut self,
        runtime_name: &str,
        entry: usize,
        count: i64,
        kind: i64,
    ) -> Result<(), DeclareError> {
        let kind = Kind::from_abi(kind).ok_or(DeclareError::BadKind(kind))?;
        if entry == 0 {
            return Err(DeclareError::NullEntry(runtime_name.to_string()));
        }
        if self.rows.iter().any(|d| d.runtime_name == runtime_name) {
            return Err(DeclareError::Duplicate(runtime_name.to_string()));
        }
        self.rows.push(Declared {
            runtime_name: runtime_name.to_string(),
            entry,
            count,
            kind,
        });
        Ok(())
    }

    pub fn lookup(&self, runtime_name: &str) -> Option<Declared> {
        self.rows
            .iter()
            .find(|d| d.runtime_name == runtime_name)
            .cloned()
    }

    pub fn all(&self) -> Vec<Declared> {
        self.rows.clone()
    }

    pub fn startup_names(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|d| d.kind == Kind::Startup)
            .map(|d| d.runtime_name.clone())
            .collect()
    }

    pub fn set_test_build(&mut self) {
        self.test_build = true;
    }

    pub fn is_test_build(&self) -> bool {
        self.test_build
    }
}

static TABLE: Mutex<Registry> = Mutex::new(Registry::new());

fn table() -> MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves the rows intact (every update is one push).
    TABLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Registers a declaration in the program's table.
pub fn declare(
    runtime_name: &str,
    entry: usize,
    count: i64,
    kind: i64,
) -> Result<(), DeclareError> {
    table().declare(runtime_name, entry, count, kind)
}

/// The declaration of `runtime_name`, if registered.
pub fn lookup(runtime_name: &str) -> Option<Declared> {
    table().lookup(runtime_name)
}

/// Every declaration, in registration order.
pub fn all() -> Vec<Declared> {
    table().all()
}

/// The runtime names of the startup work, in registration order.
pub fn startup_names() -> Vec<String> {
    table().startup_names()
}

/// Marks this executable as a `meshc test` build: startup work is registered but never
/// triggered (runtime-cluster §4.1).
pub fn set_test_build() {
    table().set_test_build();
}

pub fn is_test_build() -> bool {
    table().is_test_build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declares_and_looks_up_by_runtime_name() {
        let mut r = Registry::new();
        r.declare("Work.add", 0x1000, 2, 0).expect("registered");
        r.declare("Api.list", 0x2000, 1, 1).expect("registered");
        r.declare("Work.sum", 0x3000, 3, 2).expect("registered");
        assert_eq!(
            r.lookup("Work.add"),
            Some(Declared {
                runtime_name: "Work.add".into(),
                entry: 0x1000,
                count: 2,
                kind: Kind::Startup
            })
        );
        assert_eq!(r.lookup("Api.list").expect("present").kind, Kind::Route);
        assert_eq!(r.lookup("Work.sum").expect("present").count, 3);
        assert_eq!(r.lookup("Work.missing"), None);
        assert_eq!(r.startup_names(), vec!["Work.add".to_string()]);
        let order: Vec<String> = r.all().into_iter().map(|d| d.runtime_name).collect();
        assert_eq!(order, ["Work.add", "Api.list", "Work.sum"]);
    }

    #[test]
    fn refuses_duplicates_bad_kinds_and_null_entries() {
        let mut r = Registry::new();
        r.declare("Work.add", 0x1000, 2, 0).expect("registered");
        assert_eq!(
            r.declare("Work.add", 0x2000, 1, 1),
            Err(DeclareError::Duplicate("Work.add".into()))
        );
        assert_eq!(r.lookup("Work.add").expect("present").entry, 0x1000);
        assert_eq!(
            r.declare("Work.odd", 0x1000, 2, 7),
            Err(DeclareError::BadKind(7))
        );
        assert_eq!(
            r.declare("Work.null", 0, 2, 0),
            Err(DeclareError::NullEntry("Work.null".into()))
        );
        assert_eq!(r.all().len(), 1);
        assert_eq!(
            DeclareError::Duplicate("Work.add".into()).to_string(),
            "clustered runtime name `Work.add` registered twice"
        );
    }

    #[test]
    fn kinds_round_trip_through_their_abi_integers() {
        for kind in [Kind::Startup, Kind::Route, Kind::Other] {
            assert_eq!(Kind::from_abi(kind.to_abi()), Some(kind));
        }
        assert_eq!(Kind::from_abi(-1), None);
    }

    #[test]
    fn test_build_is_off_until_set() {
        let mut r = Registry::new();
        assert!(!r.is_test_build());
        r.set_test_build();
        assert!(r.is_test_build());
    }

    #[test]
    fn the_program_table_registers_through_the_free_functions() {
        // The process-wide table: a name no other test uses.
        declare("DeclaredTest.global", 0x4000, 1, 2).expect("registered");
        assert_eq!(
            lookup("DeclaredTest.global").expect("present").kind,
            Kind::Other
        );
        assert!(all()
            .iter()
            .any(|d| d.runtime_name == "DeclaredTest.global"));
        assert!(!startup_names().contains(&"DeclaredTest.global".to_string()));
    }
}
