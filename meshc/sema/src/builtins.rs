//! The stdlib functions the compiler knows: ONE table (`BUILTINS`) shared by the type checker
//! (each row's signature) and the MIR lowering (each row's runtime function and the type
//! descriptors it needs). Adding a stdlib function is adding a row here and the runtime
//! function it names (`mesh_rt_abi::runtime_functions!`).
//!
//! Signatures are written as in the stdlib spec: `(String, Int) -> String`, `(List<T>) -> T?`,
//! `(Fun(A) -> B) -> ()`. Single capital letters are type variables.

use crate::ty::{TyId, TyKind, Types};

/// A stdlib function: an index into `BUILTINS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Builtin(pub u16);

/// A type descriptor the runtime function takes before the Mesh arguments, so it can build,
/// compare or print values of types it does not otherwise know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescArg {
    /// The call's result type.
    Ret,
    /// The type of argument i.
    Param(u8),
}

/// One row of the table.
#[derive(Debug)]
pub struct BuiltinDef {
    /// `None` for prelude names (`println`).
    pub module: Option<&'static str>,
    pub name: &'static str,
    pub sig: &'static str,
    /// The `mesh_rt_abi` runtime function implementing it.
    pub symbol: &'static str,
    pub descs: &'static [DescArg],
}

const fn row(
    module: Option<&'static str>,
    name: &'static str,
    sig: &'static str,
    symbol: &'static str,
    descs: &'static [DescArg],
) -> BuiltinDef {
    BuiltinDef {
        module,
        name,
        sig,
        symbol,
        descs,
    }
}

/// Every stdlib function, grouped by module. One row per line (not reformatted) so the table
/// reads like the spec's tables.
#[rustfmt::skip]
pub static BUILTINS: &[BuiltinDef] = &[
    // ---- prelude and IO (stdlib spec §1, §2)
    row(None, "println", "(String) -> ()", "mesh_rt_io_println", &[]),
    row(None, "print", "(String) -> ()", "mesh_rt_io_print", &[]),
    row(None, "compare", "(T, T) -> Ordering", COMPARE, &[]),
    row(Some("Any"), "to_string", "(T) -> String", TO_STRING, &[]),
    row(Some("Any"), "inspect", "(T) -> String", INSPECT, &[]),
    row(Some("IO"), "eprintln", "(String) -> ()", "mesh_rt_io_eprintln", &[]),
    // ---- JSON (spec §11); `JSON` is the legacy name of the same functions
    row(Some("Json"), "encode", "(T) -> String", JSON_ENCODE, &[]),
    row(Some("Json"), "get", "(String, String) -> String", "mesh_rt_json_get", &[]),
    row(Some("Json"), "encode_string", "(String) -> String", "mesh_rt_json_string", &[]),
    row(Some("Json"), "encode_int", "(Int) -> String", "mesh_rt_string_from_int", &[]),
    row(Some("Json"), "encode_bool", "(Bool) -> String", "mesh_rt_string_from_bool", &[]),
    row(Some("JSON"), "encode", "(Json) -> String", JSON_ENCODE, &[]),
    row(Some("JSON"), "get", "(String, String) -> String", "mesh_rt_json_get", &[]),
    row(Some("JSON"), "encode_string", "(String) -> String", "mesh_rt_json_string", &[]),
    row(Some("JSON"), "encode_int", "(Int) -> String", "mesh_rt_string_from_int", &[]),
    row(Some("JSON"), "encode_bool", "(Bool) -> String", "mesh_rt_string_from_bool", &[]),
];

/// `Json.encode` is compiled by the compiler (a generated encoder per type), not a runtime call.
pub const JSON_ENCODE: &str = "mesh_rt_intrinsic_json_encode";
/// `compare(a, b)`, `x.to_string()` and `x.inspect()` are compiled from the type's derived or
/// implemented Ord, Display and Debug (spec §3.5, §3.6). `Any` is the pseudo-module of methods
/// every type has.
pub const COMPARE: &str = "mesh_rt_intrinsic_compare";
pub const TO_STRING: &str = "mesh_rt_intrinsic_to_string";
pub const INSPECT: &str = "mesh_rt_intrinsic_inspect";

/// Whether a row is compiled by the compiler rather than calling the runtime.
pub fn is_intrinsic(symbol: &str) -> bool {
    symbol.starts_with("mesh_rt_intrinsic_")
}

/// Modules that exist in the stdlib (always reachable qualified, spec §2.3).
const STDLIB_MODULES: &[&str] = &[
    "IO", "String", "Int", "Float", "Math", "Option", "Result", "List", "Map", "Set", "Tuple",
    "Range", "Queue", "Iter", "Json", "JSON", "Env", "File", "DateTime", "Crypto", "Base64", "Hex",
    "Regex", "Process", "Timer", "Node",
];

