//! Clustered declarations and calls (language §3.1.1, §4.12; stdlib §17.3–§17.4, §18.4):
//! CFG0001 for `@cluster`, E0046–E0051 for `Continuity.promote` and `HTTP.clustered`, and
//! the table of declarations valid programs produce.

use mesh_sema::hir::ClusterKind;

/// The clustered table of a program without errors: (runtime name, count, kind).
fn table(src: &str) -> Vec<(String, i64, ClusterKind)> {
    let front = crate::support::front(src);
    assert!(
        front.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        front.diagnostics
    );
    let checked = front.checked.expect("a checked program");
    checked
        .program
        .clustered
        .iter()
        .map(|d| (d.runtime_name.clone(), d.count, d.kind))
        .collect()
}

const ROUTES: &str = "#- main.mpl
import Api.Todos
from Api.Todos import list_todos

fn main() do
  let r = HTTP.router()
    |> HTTP.on_get(\"/todos\", HTTP.clustered(1, list_todos))
    |> HTTP.on_get(\"/todos/retry\", HTTP.clustered(Todos.retry))
  let r2 = HTTP.route(r, \"/any\", HTTP.clustered(3, Todos.any))
  HTTP.serve(r2, 8080)
end
#- work.mpl
@cluster pub fn add() -> Int do
  1 + 1
end

@cluster(3) pub fn sum(a :: Int, b :: Int) -> Int = a + b
#- api/todos.mpl
pub fn list_todos(req :: Request) -> Response = HTTP.response(200, \"list\")

pub fn retry(req :: Request) -> Response = HTTP.response(200, \"retry\")

@cluster(3) pub fn any(req :: Request) -> Response = HTTP.response(200, Request.path(req))
";

#[test]
fn declarations_get_runtime_names_counts_and_kinds() {
    assert_eq!(
        table(ROUTES),
        vec![
            ("Work.add".to_string(), 2, ClusterKind::Startup),
            ("Work.sum".to_string(), 3, ClusterKind::Other),
            ("Api.Todos.any".to_string(), 3, ClusterKind::Route),
            ("Api.Todos.list_todos".to_string(), 1, ClusterKind::Route),
            ("Api.Todos.retry".to_string(), 2, ClusterKind::Route),
        ]
    );
}

#[test]
fn startup_work_is_a_zero_parameter_pub_fn_of_any_result() {
    let src = "#- main.mpl\nfn main() do\nend\n#- jobs/nightly_sync.mpl\n@cluster\npub fn run() do\n  println(\"x\")\nend\n";
    assert_eq!(
        table(src),
        vec![("Jobs.NightlySync.run".to_string(), 2, ClusterKind::Startup)]
    );
}

#[test]
fn cluster_on_a_private_function() {
    check_diag!(
        "@cluster fn add() -> Int do\n  1 + 1\nend\nfn main() do\nend\n",
        CFG0001
    );
}

#[test]
fn cluster_with_a_zero_count() {
    check_diag!(
        "@cluster(0) pub fn add() -> Int = 2\nfn main() do\nend\n",
        CFG0001
    );
}

#[test]
fn cluster_with_a_negative_count() {
    check_diag!(
        "@cluster(-1)\npub fn add() -> Int = 2\nfn main() do\nend\n",
        CFG0001
    );
}

#[test]
fn cluster_with_a_count_beyond_int() {
    check_diag!(
        "@cluster(9223372036854775808) pub fn add() -> Int = 2\nfn main() do\nend\n",
        CFG0001
    );
}

#[test]
fn cluster_on_an_overloaded_name() {
    check_diag!(
        "#- main.mpl\nfn main() do\nend\n#- work.mpl\n@cluster pub fn add() -> Int = 2\n\npub fn add(a :: Int) -> Int = a\n",
        CFG0001
    );
}

#[test]
fn cluster_on_a_later_clause() {
    check_diag!(
        "pub fn fact(0) = 1\n@cluster pub fn fact(n) = n * fact(n - 1)\nfn main() do\nend\n",
        CFG0001
    );
}

#[test]
fn continuity_promote_is_rejected() {
    check_diag!("fn main() do\n  Continuity.promote(\"x\")\nend\n", E0046);
}

#[test]
fn continuity_promote_as_a_value_is_rejected() {
    check_diag!("fn main() do\n  let f = Continuity.promote\nend\n", E0046);
}

#[test]
fn clustered_count_must_be_a_positive_literal() {
    check_diag!(
        "pub fn h(req :: Request) -> Response = HTTP.response(200, \"\")\nfn main() do\n  let n = 2\n  let r = HTTP.on_get(HTTP.router(), \"/a\", HTTP.clustered(0, h))\n  let r = HTTP.on_get(r, \"/b\", HTTP.clustered(-1, h))\n  let r = HTTP.on_get(r, \"/c\", HTTP.clustered(n, h))\n  HTTP.serve(r, 80)\nend\n",
        E0047
    );
}

#[test]
fn clustered_handler_must_be_a_named_function() {
    check_diag!(
        "fn main() do\n  let r = HTTP.on_get(HTTP.router(), \"/a\", HTTP.clustered(fn (req) -> HTTP.response(200, \"\") end))\n  let r = HTTP.on_get(r, \"/b\", HTTP.clustered(1, 2, 3))\n  HTTP.serve(r, 80)\nend\n",
        E0047
    );
}

#[test]
fn clustered_handler_has_the_route_type() {
    check_diag!(
        "pub fn h(n :: Int) -> Int = n\nfn main() do\n  HTTP.serve(HTTP.on_get(HTTP.router(), \"/a\", HTTP.clustered(h)), 80)\nend\n",
        E0001
    );
}

#[test]
fn clustered_handler_must_be_pub() {
    check_diag!(
        "fn h(req :: Request) -> Response = HTTP.response(200, \"\")\nfn main() do\n  HTTP.serve(HTTP.on_get(HTTP.router(), \"/a\", HTTP.clustered(h)), 80)\nend\n",
        E0048
    );
}

#[test]
fn clustered_outside_a_route_handler_position() {
    check_diag!(
        "pub fn h(req :: Request) -> Response = HTTP.response(200, \"\")\nfn main() do\n  let c = HTTP.clustered(1, h)\n  let r = HTTP.use(HTTP.router(), fn (req, next) -> next(req) end)\n  HTTP.serve(HTTP.on_get(r, \"/a\", c), 80)\nend\n",
        E0049
    );
}

#[test]
fn clustered_with_conflicting_counts() {
    check_diag!(
        "pub fn h(req :: Request) -> Response = HTTP.response(200, \"\")\nfn main() do\n  let r = HTTP.on_get(HTTP.router(), \"/a\", HTTP.clustered(1, h))\n  HTTP.serve(HTTP.on_post(r, \"/b\", HTTP.clustered(h)), 80)\nend\n",
        E0050
    );
}

#[test]
fn clustered_count_conflicting_with_the_declared_one() {
    check_diag!(
        "@cluster(1) pub fn h(req :: Request) -> Response = HTTP.response(200, \"\")\nfn main() do\n  HTTP.serve(HTTP.on_get(HTTP.router(), \"/a\", HTTP.clustered(2, h)), 80)\nend\n",
        E0050
    );
}

#[test]
fn clustered_as_a_value() {
    check_diag!(
        "pub fn h(req :: Request) -> Response = HTTP.response(200, \"\")\nfn main() do\n  let wrap = HTTP.clustered\n  let r = HTTP.on_get(HTTP.router(), \"/a\", h |> HTTP.clustered)\n  HTTP.serve(r, 80)\nend\n",
        E0051
    );
}
