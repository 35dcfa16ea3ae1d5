//! The standard library reference, generated. The compiler's stdlib table
//! (`mesh_sema::builtins::BUILTINS`: module, name, signature of every function a program can
//! call) decides WHAT is documented; the stdlib spec (`docs/spec/stdlib.md`, the repository's
//! copy of the contract) gives each function's tier and behaviour; `website/stdlib-notes.toml`
//! gives each module's introduction and a line for table rows the spec does not list (or, as
//! `{ tier = "P2", text = "…" }`, for functions the spec names only in prose, like §28.4's
//! `Orm.build_*`).
//!
//! `generate` renders `website/src/stdlib/<module>.md`, `website/src/stdlib/index.md` and the
//! lines of `SUMMARY.md` under the standard library entry. The test compares them with the
//! committed files (`MESH_BLESS=1` rewrites them), so a function added to the compiler without
//! documentation, or a note about a function that no longer exists, fails CI.

use std::collections::BTreeMap;

use mesh_sema::builtins::BUILTINS;

/// The SUMMARY.md line the generated module list hangs under.
pub const SUMMARY_PARENT: &str = "- [Standard library](stdlib/index.md)";

/// The generated files (path relative to `website/src` → text) and the SUMMARY lines.
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub summary_lines: Vec<String>,
}

/// A spec table row: tier and behaviour text.
#[derive(Clone)]
struct SpecRow {
    tier: String,
    behaviour: String,
}

/// One function of the table, as documented.
struct Entry {
    name: String,
    sig: &'static str,
    tier: String,
    doc: String,
}

pub fn generate(spec: &str, notes_text: &str) -> Result<Generated, String> {
    let notes: toml::Table = notes_text
        .parse()
        .map_err(|e| format!("website/stdlib-notes.toml: {e}"))?;
    let module_notes = table(&notes, "modules")?;
    let function_notes = table(&notes, "functions")?;
    let spec_rows = spec_rows(spec);
    let mut problems = Vec::new();

    // Modules in table order; the prelude and `Any` (methods of every value) come first.
    let mut order: Vec<&str> = vec!["Prelude"];
    let mut entries: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
    for def in BUILTINS.iter() {
        if def.name.starts_with("__") {
            continue; // generated code's helpers, not callable by programs (E0052)
        }
        let module = match def.module {
            None | Some("Any") => "Prelude",
            Some(m) => m,
        };
        if !order.contains(&module) {
            order.push(module);
        }
        let name = match def.module {
            Some("Any") => format!("x.{}()", def.name),
            Some(m) => format!("{m}.{}", def.name),
            None => def.name.to_string(),
        };
        let lookup = match def.module {
            Some("Any") => def.name.to_string(),
            _ => name.clone(),
        };
        // A note is the behaviour text (a function outside the spec), or a table with the
        // tier and text of a function the spec names only in prose.
        let note = function_notes.get(&lookup).and_then(|v| match v {
            toml::Value::String(text) => Some(("—".to_string(), text.clone())),
            toml::Value::Table(t) => Some((
                t.get("tier")?.as_str()?.to_string(),
                t.get("text")?.as_str()?.to_string(),
            )),
            _ => None,
        });
        // A module noted `same_as = "Json"` is another name of that module: its rows take the
        // other module's spec rows.
        let alias_of = def
            .module
            .and_then(|m| module_notes.get(m))
            .and_then(|t| t.get("same_as"))
            .and_then(|v| v.as_str());
        let aliased = alias_of.and_then(|other| {
            spec_rows
                .get(&format!("{other}.{}", def.name))
                .map(|row| SpecRow {
                    tier: row.tier.clone(),
                    behaviour: format!("Same as `{other}.{}`. {}", def.name, row.behaviour),
                })
        });
        let (tier, doc) = match (spec_rows.get(&lookup).or(aliased.as_ref()), note) {
            (Some(row), None) => (row.tier.clone(), row.behaviour.clone()),
            (Some(_), Some(_)) => {
                problems.push(format!("{lookup}: the spec documents it; remove its note"));
                continue;
            }
            (None, Some(note)) => note,
            (None, None) => {
                problems.push(format!(
                    "{lookup} ({}) is in the compiler's stdlib table but neither the stdlib spec nor website/stdlib-notes.toml documents it",
                    def.sig
                ));
                continue;
            }
        };
        entries.entry(module).or_default().push(Entry {
            name,
            sig: def.sig,
            tier,
            doc,
        });
    }
    // What is documented exists: every note names a row or a module of the table.
    for key in function_notes.keys() {
        let exists = BUILTINS.iter().any(|d| {
            !d.name.starts_with("__")
                && match d.module {
                    Some("Any") | None => d.name == key,
                    Some(m) => format!("{m}.{}", d.name) == *key,
                }
        });
        if !exists {
            problems.push(format!(
                "website/stdlib-notes.toml documents {key}, which the compiler does not have"
            ));
        }
    }
    for key in module_notes.keys() {
        if !order.contains(&key.as_str()) {
            problems.push(format!("website/stdlib-notes.toml introduces module {key}, which the compiler does not have"));
        }
    }

    let mut files = BTreeMap::new();
    let mut summary_lines = Vec::new();
    let mut index_rows = String::new();
    let mut slugs: BTreeMap<String, &str> = BTreeMap::new();
    for module in &order {
        let note = module_notes.get(*module).and_then(|v| v.as_table());
        let slug = note
            .and_then(|t| t.get("page"))
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| module.to_lowercase());
        if let Some(other) = slugs.insert(slug.clone(), module) {
            problems.push(format!("modules {other} and {module} both make stdlib/{slug}.md: give one a page = \"…\" note"));
        }
        let title = note
            .and_then(|t| t.get("title"))
            .and_then(|v| v.as_str())
            .unwrap_or(module);
        let Some(intro) = note.and_then(|t| t.get("intro")).and_then(|v| v.as_str()) else {
            problems.push(format!(
                "module {module} has no intro in website/stdlib-notes.toml"
            ));
            continue;
        };
        let list = entries.get(module).map(Vec::as_slice).unwrap_or_default();
        let mut page = String::new();
        page.push_str(HEADER);
        page.push_str(&format!("# {title}\n\n{}\n\n", intro.trim()));
        page.push_str("| Function | Signature | Tier | Behaviour |\n|---|---|---|---|\n");
        for entry in list {
            page.push_str(&format!(
                "| `{}` | `{}` | {} | {} |\n",
                entry.name,
                entry.sig,
                entry.tier,
                entry.doc.replace('\n', " ")
            ));
        }
        files.insert(format!("stdlib/{slug}.md"), page);
        summary_lines.push(format!("    - [{title}](stdlib/{slug}.md)"));
        index_rows.push_str(&format!("| [{title}]({slug}.md) | {} |\n", list.len()));
    }
    let index_intro = notes
        .get("index")
        .and_then(|v| v.as_table())
        .and_then(|t| t.get("intro"))
        .and_then(|v| v.as_str())
        .ok_or("website/stdlib-notes.toml needs [index] intro")?;
    files.insert(
        "stdlib/index.md".into(),
        format!(
            "{HEADER}# Standard library\n\n{}\n\n| Module | Functions |\n|---|---|\n{index_rows}",
            index_intro.trim()
        ),
    );
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    Ok(Generated {
        files,
        summary_lines,
    })
}

