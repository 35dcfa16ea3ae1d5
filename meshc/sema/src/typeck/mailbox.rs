//! Mailbox types that nothing fixes (E0059). A `receive` expects messages of its process's
//! message type `M` (the runtime drops a message of another type, sent through an untyped
//! `Pid`), so an `M` left open would become `()` at code generation and silently drop every
//! message. Each receive's `M` is checked at the end of its component: a variable still
//! unbound there either belongs to a function's type (an actor's `Actor<M>`, a function
//! returning the `Pid<M>` of a spawn), and is then checked again at each instantiation of
//! that function (`Checker::mailbox_gens`), or nothing can fix it any more: E0059 at the
//! receive.

use super::Checker;
use crate::errors;
use crate::hir::DefId;
use crate::ty::TyId;
use mesh_syntax::span::Span;

impl Checker<'_> {
    /// Records the message type `m` of the receive at `span` for the end of the component.
    pub(super) fn note_mailbox(&mut self, m: TyId, span: Span) {
        self.mailboxes.push((m, span));
    }

    /// At a use of `def` instantiated with `args`: the instances of its mailbox `Gen`s must
    /// be fixed by the end of this component (or belong to its functions' types).
    pub(super) fn instantiate_mailboxes(&mut self, def: DefId, args: &[TyId]) {
        let Some(gens) = self.mailbox_gens.get(&def) else {
            return;
        };
        for &(i, span) in gens {
            if let Some(&t) = args.get(i as usize) {
                self.mailboxes.push((t, span));
            }
        }
    }

    /// After the component's bodies are solved and before they are generalised: each
    /// recorded message type's unbound variables become mailbox `Gen`s of the functions whose
    /// types hold them (numbered as `generalise` numbers them), or are E0059.
    pub(super) fn settle_mailboxes(&mut self, defs: &[DefId]) {
        let pending = std::mem::take(&mut self.mailboxes);
        if pending.is_empty() {
            return;
        }
        let fn_vars: Vec<(DefId, Vec<u32>)> = defs
            .iter()
            .map(|&d| {
                let t = self.types.resolve(self.mono[&d]);
                let mut vars = Vec::new();
                self.types.free_vars(t, &mut vars);
                (d, vars)
            })
            .collect();
        let mut reported: Vec<Span> = Vec::new();
        for (m, span) in pending {
            let t = self.types.resolve(m);
            let mut vars = Vec::new();
            self.types.free_vars(t, &mut vars);
            for v in vars {
                // Quantified by a generalised `let`: each use of it instantiates it again.
                if self.poly.values().any(|p| p.vars.contains(&v)) {
                    continue;
                }
                let mut owned = false;
                for (d, fv) in &fn_vars {
                    if let Some(i) = fv.iter().position(|&x| x == v) {
                        let gens = self.mailbox_gens.entry(*d).or_default();
                        if !gens.contains(&(i as u32, span)) {
                            gens.push((i as u32, span));
                        }
                        owned = true;
                    }
                }
                if !owned && !reported.contains(&span) {
                    reported.push(span);
                    self.diags.push(errors::unknown_message_type(span));
                }
            }
        }
    }
}
