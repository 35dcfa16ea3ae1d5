//! The test DSL of `*.test.mpl` files (spec language §4.13, tooling §4.3): turns a parsed test
//! file into an ordinary module before analysis. Each `test` becomes an actor running its
//! groups' `setup` blocks then its body (with the statements' original spans, so errors and
//! assertion locations point at the test file), and a generated `main` runs every selected
//! test in a fresh process linked to it (trapping exits: the link is made by the child
//! itself, so its end cannot be missed) and prints one
//! protocol line per result for `meshc test` to render. Assertions become calls of generated
//! helpers that panic with the failure text and `at FILE:LINE:COL`; a panic ends only the test's
//! process. `teardown` sees `setup`'s bindings (stdlib §29.1): after its setup the test hands
//! a closure of the teardown statements to a holder process, which runs it after the test's
//! end, also when the test crashed; a test whose setup failed has no teardown to run.

use mesh_syntax::ast::*;
use mesh_syntax::diagnostic::{Code, Diagnostic};
use mesh_syntax::span::{FileId, SourceFile, Span};

/// The protocol marker that starts every result line of a test executable (never in Mesh text
/// a user prints by accident): `\0P name` passed, `\0F name` failed, `\0M line` a failure line.
pub const MARKER: char = '\0';

/// The environment variable holding `--filter`'s text.
pub const FILTER_ENV: &str = "MESH_TEST_FILTER";

/// One test of a file, with its full name (`group > name`).
#[derive(Debug, Clone, PartialEq)]
pub struct TestCase {
    pub name: String,
}

/// The tests a module declares, in file order (their full names), without changing it.
pub fn collect(module: &Module) -> Vec<TestCase> {
    let mut out = Vec::new();
    let mut ctx = Ctx::default();
    walk_items(&module.items, &[], &mut ctx, &mut |case, _| {
        out.push(case.clone())
    });
    out
}

#[derive(Default, Clone)]
struct Ctx {
    setups: Vec<Block>,
    teardowns: Vec<Block>,
}

fn walk_items(
    items: &[Item],
    groups: &[String],
    ctx: &mut Ctx,
    f: &mut dyn FnMut(&TestCase, (&Ctx, &Block)),
) {
    let mut inner = ctx.clone();
    for item in items {
        match &item.kind {
            ItemKind::Setup(b) => inner.setups.push(b.clone()),
            ItemKind::Teardown(b) => inner.teardowns.insert(0, b.clone()),
            _ => {}
        }
    }
    for item in items {
        match &item.kind {
            ItemKind::Test { name, body } => {
                let mut full: Vec<String> = groups.to_vec();
                full.push(name.clone());
                let case = TestCase {
                    name: full.join(" > "),
                };
                f(&case, (&inner, body));
            }
            ItemKind::Describe { name, items } => {
                let mut g = groups.to_vec();
                g.push(name.clone());
                walk_items(items, &g, &mut inner, f);
            }
            _ => {}
        }
    }
}

/// Lowers the test file `module` (its text in `source`, shown as `display_path`) to an ordinary
/// entry module: test forms replaced by actors and a generated `main`. Returns the tests, or a
/// diagnostic when the file defines `main` itself.
pub fn lower_test_file(
    module: &mut Module,
    source: &SourceFile,
    display_path: &str,
) -> Result<Vec<TestCase>, Box<Diagnostic>> {
    for item in &module.items {
        if let ItemKind::Fn(f) = &item.kind {
            if f.name.name == "main" {
                return Err(Box::new(
                    Diagnostic::error(
                        Code::C0001,
                        "a test file cannot define `main`: `meshc test` supplies it",
                    )
                    .with_label(f.name.span, "defined here"),
                ));
            }
        }
    }
    let file = module.span.file;
    let items = std::mem::take(&mut module.items);
    let mut cases = Vec::new();
    let mut generated = Vec::new();
    let rewriter = Rewriter {
        source,
        display_path,
    };
    walk_items(
        &items,
        &[],
        &mut Ctx::default(),
        &mut |case, (ctx, body)| {
            let index = cases.len();
            let mut stmts: Vec<Stmt> = ctx
                .setups
                .iter()
                .flat_map(|b| b.stmts.iter().cloned())
                .collect();
            let teardown: Vec<Stmt> = ctx
                .teardowns
                .iter()
                .flat_map(|b| b.stmts.iter().cloned())
                .collect();
            if !teardown.is_empty() {
                stmts.push(keep_teardown(file, index, teardown));
            }
            stmts.extend(body.stmts.iter().cloned());
            generated.push(actor(
                file,
                format!("__mesh_test_{index}"),
                stmts,
                &rewriter,
            ));
            cases.push((case.clone(), !ctx.teardowns.is_empty()));
        },
    );
    module.items = items
        .into_iter()
        .filter(|i| {
            !matches!(
                i.kind,
                ItemKind::Test { .. }
                    | ItemKind::Describe { .. }
                    | ItemKind::Setup(_)
                    | ItemKind::Teardown(_)
            )
        })
        .collect();
    module.items.extend(generated);
    module.items.extend(runner_items(file, &cases));
    Ok(cases.into_iter().map(|(c, _)| c).collect())
}

