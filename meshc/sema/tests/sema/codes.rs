//! Every diagnostic code sema can report has a `check_diag!` snapshot (STYLE §3): this test
//! reads the test sources and fails for a code without one.

use mesh_syntax::diagnostic::Code;

/// Codes sema never reports, with the reason.
const NOT_FROM_SEMA: &[(Code, &str)] = &[(Code::P0001, "parse errors: meshc/syntax's tests")];

#[test]
fn every_code_sema_reports_has_a_snapshot() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sema");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).expect("tests/sema is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            text.push_str(&std::fs::read_to_string(&path).expect("a test file is readable"));
        }
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !NOT_FROM_SEMA.iter().any(|(n, _)| n == *c))
        .map(|c| c.as_str())
        .filter(|c| {
            !text.contains(&format!(", {c});")) && !text.contains(&format!("\n        {c}\n    );"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a check_diag! test: {missing:?}"
    );
}
