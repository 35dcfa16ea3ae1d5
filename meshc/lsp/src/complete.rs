//! Completion (locals, module members, struct fields and methods) and signature help. Both
//! look at the text before the cursor, then ask the typed program: a half-typed `p.` does not
//! parse, so completion types a copy of the buffer with the `.prefix` cut away (or a
//! placeholder name put where a name is being typed) and reads the type of what precedes the
//! dot from that analysis.

use crate::query::{self, builtin_signature, fn_return, fn_signature_parts, is_identifier};
use crate::workspace::Project;
use mesh_sema::builtins::{Builtin, BUILTINS};
use mesh_sema::hir::{AdtKind, DefId, Program};
use mesh_sema::Checked;
use mesh_syntax::span::FileId;
use mesh_syntax::token::KEYWORDS;
use std::collections::BTreeSet;

/// One completion item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Local,
    Function,
    Field,
    Module,
    Type,
    Keyword,
}

/// The contextual words offered besides the reserved words (`mesh_syntax::token::KEYWORDS`):
/// those that start a statement or follow a type in any file.
const CONTEXTUAL: &[&str] = &["from", "deriving"];

/// A name placed where the user is typing one, so the buffer parses.
const HOLE: &str = "mesh_lsp_hole";

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'?' || b == b'!'
}

/// The start of the identifier ending at `offset`.
fn ident_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = offset;
    while start > 0 && is_ident_byte(bytes[start - 1]) {
        start -= 1;
    }
    start
}

/// The dotted name ending at `end` (`Api.Router`, `p`).
fn dotted_before(text: &str, end: usize) -> &str {
    let bytes = text.as_bytes();
    let mut start = end;
    while start > 0 && (is_ident_byte(bytes[start - 1]) || bytes[start - 1] == b'.') {
        start -= 1;
    }
    &text[start..end]
}

/// The completions at byte `offset` of file `file`.
pub fn complete(project: &mut Project, file: FileId, offset: usize) -> Vec<Item> {
    let text = project.text(file).to_string();
    let offset = offset.min(text.len());
    let start = ident_start(&text, offset);
    let prefix = text[start..offset].to_string();
    let mut items = if start > 0 && text.as_bytes()[start - 1] == b'.' {
        members(project, file, &text, start - 1)
    } else {
        scope(project, file, &text, start, offset)
    };
    items.retain(|i| i.label.starts_with(&prefix));
    items.sort();
    items.dedup_by(|a, b| a.label == b.label);
    items
}

/// After `base.`: a module's functions and types, or a value's fields and methods.
fn members(project: &mut Project, file: FileId, text: &str, dot: usize) -> Vec<Item> {
    let base = dotted_before(text, dot);
    let mut items = Vec::new();
    let is_module = base.starts_with(|c: char| c.is_ascii_uppercase());
    if is_module {
        if let Some(checked) = &project.analysis.program {
            module_members(checked, base, &mut items);
        }
        for def in BUILTINS
            .iter()
            .filter(|d| d.module == Some(base) && !d.name.starts_with("__"))
        {
            items.push(Item {
                label: def.name.to_string(),
                kind: ItemKind::Function,
                detail: def.sig.to_string(),
            });
        }
        if !items.is_empty() {
            return items;
        }
    }
    // A value: type the buffer without `.prefix` and find the expression ending at the dot.
    let after = dot + 1 + ident_len(text, dot + 1);
    let mut patched = String::with_capacity(text.len());
    patched.push_str(&text[..dot]);
    patched.push_str(&text[after..]);
    let analysis = project.analyze_with(file, patched);
    let Some(checked) = &analysis.program else {
        return items;
    };
    let program = &checked.program;
    let at = u32::try_from(dot).unwrap_or(u32::MAX);
    let base_expr = program
        .exprs
        .iter()
        .enumerate()
        .filter(|(_, e)| e.span.file == file && e.span.end == at && e.span.start < at)
        .min_by_key(|(_, e)| e.span.end - e.span.start)
        .map(|(i, _)| i);
    let Some(ty) = base_expr.and_then(|i| program.expr_types.get(i).copied()) else {
        return items;
    };
    let types = &checked.types;
    if let Some((adt, _)) = types.as_adt(ty) {
        if let Some(AdtKind::Struct { fields }) = program.adts.get(adt.0 as usize).map(|a| &a.kind)
        {
            for f in fields {
                items.push(Item {
                    label: f.name.clone(),
                    kind: ItemKind::Field,
                    detail: types.display(f.ty),
                });
            }
        }
    }
    if let Some(key) = Program::type_key(types, ty) {
        for imp in program.impls.iter().filter(|i| i.target == key) {
            for (name, def) in &imp.methods {
                items.push(fn_item(checked, name, *def));
            }
        }
        if let Some(module) = key.stdlib_module() {
            for def in BUILTINS
                .iter()
                .filter(|d| d.module == Some(module) && !d.name.starts_with("__"))
            {
                items.push(Item {
                    label: def.name.to_string(),
                    kind: ItemKind::Function,
                    detail: def.sig.to_string(),
                });
            }
        }
    }
    items
}