/// `actor NAME(__mesh_runner :: Pid) do link(__mesh_runner); STMTS end`.
fn actor(file: FileId, name: String, stmts: Vec<Stmt>, rewriter: &Rewriter) -> Item {
    let text = format!("actor {name}(__mesh_runner :: Pid) do\n  link(__mesh_runner)\nend\n");
    let mut items = parse_generated(file, &text);
    let mut item = items.remove(0);
    if let ItemKind::Actor(a) = &mut item.kind {
        let mut block = Block {
            stmts,
            span: a.body.span,
        };
        rewriter.block(&mut block);
        a.body.stmts.extend(block.stmts);
    }
    item
}

/// `__mesh_keep_teardown("__mesh_teardown_N", fn do TEARDOWN; () end)`: placed after the
/// test's setup statements, so the teardown closure captures setup's bindings (stdlib §29.1:
/// teardown runs in the same scope). A holder process keeps the closure, registered under
/// that name, and runs it when the runner asks after the test's end, even if the test crashed.
fn keep_teardown(file: FileId, index: usize, mut teardown: Vec<Stmt>) -> Stmt {
    let text = format!(
        "fn __t() do\n  __mesh_keep_teardown(\"__mesh_teardown_{index}\", fn do\n    ()\n  end)\nend\n"
    );
    let mut items = parse_generated(file, &text);
    let Some(ItemKind::Fn(def)) = items.pop().map(|i| i.kind) else {
        panic!("generated teardown keeper is a function");
    };
    let ExprKind::Block(mut block) = def.body.kind else {
        panic!("generated teardown keeper has a block body");
    };
    let mut stmt = block.stmts.remove(0);
    if let StmtKind::Expr(Expr {
        kind: ExprKind::Call { args, .. },
        ..
    }) = &mut stmt.kind
    {
        if let Some(Expr {
            kind: ExprKind::Closure(clauses),
            ..
        }) = args.get_mut(1)
        {
            if let ExprKind::Block(b) = &mut clauses[0].body.kind {
                // The unit value stays last: the closure returns () whatever teardown ends with.
                teardown.append(&mut b.stmts);
                b.stmts = teardown;
            }
        }
    }
    stmt
}

/// The generated helpers and `main`.
fn runner_items(file: FileId, cases: &[(TestCase, bool)]) -> Vec<Item> {
    let mut text = String::from(RUNNER_HELPERS);
    text.push_str("fn main() do\n  Process.trap_exit(true)\n  let me = self()\n");
    text.push_str("  let filter = Env.get(\"MESH_TEST_FILTER\", \"\")\n");
    // `receive` is valid in `main` but not in a helper function, so each wait is inline.
    let wait = |var: &str, actor: &str| {
        format!(
            "    let p{var} = spawn({actor}, me)\n    let {var} = receive do\n      Exit {{ pid, reason }} when pid == p{var} -> reason\n    end\n"
        )
    };
    for (i, (case, teardown)) in cases.iter().enumerate() {
        let name = escape(&case.name);
        text.push_str(&format!("  if String.contains(\"{name}\", filter) do\n"));
        text.push_str(&wait(&format!("r{i}"), &format!("__mesh_test_{i}")));
        if *teardown {
            // The holder registered by the test after its setup (none if setup failed) runs
            // the teardown closure when told to; its end is the teardown's result.
            text.push_str(&format!(
                "    let h{i} = Process.whereis(\"__mesh_teardown_{i}\")\n    let t{i} = if h{i} == Process.whereis(\"\") do\n      \"normal\"\n    else\n      let m{i} = Process.monitor(h{i})\n      send(h{i}, 0)\n      receive do\n        Down {{ ref, pid, reason }} when ref == m{i} -> reason\n      end\n    end\n"
            ));
        } else {
            text.push_str(&format!("    let t{i} = \"normal\"\n"));
        }
        text.push_str(&format!(
            "    __mesh_report(\"{name}\", r{i}, t{i})\n  end\n"
        ));
    }
    text.push_str("end\n");
    parse_generated(file, &text)
}