impl Builtin {
    pub fn def(self) -> &'static BuiltinDef {
        &BUILTINS[self.0 as usize]
    }

    /// Resolves `name` (unqualified: prelude or a flat legacy alias like `string_length`) or
    /// `Module.name`.
    pub fn lookup(module: Option<&str>, name: &str) -> Option<Builtin> {
        let found = match module {
            Some(m) => BUILTINS
                .iter()
                .position(|b| b.module == Some(m) && b.name == name),
            None => BUILTINS
                .iter()
                .position(|b| b.module.is_none() && b.name == name)
                .or_else(|| {
                    BUILTINS
                        .iter()
                        .position(|b| b.module.is_some_and(|m| flat_name(m, b.name) == name))
                }),
        };
        found.map(|i| Builtin(i as u16))
    }

    /// Whether `name` is a stdlib module.
    pub fn is_stdlib_module(name: &str) -> bool {
        STDLIB_MODULES.contains(&name)
    }

    /// The builtin's type, with fresh inference variables for its type variables.
    pub fn fn_type(self, types: &mut Types) -> TyId {
        let scheme = self.scheme(types);
        let n = count_vars(self.def().sig);
        let args: Vec<TyId> = (0..n).map(|_| types.fresh_var()).collect();
        types.instantiate(scheme, &args)
    }

    /// The builtin's type with its type variables as `Gen(i)`.
    pub fn scheme(self, types: &mut Types) -> TyId {
        let sig = self.def().sig;
        let mut parser = SigParser {
            chars: sig.chars().collect(),
            at: 0,
            vars: Vec::new(),
        };
        parser
            .fn_type(types)
            .unwrap_or_else(|| panic!("malformed builtin signature {sig:?}"))
    }
}

/// `String.length` → `string_length` (stdlib spec §0.7); `Env.get` is `env_get_with_default`.
fn flat_name(module: &str, name: &str) -> String {
    if module == "Env" && name == "get" {
        return "env_get_with_default".into();
    }
    let mut out = String::new();
    let mut previous_lower = false;
    for c in module.chars() {
        if c.is_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_lowercase();
        out.extend(c.to_lowercase());
    }
    format!("{out}_{name}")
}

fn count_vars(sig: &str) -> usize {
    let mut seen = Vec::new();
    let chars: Vec<char> = sig.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let alone = c.is_ascii_uppercase()
            && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
            && !(i > 0 && chars[i - 1].is_alphanumeric());
        if alone && !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen.len()
}

/// A small recursive-descent parser for the signature strings above.
struct SigParser {
    chars: Vec<char>,
    at: usize,
    vars: Vec<char>,
}

impl SigParser {
    fn skip_ws(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        let want: Vec<char> = s.chars().collect();
        if self.chars[self.at..].starts_with(&want) {
            self.at += want.len();
            true
        } else {
            false
        }
    }

    fn fn_type(&mut self, types: &mut Types) -> Option<TyId> {
        let params = self.list(types, "(", ")")?;
        if !self.eat("->") {
            return None;
        }
        let ret = self.ty(types)?;
        Some(types.intern(TyKind::Fun(params, ret)))
    }

    fn list(&mut self, types: &mut Types, open: &str, close: &str) -> Option<Vec<TyId>> {
        if !self.eat(open) {
            return None;
        }
        let mut out = Vec::new();
        if self.eat(close) {
            return Some(out);
        }
        loop {
            out.push(self.ty(types)?);
            if self.eat(close) {
                return Some(out);
            }
            if !self.eat(",") {
                return None;
            }
        }
    }

    fn ty(&mut self, types: &mut Types) -> Option<TyId> {
        let base = self.base(types)?;
        if self.eat("?") {
            return Some(types.intern(TyKind::Con("Option".into(), vec![base])));
        }
        if self.eat("!") {
            let err = self.ty(types)?;
            return Some(types.intern(TyKind::Con("Result".into(), vec![base, err])));
        }
        Some(base)
    }

    fn base(&mut self, types: &mut Types) -> Option<TyId> {
        self.skip_ws();
        if self.chars.get(self.at) == Some(&'(') {
            let elems = self.list(types, "(", ")")?;
            return Some(if elems.is_empty() {
                types.unit()
            } else {
                types.intern(TyKind::Tuple(elems))
            });
        }
        let start = self.at;
        while self.chars.get(self.at).is_some_and(|c| c.is_alphanumeric()) {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        if name == "Fun" {
            self.at = start + 3;
            return self.fn_type(types);
        }
        let args = if self.chars.get(self.at) == Some(&'<') {
            self.list(types, "<", ">")?
        } else {
            vec![]
        };
        Some(match name.as_str() {
            "Int" => types.int(),
            "Float" => types.float(),
            "Bool" => types.bool(),
            "String" => types.string(),
            v if v.len() == 1 => {
                let c = v.chars().next()?;
                let i = match self.vars.iter().position(|x| *x == c) {
                    Some(i) => i,
                    None => {
                        self.vars.push(c);
                        self.vars.len() - 1
                    }
                };
                types.intern(TyKind::Gen(i as u32))
            }
            _ => types.intern(TyKind::Con(name, args)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_parses_and_names_a_runtime_function() {
        let mut types = Types::new();
        for (i, def) in BUILTINS.iter().enumerate() {
            let b = Builtin(i as u16);
            let ty = b.scheme(&mut types);
            assert!(matches!(types.kind(ty), TyKind::Fun(..)), "{}", def.sig);
            assert!(def.symbol.starts_with("mesh_rt_"), "{}", def.symbol);
        }
    }

    #[test]
    fn signatures_with_generics_and_sugar() {
        let mut types = Types::new();
        let mut p = SigParser {
            chars: "(List<T>, Fun(T) -> U) -> Map<K, U>?".chars().collect(),
            at: 0,
            vars: vec![],
        };
        let ty = p.fn_type(&mut types).expect("parses");
        assert_eq!(
            types.display(ty),
            "Fun(List<A>, Fun(A) -> B) -> Option<Map<C, B>>"
        );
        assert_eq!(flat_name("String", "length"), "string_length");
        assert_eq!(flat_name("DateTime", "now"), "date_time_now");
        assert_eq!(
            Builtin::lookup(None, "io_eprintln"),
            Builtin::lookup(Some("IO"), "eprintln")
        );
    }
}
