//! The stdlib table agrees with the spec: every P0 and P1 function of the stdlib spec's
//! module tables (§1–§15) is a `BUILTINS` row taking as many arguments as the spec's
//! signature, and every row of those modules is a function the spec lists (any tier). The spec
//! is read from `../shared/spec/stdlib.md` beside the repository (where CI puts it), so a new
//! or renamed spec function fails this test until the table follows.
//!
//! Sections owned by other work are skipped explicitly: §16 concurrency, §17 distribution,
//! §18–§20 HTTP and WebSocket, §21–§28 databases, §29 testing.

use super::{Builtin, BUILTINS};
use crate::ty::{TyKind, Types};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Highest spec section checked here (§15 Regex); later sections belong to other work.
const LAST_CHECKED_SECTION: u32 = 15;

/// Prelude names that are language forms of other areas (§1 rows pointing at §16 and §29).
const OTHER_AREA_PRELUDE: &[&str] = &[
    "spawn", "send", "self", "receive", "link", "test", "describe", "setup", "teardown", "assert*",
];

/// P0/P1 functions known to be missing, each with its reason. The test also fails when one
/// of these appears in the table, so the list only shrinks.
const KNOWN_MISSING: &[(&str, &str)] = &[
    // §10: lazy iterators are not implemented yet (TODO(issue 7): Iter and the collectors).
    ("Iter.from", "§10 Iter"),
    ("Iter.map", "§10 Iter"),
    ("Iter.filter", "§10 Iter"),
    ("Iter.take", "§10 Iter"),
    ("Iter.skip", "§10 Iter"),
    ("Iter.enumerate", "§10 Iter"),
    ("Iter.zip", "§10 Iter"),
    ("Iter.count", "§10 Iter"),
    ("Iter.sum", "§10 Iter"),
    ("Iter.any", "§10 Iter"),
    ("Iter.all", "§10 Iter"),
    ("Iter.reduce", "§10 Iter"),
    ("String.collect", "§10 collector"),
    ("List.collect", "§10 collector"),
    ("Map.collect", "§10 collector"),
    ("Set.collect", "§10 collector"),
];

/// Table rows that are not spec functions on purpose.
const EXTRA_ROWS: &[(&str, &str)] = &[
    ("Any.to_string", "x.to_string() on every type (spec §0.5)"),
    ("Any.inspect", "x.inspect() on every type (language §3.6)"),
    (
        "List.is_empty",
        "used by `h :: t` patterns and handy as a method",
    ),
    ("List.prepend", "the O(1) counterpart of List.append"),
    ("List.each", "iteration for effects"),
];

/// A function listed in the spec.
#[derive(Debug)]
struct SpecFn {
    /// `Module.name`, or the bare prelude name.
    name: String,
    tier: String,
    /// Number of parameters of the spec signature, when the row gives one.
    arity: Option<usize>,
    line: usize,
}

fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/stdlib.md")
}