const RUNNER_HELPERS: &str = r##"
fn __mesh_report(name :: String, reason :: String, teardown :: String) -> () do
  if reason == "normal" and teardown == "normal" do
    println("\0P#{name}")
  else
    println("\0F#{name}")
    let text = if reason == "normal" do "teardown failed: #{teardown}" else reason end
    for line in String.split(text, "\n") do
      println("\0M#{line}")
    end
    ()
  end
end

actor __mesh_teardown_holder(f :: Fun() -> ()) do
  receive do
    0 -> f()
  end
end

fn __mesh_keep_teardown(name :: String, f :: Fun() -> ()) -> () do
  let _ = Process.register(name, spawn(__mesh_teardown_holder, f))
  ()
end

actor __mesh_mock(f) do
  receive do
    msg -> if f(msg) == "stop" do () else __mesh_mock(f) end
  end
end

fn __mesh_fail(message :: String, at :: String) -> () do
  panic("#{message}\n  at #{at}")
end

actor __mesh_raiser(f :: Fun() -> (), parent :: Pid) do
  link(parent)
  f()
end

fn __mesh_raises_start(f :: Fun() -> (), me :: Pid) -> Pid do
  Process.trap_exit(true)
  spawn(__mesh_raiser, f, me)
end

fn __mesh_raises_check(reason :: String, at :: String) -> () do
  Process.trap_exit(false)
  if reason == "normal" do panic("assert_raises failed: the function returned normally\n  at #{at}") else () end
end

fn __mesh_receive_timeout(ms :: Int, pattern :: String, at :: String) -> () do
  panic("assert_receive timed out after #{ms}ms waiting for #{pattern}\n  at #{at}")
end
"##;

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('#', "\\#")
        .replace('\n', "\\n")
}

fn parse_generated(file: FileId, text: &str) -> Vec<Item> {
    let parsed = mesh_syntax::parser::parse_module(file, text);
    match parsed.module {
        Some(m) => m.items,
        // The generated text is fixed by this module; a failure is a compiler bug.
        None => panic!(
            "generated test runner does not parse: {:?}",
            parsed.diagnostics
        ),
    }
}

/// Rewrites assertions in test bodies into calls of the generated helpers.
struct Rewriter<'a> {
    source: &'a SourceFile,
    display_path: &'a str,
}

