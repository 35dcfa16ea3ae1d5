//! The stdlib functions the compiler knows: one table shared by the type checker (signatures)
//! and the MIR lowering (which maps each to its runtime function). Issue 7 grows this table to
//! the whole stdlib spec.

use crate::ty::{TyId, TyKind, Types};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    Println,
    Print,
    Eprintln,
}

/// Parameter types and result of a builtin.
pub struct Signature {
    pub params: Vec<TyId>,
    pub ret: TyId,
}

impl Builtin {
    /// Resolves `name` (unqualified) or `module.name`.
    pub fn lookup(module: Option<&str>, name: &str) -> Option<Builtin> {
        Some(match (module, name) {
            (None, "println") => Builtin::Println,
            (None, "print") => Builtin::Print,
            (Some("IO"), "eprintln") | (None, "io_eprintln") => Builtin::Eprintln,
            _ => return None,
        })
    }

    /// Modules that exist in the stdlib (always reachable qualified).
    pub fn is_stdlib_module(name: &str) -> bool {
        matches!(
            name,
            "IO" | "String" | "Int" | "Float" | "List" | "Map" | "Set" | "Math"
        )
    }

    pub fn signature(self, types: &mut Types) -> Signature {
        let string = types.string();
        let unit = types.unit();
        match self {
            Builtin::Println | Builtin::Print | Builtin::Eprintln => Signature {
                params: vec![string],
                ret: unit,
            },
        }
    }

    pub fn fn_type(self, types: &mut Types) -> TyId {
        let sig = self.signature(types);
        types.intern(TyKind::Fun(sig.params, sig.ret))
    }
}