/// Every function row of sections 1..=LAST_CHECKED_SECTION.
fn spec_functions(text: &str) -> Vec<SpecFn> {
    let mut out = Vec::new();
    let mut section = 0;
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("## ") {
            section = rest
                .split('.')
                .next()
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(section);
            continue;
        }
        if !(1..=LAST_CHECKED_SECTION).contains(&section) || !line.starts_with("| `") {
            continue;
        }
        // `\|` is a `|` inside a cell.
        let row = line.replace("\\|", "\u{a6}");
        let cells: Vec<&str> = row
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        let tier = cells.last().copied().unwrap_or_default();
        if !tier.starts_with('P') || cells.len() < 3 {
            continue;
        }
        let arity = cells.get(1).and_then(|sig| arity_of(sig));
        for name in backticked(cells[0]) {
            let is_prelude = section == 1;
            let qualified = name
                .split_once('.')
                .is_some_and(|(m, f)| m.len() > 1 && is_ident(m) && is_ident(f));
            let bare = is_prelude && is_ident(&name);
            if (qualified || bare) && !OTHER_AREA_PRELUDE.contains(&name.as_str()) {
                out.push(SpecFn {
                    name,
                    tier: tier.to_string(),
                    arity,
                    line: i + 1,
                });
            }
        }
    }
    out
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The code spans of a table cell.
fn backticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Parameter count of a signature cell like ``(a :: A, f :: fn(T) -> U) -> R`` (the first
/// code span starting with `(`); `None` when the cell has none.
fn arity_of(cell: &str) -> Option<usize> {
    let sig = backticked(cell).into_iter().find(|s| s.starts_with('('))?;
    let mut depth = 0i32;
    let mut commas = 0;
    let mut params = String::new();
    for c in sig.chars() {
        match c {
            '(' | '<' | '[' | '{' => depth += 1,
            ')' | '>' | ']' | '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => commas += 1,
            _ => {}
        }
        if depth >= 1 {
            params.push(c);
        }
    }
    // `->` inside a parameter (`f :: fn(T) -> U`) closed no bracket: `>` after `-` is an arrow.
    let inner = params.trim_start_matches('(').trim();
    Some(if inner.is_empty() { 0 } else { commas + 1 })
}

fn row_name(module: Option<&str>, name: &str) -> String {
    match module {
        Some(m) => format!("{m}.{name}"),
        None => name.to_string(),
    }
}

fn builtin_arity(types: &mut Types, b: Builtin) -> usize {
    let ty = b.scheme(types);
    match types.kind(ty) {
        TyKind::Fun(params, _) => params.len(),
        _ => usize::MAX,
    }
}

#[test]
fn spec_p0_p1_functions_and_the_stdlib_table_agree() {
    let path = spec_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the stdlib spec at {} ({e}); the repository expects ../shared/spec",
            path.display()
        )
    });
    let spec = spec_functions(&text);
    assert!(spec.len() > 100, "parsed only {} spec rows", spec.len());
    let mut types = Types::new();
    let mut problems = Vec::new();
    for f in spec
        .iter()
        .filter(|f| f.tier.contains("P0") || f.tier.contains("P1"))
    {
        let (module, name) = match f.name.split_once('.') {
            Some((m, n)) => (Some(m), n),
            None => (None, f.name.as_str()),
        };
        let known_missing = KNOWN_MISSING.iter().any(|(n, _)| *n == f.name);
        match (Builtin::lookup(module, name), known_missing) {
            (None, false) => problems.push(format!(
                "spec line {}: {} ({}) is not in BUILTINS",
                f.line, f.name, f.tier
            )),
            (Some(_), true) => problems.push(format!(
                "{} is implemented now: remove it from KNOWN_MISSING",
                f.name
            )),
            (Some(b), false) => {
                let have = builtin_arity(&mut types, b);
                if let Some(want) = f.arity.filter(|&want| want != have) {
                    problems.push(format!(
                        "spec line {}: {} takes {want} argument(s), BUILTINS has {have}",
                        f.line, f.name
                    ));
                }
            }
            (None, true) => {}
        }
    }
    let listed: BTreeSet<&str> = spec.iter().map(|f| f.name.as_str()).collect();
    let modules: BTreeSet<&str> = spec
        .iter()
        .filter_map(|f| f.name.split_once('.').map(|(m, _)| m))
        .collect();
    for def in BUILTINS {
        let name = row_name(def.module, def.name);
        let in_scope = def.module.is_none_or(|m| modules.contains(m) || m == "Any");
        let extra = EXTRA_ROWS.iter().any(|(n, _)| *n == name);
        if in_scope && !listed.contains(name.as_str()) && !extra {
            problems.push(format!("BUILTINS row {name} is not a function of the spec"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn signature_cells_give_their_arity() {
    assert_eq!(arity_of("`() -> String ! String`"), Some(0));
    assert_eq!(arity_of("`(s :: String) -> Int`"), Some(1));
    assert_eq!(
        arity_of("`(xs :: List<T>, init :: U, f :: fn(U, T) -> U) -> U`"),
        Some(3)
    );
    assert_eq!(arity_of("`(m :: Map<K, V>, k :: K) -> V`"), Some(2));
    assert_eq!(arity_of("value `Math.pi :: Float`"), None);
    assert_eq!(
        backticked("`List.any` / `List.all`"),
        ["List.any", "List.all"]
    );
}
