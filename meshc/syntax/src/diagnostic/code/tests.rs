//! The code table agrees with its two sources: language §5.8's table (read from
//! `../shared/spec/language.md` beside the repository when it is there, else from the
//! repository's copy `docs/spec/language.md`, which a test keeps current) and ARCHITECTURE.md's
//! list of the project's own codes.

use super::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn shared_spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/language.md")
}

fn vendored_spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/spec/language.md")
}

fn spec_text() -> String {
    let shared = shared_spec_path();
    let path = if shared.exists() {
        shared
    } else {
        vendored_spec_path()
    };
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The code spans of a table cell that are not inside parentheses (those are labels and
/// helps: `(label ``module `{M}` not found``)`).
fn top_level_code_spans(cell: &str) -> Vec<String> {
    let chars: Vec<char> = cell.chars().collect();
    let (mut spans, mut depth, mut i) = (Vec::new(), 0usize, 0);
    while i < chars.len() {
        match chars[i] {
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let mut j = i + run;
                // The closing run has exactly the opening run's length.
                let close = loop {
                    if j >= chars.len() {
                        break chars.len();
                    }
                    let n = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if n == run {
                        break j;
                    }
                    j += n.max(1);
                };
                if depth == 0 {
                    let content: String = chars[i + run..close].iter().collect();
                    spans.push(content.trim().to_string());
                }
                i = close + run;
            }
            '(' => {
                depth += 1;
                i += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    spans
}

/// Code → templates, from the rows of §5.8's table.
fn spec_table(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut in_section = false;
    for line in text.lines() {
        if line.starts_with("### 5.8") {
            in_section = true;
            continue;
        }
        if in_section && (line.starts_with("---") || line.starts_with("## ")) {
            break;
        }
        let cells: Vec<&str> = line.split('|').collect();
        if !in_section || cells.len() < 4 {
            continue;
        }
        let codes: Vec<&str> = cells[1].split('/').map(str::trim).collect();
        if !codes
            .iter()
            .all(|c| c.len() == 5 && c.starts_with(['E', 'W']))
        {
            continue;
        }
        let spans = top_level_code_spans(&cells[2..cells.len() - 1].join("|"));
        if codes.len() == spans.len() {
            for (code, span) in codes.iter().zip(spans) {
                out.insert(code.to_string(), vec![span]);
            }
        } else {
            assert_eq!(codes.len(), 1, "cannot pair codes and templates: {line}");
            out.insert(codes[0].to_string(), spans);
        }
    }
    out
}

#[test]
fn every_code_of_the_spec_table_is_a_variant_with_the_spec_templates() {
    let table = spec_table(&spec_text());
    assert!(table.len() > 40, "the §5.8 table was not found");
    for (code, templates) in &table {
        let variant = Code::ALL
            .iter()
            .find(|c| c.as_str() == code)
            .unwrap_or_else(|| panic!("spec code {code} has no variant"));
        assert_eq!(
            variant.templates(),
            templates.as_slice(),
            "{code}'s templates differ from the spec's"
        );
    }
    for code in Code::ALL {
        let name = code.as_str();
        if name.starts_with(['E', 'W']) && code.is_spec() && !code.template_is_projects() {
            assert!(
                table.contains_key(name),
                "{name} is not in the spec's table"
            );
        }
    }
}

#[test]
fn project_codes_come_after_the_spec_codes_and_the_spec_never_uses_them() {
    let spec = spec_text();
    for code in Code::ALL.iter().filter(|c| !c.is_spec()) {
        assert!(code.as_str() > LAST_SPEC_CODE);
        assert!(
            !spec.contains(code.as_str()),
            "{code} is a project code but the spec uses it: renumber it"
        );
    }
}

#[test]
fn architecture_md_lists_every_project_code_with_its_template() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ARCHITECTURE.md");
    let text = std::fs::read_to_string(&path).expect("ARCHITECTURE.md is readable");
    for code in Code::ALL.iter().filter(|c| c.template_is_projects()) {
        let prefix = format!("| {code} |");
        let row = text.lines().find(|l| l.starts_with(&prefix));
        let cells: Vec<&str> = row.map(|r| r.split('|').collect()).unwrap_or_default();
        let listed = cells.get(2).map(|c| top_level_code_spans(c));
        assert_eq!(
            listed.as_deref(),
            Some(
                code.templates()
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            "ARCHITECTURE.md's diagnostics table lists {code} without its template(s)"
        );
    }
}

#[test]
fn the_repository_copy_of_the_language_spec_is_current() {
    let Ok(current) = std::fs::read_to_string(shared_spec_path()) else {
        // Only the clone is here: the copy is what the table test reads.
        assert!(
            vendored_spec_path().exists(),
            "docs/spec/language.md is missing"
        );
        return;
    };
    let copy = std::fs::read_to_string(vendored_spec_path()).unwrap_or_default();
    assert!(
        copy == current,
        "docs/spec/language.md differs from the shared spec: copy it again"
    );
}

#[test]
fn headlines_match_their_templates() {
    assert!(Code::E0001.matches("expected Int, found String"));
    assert!(Code::E0009.matches("type Point has no field z"));
    assert!(Code::E0036
        .matches("`?` operator requires function to return `Result` or `Option`, found `Int`"));
    assert!(!Code::E0001.matches("expected Int"));
    assert!(!Code::E0003.matches("expected 1 argument, found 2"));
    assert!(!Code::E0007.matches("impl `` for `T` is missing method `m`"));
}