impl Rewriter<'_> {
    fn at(&self, span: Span) -> String {
        let (line, col) = self.source.line_col(span.start as usize);
        format!("{}:{line}:{col}", self.display_path)
    }

    fn text(&self, span: Span) -> String {
        self.source
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
            .to_string()
    }

    fn block(&self, block: &mut Block) {
        for stmt in &mut block.stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&self, stmt: &mut Stmt) {
        match &mut stmt.kind {
            StmtKind::Let { value, .. } => self.expr(value),
            StmtKind::Return(Some(e)) | StmtKind::Expr(e) => self.expr(e),
            StmtKind::Return(None) | StmtKind::Item(_) => {}
            StmtKind::AssertReceive { pattern, timeout } => {
                let span = stmt.span;
                let ms = timeout.take().unwrap_or(Expr {
                    kind: ExprKind::Int(100),
                    span,
                });
                let fail = call(
                    "__mesh_receive_timeout",
                    vec![
                        ms.clone(),
                        str_lit(self.text(pattern.span), span),
                        str_lit(self.at(span), span),
                    ],
                    span,
                );
                let arm = Arm {
                    pattern: pattern.clone(),
                    guard: None,
                    body: Expr {
                        kind: ExprKind::Tuple(vec![]),
                        span,
                    },
                    span,
                };
                stmt.kind = StmtKind::Expr(Expr {
                    kind: ExprKind::Receive {
                        arms: vec![arm],
                        after: Some((Box::new(ms), Box::new(fail))),
                    },
                    span,
                });
            }
        }
    }

    fn expr(&self, e: &mut Expr) {
        let span = e.span;
        match &mut e.kind {
            ExprKind::Call {
                callee,
                args,
                kwargs,
                trailing,
            } => {
                for a in args.iter_mut() {
                    self.expr(a);
                }
                for (_, a) in kwargs.iter_mut() {
                    self.expr(a);
                }
                if let Some(t) = trailing {
                    self.expr(t);
                }
                if let ExprKind::Field { base, name } = &callee.kind {
                    if matches!(&base.kind, ExprKind::Name(m) if m == "Test")
                        && name.name == "mock_actor"
                        && args.len() == 1
                    {
                        let f = args.remove(0);
                        *e = template(span, "spawn(__mesh_mock, __mesh_h0)", vec![f]);
                        return;
                    }
                }
                let ExprKind::Name(name) = &callee.kind else {
                    self.expr(callee);
                    return;
                };
                let at = escape(&self.at(span));
                let src = |e: &Expr| escape(&self.text(e.span));
                let (body, holes) = match (name.as_str(), args.len()) {
                    ("assert", 1) => (
                        format!("if __mesh_h0 do () else __mesh_fail(\"assertion failed: {}\", \"{at}\") end", src(&args[0])),
                        std::mem::take(args),
                    ),
                    ("assert_eq", 2) => (
                        format!(
                            "if __mesh_h0 == __mesh_h1 do () else __mesh_fail(\"assert_eq failed: {} == {}\\n  left:  #{{__mesh_h0.inspect()}}\\n  right: #{{__mesh_h1.inspect()}}\", \"{at}\") end",
                            src(&args[0]),
                            src(&args[1])
                        ),
                        std::mem::take(args),
                    ),
                    ("assert_ne", 2) => (
                        format!("if __mesh_h0 != __mesh_h1 do () else __mesh_fail(\"assert_ne failed: both sides are #{{__mesh_h0.inspect()}}\", \"{at}\") end"),
                        std::mem::take(args),
                    ),
                    ("assert_raises", 1) => (
                        format!("let __mesh_p = __mesh_raises_start(__mesh_h0, self())\n__mesh_raises_check(receive do\n    Exit {{ pid, reason }} when pid == __mesh_p -> reason\n  end, \"{at}\")"),
                        std::mem::take(args),
                    ),
                    _ => return,
                };
                *e = template(span, &body, holes);
            }
            ExprKind::Interp(parts) => {
                for p in parts {
                    if let InterpPart::Expr(x) = p {
                        self.expr(x);
                    }
                }
            }
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Pipe { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Unary { operand: x, .. }
            | ExprKind::Try(x)
            | ExprKind::Field { base: x, .. } => self.expr(x),
            ExprKind::Index { base, index } => {
                self.expr(base);
                self.expr(index);
            }
            ExprKind::If {
                cond,
                then_block,
                else_expr,
            } => {
                self.expr(cond);
                self.block(then_block);
                if let Some(x) = else_expr {
                    self.expr(x);
                }
            }
            ExprKind::Case { scrutinee, arms } => {
                self.expr(scrutinee);
                self.arms(arms);
            }
            ExprKind::Receive { arms, after } => {
                self.arms(arms);
                if let Some((a, b)) = after {
                    self.expr(a);
                    self.expr(b);
                }
            }
            ExprKind::Block(b) => self.block(b),
            ExprKind::Tuple(xs) | ExprKind::List(xs) => {
                for x in xs {
                    self.expr(x);
                }
            }
            ExprKind::Map(kvs) => {
                for (k, v) in kvs {
                    self.expr(k);
                    self.expr(v);
                }
            }
            ExprKind::StructLit { fields, .. } | ExprKind::Json(fields) => {
                for (_, v) in fields {
                    self.expr(v);
                }
            }
            ExprKind::StructUpdate { base, fields } => {
                self.expr(base);
                for (_, v) in fields {
                    self.expr(v);
                }
            }
            ExprKind::Closure(clauses) => {
                for c in clauses {
                    self.expr(&mut c.body);
                }
            }
            ExprKind::While { cond, body } => {
                self.expr(cond);
                self.block(body);
            }
            ExprKind::For {
                iter, filter, body, ..
            } => {
                self.expr(iter);
                if let Some(f) = filter {
                    self.expr(f);
                }
                self.block(body);
            }
            _ => {}
        }
    }

    fn arms(&self, arms: &mut [Arm]) {
        for a in arms {
            if let Some(g) = &mut a.guard {
                self.expr(g);
            }
            self.expr(&mut a.body);
        }
    }
}

