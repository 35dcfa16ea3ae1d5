//! `for` loops (language spec §4.8): the element types of what a `for` walks. Sources are an
//! Int range, a `List`, `Set` or `Range`, a `Map` with a `{k, v}` binding, a stdlib `Iter<T>`
//! (pulled lazily), a user type implementing `Iterator` (`next(self) -> Option<(Item, Self)>`:
//! values are immutable, so stepping returns the element and the advanced iterator), or one
//! implementing `Iterable` (`iter(self)` returns any of these sources). MIR lowering
//! (`mir/src/lower/iterate.rs`) reads the same choice off the concrete types.

use super::Checker;
use crate::errors;
use crate::hir::{DefId, ExprId, ForIter, PatId, Program, TypeKey};
use crate::ty::{TyId, TyKind};
use mesh_syntax::span::Span;

/// How many `Iterable.iter` calls a source may take to reach something iterable (an `iter`
/// returning its own type would otherwise never end).
const MAX_ITERABLE_DEPTH: usize = 8;

impl Checker<'_> {
    /// `for`: the element types come from the source; the value is a list of the body's
    /// values.
    pub(super) fn for_loop(
        &mut self,
        pats: &[PatId],
        iter: ForIter,
        filter: Option<ExprId>,
        body: ExprId,
    ) -> TyId {
        let int = self.types.int();
        let elems: Vec<TyId> = match iter {
            ForIter::Range(a, b) => {
                for x in [a, b] {
                    let t = self.infer(x);
                    let s = self.program.expr(x).span;
                    self.expect(int, t, s);
                }
                vec![int]
            }
            ForIter::Value(x) => {
                let t = self.infer(x);
                let span = self.program.expr(x).span;
                match self.source_elems(t, pats.len(), span, 0) {
                    Some(elems) => elems,
                    None => {
                        let shown = self.types.display(t);
                        self.diags
                            .push(errors::not_iterable(&shown, pats.len() == 2, span));
                        pats.iter().map(|_| self.types.error()).collect()
                    }
                }
            }
        };
        for (&p, &t) in pats.iter().zip(&elems) {
            self.check_pat(p, t);
        }
        if let Some(f) = filter {
            self.guard(f);
        }
        let bt = self.infer(body);
        self.list_of(bt)
    }

    /// The element types of a source of type `t` for `n` loop patterns, or `None` when `t`
    /// cannot be walked so.
    fn source_elems(&mut self, t: TyId, n: usize, span: Span, depth: usize) -> Option<Vec<TyId>> {
        let resolved = self.types.shallow(t);
        let key = match (self.types.kind(resolved).clone(), n) {
            (TyKind::Error, _) => return Some(vec![self.types.error(); n]),
            // Not known yet: a list (the common case; a later use that disagrees reports it).
            (TyKind::Var(_), 1) => {
                let e = self.types.fresh_var();
                let list = self.list_of(e);
                self.expect(list, t, span);
                return Some(vec![e]);
            }
            (TyKind::Adt(id, _), _) => TypeKey::Adt(id),
            (TyKind::Builtin(b, args), _) => {
                use crate::ty::BuiltinTy as B;
                return match (b, n) {
                    (B::List | B::Set | B::Iter, 1) => Some(vec![args[0]]),
                    (B::Map, 2) => Some(vec![args[0], args[1]]),
                    (B::Range, 1) => Some(vec![self.types.int()]),
                    _ => None,
                };
            }
            _ => return None,
        };
        if let Some(next) = iterator_method(self.program, key, ITERATOR) {
            if n != 1 {
                return None;
            }
            let elem = self.types.fresh_var();
            let step = self.types.intern(TyKind::Tuple(vec![elem, t]));
            let ret = self.types.option(step);
            self.call_method_type(next, t, ret, span);
            return Some(vec![elem]);
        }
        let iter = iterator_method(self.program, key, ITERABLE)?;
        if depth >= MAX_ITERABLE_DEPTH {
            return None;
        }
        let source = self.types.fresh_var();
        self.call_method_type(iter, t, source, span);
        self.source_elems(source, n, span, depth + 1)
    }

    /// Types a call of the one-parameter impl method `def` on a `receiver`, returning `ret`.
    fn call_method_type(&mut self, def: DefId, receiver: TyId, ret: TyId, span: Span) {
        let (scheme, k) = self.program.fn_types[def.0 as usize];
        let fresh: Vec<TyId> = (0..k).map(|_| self.types.fresh_var()).collect();
        let found = self.types.instantiate(scheme, &fresh);
        let expected = self.types.intern(TyKind::Fun(vec![receiver], ret));
        self.expect(expected, found, span);
    }
}

/// `Iterator.next`: (interface, method).
const ITERATOR: (&str, &str) = ("Iterator", "next");
/// `Iterable.iter`: (interface, method).
const ITERABLE: (&str, &str) = ("Iterable", "iter");

/// The impl method `interface.method` of the type with key `key`, if it has one.
fn iterator_method(
    program: &Program,
    key: TypeKey,
    (interface, method): (&str, &str),
) -> Option<DefId> {
    program.impl_method(key, interface, method)
}
