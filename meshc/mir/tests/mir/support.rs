//! The helper every MIR test goes through (STYLE §3): `check_mir!` compiles a one-module
//! program through parsing, checking, lowering and the verifier, and snapshots the input with
//! the printed MIR of one of its functions.

use mesh_mir::{Function, Program, Terminator};
use mesh_sema::lower::ModuleInput;
use mesh_syntax::parser::parse_module;
use mesh_syntax::span::{SourceFile, SourceMap};

/// Snapshots `src` with the MIR of its function `name` (`Main.name`), and returns that
/// function for further assertions: `let f = check_mir!(src, "Main.area");`.
macro_rules! check_mir {
    ($src:expr, $name:expr) => {{
        let (snapshot, function) = $crate::support::mir_snapshot($src, $name);
        insta::assert_snapshot!(snapshot);
        function
    }};
}

/// The verified MIR of a program given as the text of its `Main` module.
pub fn lower(src: &str) -> Program {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("test.mpl", "Main", src));
    let parsed = parse_module(file, src);
    let render = |diagnostics: &[mesh_syntax::diagnostic::Diagnostic]| -> String {
        diagnostics
            .iter()
            .map(|d| d.render(&sources, false))
            .collect()
    };
    let Some(ast) = parsed.module else {
        panic!(
            "expected this input to parse:\n{}",
            render(&parsed.diagnostics)
        );
    };
    let modules = [ModuleInput {
        name: "Main".into(),
        ast,
    }];
    let (checked, diagnostics) = mesh_sema::analyze(&modules, "Main");
    let Some(mut checked) = checked else {
        panic!("expected this input to check:\n{}", render(&diagnostics));
    };
    let program = mesh_mir::lower::lower(&mut checked);
    if let Err(e) = mesh_mir::verify::verify(&program) {
        panic!("MIR verification failed: {e}\n{program}");
    }
    program
}

/// The input, a separator line and the printed MIR of function `name`.
pub fn mir_snapshot(src: &str, name: &str) -> (String, Function) {
    let program = lower(src);
    let Some(function) = program.fns.iter().find(|f| f.name == name) else {
        let names: Vec<&str> = program.fns.iter().map(|f| f.name.as_str()).collect();
        panic!("no function {name} in {names:?}");
    };
    let src = if src.ends_with('\n') {
        src.to_string()
    } else {
        format!("{src}\n")
    };
    (
        format!("{src}----- mir -----\n{function}"),
        function.clone(),
    )
}

/// How many blocks of `f` end with a terminator `is` accepts.
pub fn count_terminators(f: &Function, is: impl Fn(&Terminator) -> bool) -> usize {
    f.blocks.iter().filter(|b| is(&b.terminator)).count()
}