const HEADER: &str = "<!-- Generated by tests/docs/stdlib_ref.rs from the compiler's stdlib table \
(meshc/sema/src/builtins.rs), docs/spec/stdlib.md and website/stdlib-notes.toml. Do not edit: \
MESH_BLESS=1 cargo test -p mesh_tests --test docs stdlib regenerates it. -->\n\n";

fn table<'a>(notes: &'a toml::Table, key: &str) -> Result<&'a toml::Table, String> {
    notes
        .get(key)
        .and_then(|v| v.as_table())
        .ok_or_else(|| format!("website/stdlib-notes.toml needs a [{key}] table"))
}

/// Every function row of the spec's tables: `Module.name` (or a bare prelude name) → tier and
/// behaviour. A cell naming several functions (`HTTP.on_get` / `HTTP.on_post`, or `Expr.add`
/// / `sub`) gives each the row; the first row naming a function wins.
fn spec_rows(spec: &str) -> BTreeMap<String, SpecRow> {
    let mut out = BTreeMap::new();
    // A section whose heading carries the tier (`### 28.3 Changeset (P2)`) has three-column
    // tables without a tier cell: name, signature, behaviour.
    let mut heading_tier: Option<String> = None;
    for line in spec.lines() {
        if line.starts_with('#') {
            heading_tier = ["P0", "P1", "P2"]
                .into_iter()
                .find(|t| line.contains(&format!("({t})")))
                .map(str::to_string);
            continue;
        }
        if !line.starts_with("| `") {
            continue;
        }
        let row = line.replace("\\|", "\u{1}");
        let cells: Vec<String> = row
            .trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().replace('\u{1}', "\\|"))
            .collect();
        if cells.len() < 3 {
            continue;
        }
        let (tier, behaviour) = match (cells.last().filter(|t| t.starts_with('P')), &heading_tier) {
            // Four columns: name, signature, behaviour, tier; three: name, signature, tier.
            (Some(tier), _) if cells.len() >= 4 => (tier.clone(), cells[cells.len() - 2].clone()),
            (Some(tier), _) => (tier.clone(), String::new()),
            (None, Some(tier)) => (tier.clone(), cells[2].clone()),
            (None, None) => continue,
        };
        let tier = &tier;
        let mut module: Option<String> = None;
        for name in cells[0].split('`').skip(1).step_by(2) {
            let full = match name.split_once('.') {
                Some((m, _)) => {
                    module = Some(m.to_string());
                    name.to_string()
                }
                None => match &module {
                    Some(m) if is_ident(name) => format!("{m}.{name}"),
                    None if is_ident(name) => name.to_string(),
                    _ => continue,
                },
            };
            let behaviour = if behaviour.is_empty() {
                format!("Parameters: {}", cells[1])
            } else {
                behaviour.clone()
            };
            out.entry(full).or_insert(SpecRow {
                tier: tier.clone(),
                behaviour,
            });
        }
    }
    out
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// SUMMARY.md with the generated lines in place under [`SUMMARY_PARENT`] (replacing the
/// indented lines that follow it).
pub fn with_summary_lines(summary: &str, lines: &[String]) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = summary.lines().peekable();
    let mut found = false;
    while let Some(line) = rest.next() {
        out.push_str(line);
        out.push('\n');
        if line == SUMMARY_PARENT {
            found = true;
            while rest.peek().is_some_and(|l| l.starts_with("    ")) {
                rest.next();
            }
            for generated in lines {
                out.push_str(generated);
                out.push('\n');
            }
        }
    }
    if !found {
        return Err(format!("SUMMARY.md has no line `{SUMMARY_PARENT}`"));
    }
    Ok(out)
}