/// An assertion's expansion: a block binding `__mesh_h0…` to `holes` (the user's expressions,
/// evaluated once, in order) followed by the statements of `body` (generated text).
fn template(span: Span, body: &str, holes: Vec<Expr>) -> Expr {
    let mut text = String::from("fn __t() do\n");
    for i in 0..holes.len() {
        text.push_str(&format!("  let __mesh_h{i} = 0\n"));
    }
    text.push_str(body);
    text.push_str("\nend\n");
    let mut items = parse_generated(span.file, &text);
    let mut stmts = match items.pop().map(|i| i.kind) {
        Some(ItemKind::Fn(def)) => match def.body.kind {
            ExprKind::Block(b) => b.stmts,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for (stmt, hole) in stmts.iter_mut().zip(holes) {
        if let StmtKind::Let { value, .. } = &mut stmt.kind {
            *value = hole;
        }
    }
    Expr {
        kind: ExprKind::Block(Block { stmts, span }),
        span,
    }
}

fn str_lit(text: String, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Str(text),
        span,
    }
}

fn call(name: &str, args: Vec<Expr>, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Call {
            callee: Box::new(Expr {
                kind: ExprKind::Name(name.into()),
                span,
            }),
            args,
            kwargs: vec![],
            trailing: None,
        },
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Module {
        let parsed = mesh_syntax::parser::parse_module(FileId(0), text);
        parsed.module.expect("the test file parses")
    }

    const FILE: &str = "test(\"top\") do\n  assert(1 == 1)\nend\ndescribe(\"G\") do\n  setup do\n    let x = 1\n  end\n  describe(\"H\") do\n    test(\"deep\") do\n      assert_eq(x, 2)\n    end\n  end\nend\n";

    #[test]
    fn full_names_join_groups_in_file_order() {
        let names: Vec<String> = collect(&parse(FILE)).into_iter().map(|t| t.name).collect();
        assert_eq!(names, ["top", "G > H > deep"]);
    }

    #[test]
    fn lowering_replaces_test_forms_by_actors_and_main() {
        let mut module = parse(FILE);
        let source = SourceFile::new("t.test.mpl", "Main", FILE);
        let cases = lower_test_file(&mut module, &source, "tests/t.test.mpl").expect("lowers");
        assert_eq!(cases.len(), 2);
        let names: Vec<String> = module
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ItemKind::Actor(a) => Some(a.name.name.clone()),
                ItemKind::Fn(f) => Some(f.name.name.clone()),
                ItemKind::Test { .. } | ItemKind::Describe { .. } => Some("DSL".into()),
                _ => None,
            })
            .collect();
        assert!(names.contains(&"__mesh_test_0".to_string()), "{names:?}");
        assert!(names.contains(&"__mesh_test_1".to_string()), "{names:?}");
        assert!(names.contains(&"main".to_string()), "{names:?}");
        assert!(!names.contains(&"DSL".to_string()), "{names:?}");
        // The assertion's location is the original one (line 10, column 7).
        let printed = format!("{:?}", module.items);
        assert!(printed.contains("tests/t.test.mpl:10:7"), "{printed}");
        assert!(printed.contains("assert_eq failed: x == 2"), "{printed}");
    }

    #[test]
    fn a_test_file_may_not_define_main() {
        let text = "fn main() do\n  ()\nend\n";
        let mut module = parse(text);
        let source = SourceFile::new("t.test.mpl", "Main", text);
        let err = lower_test_file(&mut module, &source, "t.test.mpl").expect_err("rejected");
        assert!(
            err.message.contains("cannot define `main`"),
            "{}",
            err.message
        );
    }
}