fn ident_len(text: &str, from: usize) -> usize {
    text.as_bytes().get(from..).map_or(0, |rest| {
        rest.iter().take_while(|&&b| is_ident_byte(b)).count()
    })
}

fn fn_item(checked: &Checked, name: &str, def: DefId) -> Item {
    let detail = fn_signature_parts(checked, def)
        .map(|(_, params, _)| format!("({}){}", params.join(", "), fn_return(checked, def)))
        .unwrap_or_default();
    Item {
        label: name.to_string(),
        kind: ItemKind::Function,
        detail,
    }
}

fn module_members(checked: &Checked, module: &str, items: &mut Vec<Item>) {
    let program = &checked.program;
    for (i, f) in program.fns.iter().enumerate() {
        if f.module == module && f.is_pub && is_identifier(&f.name) {
            let def = DefId(u32::try_from(i).unwrap_or(u32::MAX));
            items.push(fn_item(checked, &f.name, def));
        }
    }
    for adt in program
        .adts
        .iter()
        .filter(|a| a.module == module && a.is_pub)
    {
        let name = adt.name.rsplit('.').next().unwrap_or(&adt.name);
        items.push(Item {
            label: name.to_string(),
            kind: ItemKind::Type,
            detail: String::new(),
        });
    }
}

/// Without a dot: the locals in scope, the module's functions and types, module names and
/// keywords.
fn scope(
    project: &mut Project,
    file: FileId,
    text: &str,
    start: usize,
    offset: usize,
) -> Vec<Item> {
    let at = u32::try_from(start).unwrap_or(u32::MAX);
    let in_current = project
        .analysis
        .program
        .as_ref()
        .and_then(|c| query::enclosing_fn(&c.program, file, at));
    let mut patched = None;
    if in_current.is_none() {
        // The function being edited did not parse: put a name where one is being typed, and
        // if that is not enough, drop the rest of the line too.
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        for rest in [offset, line_end] {
            let copy = format!("{}{HOLE}{}", &text[..start], &text[rest..]);
            let analysis = project.analyze_with(file, copy);
            let found = analysis
                .program
                .as_ref()
                .and_then(|c| query::enclosing_fn(&c.program, file, at));
            patched = Some(analysis);
            if found.is_some() {
                break;
            }
        }
    }
    let checked = match &patched {
        Some(analysis) => analysis.program.as_ref(),
        None => project.analysis.program.as_ref(),
    };
    let module = project.module(file).to_string();
    let mut items: Vec<Item> = KEYWORDS
        .iter()
        .chain(CONTEXTUAL)
        .map(|k| Item {
            label: (*k).to_string(),
            kind: ItemKind::Keyword,
            detail: String::new(),
        })
        .collect();
    let mut modules: BTreeSet<String> = Builtin::stdlib_modules()
        .iter()
        .map(|m| (*m).to_string())
        .collect();
    for def in BUILTINS
        .iter()
        .filter(|d| d.module.is_none() && !d.name.starts_with("__"))
    {
        items.push(Item {
            label: def.name.to_string(),
            kind: ItemKind::Function,
            detail: builtin_signature_detail(def.sig),
        });
    }
    let Some(checked) = checked else {
        return items;
    };
    let program = &checked.program;
    if let Some(def) = query::enclosing_fn(program, file, at) {
        if let Some(decl) = program.fns.get(def.0 as usize) {
            for l in decl.locals.clone() {
                let Some(local) = program.locals.get(l as usize) else {
                    continue;
                };
                if local.span.start > at || !is_identifier(&local.name) || local.name == HOLE {
                    continue;
                }
                let ty = program.local_types.get(l as usize);
                items.push(Item {
                    label: local.name.clone(),
                    kind: ItemKind::Local,
                    detail: ty.map(|&t| checked.types.display(t)).unwrap_or_default(),
                });
            }
        }
    }
    for (i, f) in program.fns.iter().enumerate() {
        modules.insert(f.module.clone());
        if f.module == module && is_identifier(&f.name) {
            let def = DefId(u32::try_from(i).unwrap_or(u32::MAX));
            items.push(fn_item(checked, &f.name, def));
        }
    }
    for adt in program.adts.iter().filter(|a| a.module == module) {
        items.push(Item {
            label: adt.name.clone(),
            kind: ItemKind::Type,
            detail: String::new(),
        });
    }
    items.extend(modules.into_iter().map(|m| Item {
        label: m,
        kind: ItemKind::Module,
        detail: String::new(),
    }));
    items
}

