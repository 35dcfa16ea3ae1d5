//! Text form of MIR for `--dump=mir` and snapshot tests.

use crate::{Block, Const, Function, Operand, Program, Rvalue, Stmt, Terminator};
use std::fmt;

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.test_build {
            writeln!(f, "cluster test_build")?;
        }
        for c in &self.clustered {
            let entry = &self.fns[c.entry.0 as usize].name;
            writeln!(
                f,
                "cluster declare {:?} entry={entry} count={} kind={}",
                c.name, c.count, c.kind
            )?;
        }
        if self.test_build || !self.clustered.is_empty() {
            writeln!(f)?;
        }
        for (i, func) in self.fns.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{func}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("_{}: {:?}", p.0, self.local_ty(*p)))
            .collect();
        writeln!(
            f,
            "fn {}({}) -> {:?} {{",
            self.name,
            params.join(", "),
            self.ret
        )?;
        for (i, ty) in self.locals.iter().enumerate().skip(self.params.len()) {
            writeln!(f, "  let _{i}: {ty:?}")?;
        }
        for (i, block) in self.blocks.iter().enumerate() {
            writeln!(f, "  bb{i}:")?;
            write_block(f, block)?;
        }
        writeln!(f, "}}")
    }
}

fn write_block(f: &mut fmt::Formatter<'_>, block: &Block) -> fmt::Result {
    for Stmt::Assign(l, rv) in &block.stmts {
        writeln!(f, "    _{} = {}", l.0, RvalueText(rv))?;
    }
    match &block.terminator {
        Terminator::Goto(b) => writeln!(f, "    goto bb{}", b.0),
        Terminator::Branch {
            cond,
            then_block,
            else_block,
        } => {
            writeln!(
                f,
                "    branch {} bb{} bb{}",
                OperandText(cond),
                then_block.0,
                else_block.0
            )
        }
        Terminator::Switch {
            value,
            cases,
            default,
        } => {
            let cases: Vec<String> = cases
                .iter()
                .map(|(v, b)| format!("{v} -> bb{}", b.0))
                .collect();
            writeln!(
                f,
                "    switch {} [{}] else bb{}",
                OperandText(value),
                cases.join(", "),
                default.0
            )
        }
        Terminator::Return(op) => writeln!(f, "    return {}", OperandText(op)),
        Terminator::Unreachable => writeln!(f, "    unreachable"),
    }
}

struct OperandText<'a>(&'a Operand);

impl fmt::Display for OperandText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Operand::Local(l) => write!(f, "_{}", l.0),
            Operand::Const(Const::Int(n)) => write!(f, "{n}"),
            Operand::Const(Const::Float(x)) => write!(f, "{x:?}"),
            Operand::Const(Const::Bool(b)) => write!(f, "{b}"),
            Operand::Const(Const::Unit) => write!(f, "()"),
            Operand::Const(Const::Str(s)) => write!(f, "{s:?}"),
            Operand::Const(Const::Desc(d)) => write!(f, "desc{}", d.0),
        }
    }
}

struct RvalueText<'a>(&'a Rvalue);

impl fmt::Display for RvalueText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |ops: &[Operand]| {
            ops.iter()
                .map(|o| OperandText(o).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self.0 {
            Rvalue::Use(o) => write!(f, "{}", OperandText(o)),
            Rvalue::Binary(op, a, b) => write!(f, "{op:?}({}, {})", OperandText(a), OperandText(b)),
            Rvalue::Neg(o) => write!(f, "Neg({})", OperandText(o)),
            Rvalue::Not(o) => write!(f, "Not({})", OperandText(o)),
            Rvalue::Call(func, args) => write!(f, "call fn{}({})", func.0, list(args)),
            Rvalue::Runtime(name, args) => write!(f, "runtime {name}({})", list(args)),
            Rvalue::RuntimeWords { func, args, words } => {
                write!(f, "runtime {func}({}; words [{}])", list(args), list(words))
            }
            Rvalue::Alloc { kind, desc, fields } => {
                write!(f, "alloc {kind:?} desc{} ({})", desc.0, list(fields))
            }
            Rvalue::Load { object, index } => write!(f, "load {}[{index}]", OperandText(object)),
            Rvalue::CallClosure { closure, args } => {
                write!(f, "call_closure {}({})", OperandText(closure), list(args))
            }
            Rvalue::ToWord(o) => write!(f, "to_word {}", OperandText(o)),
            Rvalue::FromWord(o) => write!(f, "from_word {}", OperandText(o)),
        }
    }
}