fn builtin_signature_detail(sig: &str) -> String {
    sig.to_string()
}

/// A signature and the parameter the cursor is in.
pub struct Signature {
    pub label: String,
    pub params: Vec<String>,
    pub active: usize,
}

/// The signature of the call whose argument list contains byte `offset`.
pub fn signature(project: &Project, file: FileId, offset: usize) -> Option<Signature> {
    let text = project.text(file);
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut commas = 0usize;
    let mut i = offset.min(text.len());
    let open = loop {
        if i == 0 {
            return None;
        }
        i -= 1;
        match bytes[i] {
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' if depth > 0 => depth -= 1,
            b'(' => break i,
            b'[' | b'{' => return None,
            b',' if depth == 0 => commas += 1,
            b'\n' if depth == 0 && text[..i].trim_end().ends_with("do") => return None,
            _ => {}
        }
    };
    let callee = dotted_before(text, open);
    let (qualifier, name) = match callee.rsplit_once('.') {
        Some((q, n)) => (Some(q), n),
        None => (None, callee),
    };
    let method = qualifier.is_some_and(|q| !q.starts_with(|c: char| c.is_ascii_uppercase()));
    let module = project.module(file);
    let checked = project.analysis.program.as_ref();
    let user = checked.and_then(|c| {
        let found = c.program.fns.iter().position(|f| {
            f.name == name
                && match qualifier {
                    _ if method => true,
                    Some(q) => f.module == q,
                    None => f.module == module,
                }
        })?;
        let def = DefId(u32::try_from(found).ok()?);
        let (head, params, _) = fn_signature_parts(c, def)?;
        Some(Signature {
            label: format!("{head}({}){}", params.join(", "), fn_return(c, def)),
            params,
            active: commas + usize::from(method),
        })
    });
    if user.is_some() {
        return user;
    }
    let builtin = if method {
        BUILTINS
            .iter()
            .position(|d| d.module.is_some() && d.name == name)
            .map(|i| Builtin(u16::try_from(i).unwrap_or(u16::MAX)))
    } else {
        Builtin::lookup(qualifier, name)
    }?;
    let sig = builtin.def().sig;
    let inner = sig
        .strip_prefix('(')
        .and_then(|s| s.rsplit_once(") ->"))
        .map_or("", |(p, _)| p);
    Some(Signature {
        label: builtin_signature(builtin),
        params: split_params(inner),
        active: commas + usize::from(method),
    })
}

/// Splits `Int, Map<K, V>, Fun(A) -> B` at its top-level commas.
fn split_params(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in list.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' if !current.ends_with('-') => depth -= 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_split_at_top_level_commas_only() {
        assert_eq!(
            split_params("Map<K, V>, Fun(A, B) -> C, Int"),
            ["Map<K, V>", "Fun(A, B) -> C", "Int"]
        );
        assert_eq!(split_params(""), Vec::<String>::new());
    }

    #[test]
    fn names_before_the_cursor() {
        let text = "  x = Api.Router.han";
        assert_eq!(ident_start(text, text.len()), text.len() - 3);
        assert_eq!(dotted_before(text, text.len() - 4), "Api.Router");
        assert_eq!(ident_len("abc? d", 0), 4);
    }
}
