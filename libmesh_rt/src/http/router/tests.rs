//! Tests of the three routing tiers, method filters and the middleware chain (§18.2).

use super::*;

type TestRouter = Router<&'static str, Mw>;

/// Test middleware: what each one does when the chain reaches it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Mw {
    /// Logs `name>` before and `<name` after calling next.
    Around(&'static str),
    /// Answers without calling next.
    Stop(&'static str),
    /// Calls next with a rewritten request path, which does not re-route.
    Rewrite(&'static str),
}

/// A tiny interpreter of the chain, playing the runtime's role: `next` is a position.
fn run(
    dispatch: &Dispatch<'_, &'static str, Mw>,
    position: usize,
    path: &str,
    log: &mut Vec<String>,
) -> String {
    match dispatch.step(position) {
        Step::Middleware { middleware, next } => match middleware {
            Mw::Around(name) => {
                log.push(format!("{name}>"));
                let response = run(dispatch, next, path, log);
                log.push(format!("<{name}"));
                response
            }
            Mw::Stop(answer) => answer.to_string(),
            Mw::Rewrite(new_path) => run(dispatch, next, new_path, log),
        },
        Step::Endpoint(Endpoint::Handler(handler)) => format!("{handler} {path}"),
        Step::Endpoint(Endpoint::NotFound) => "404 Not Found".to_owned(),
    }
}

fn target(router: &TestRouter, method: &str, path: &str) -> Option<&'static str> {
    match router.dispatch(method, path).endpoint {
        Endpoint::Handler(handler) => Some(*handler),
        Endpoint::NotFound => None,
    }
}

fn params(router: &TestRouter, method: &str, path: &str) -> Vec<(String, String)> {
    router.dispatch(method, path).params
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[test]
fn exact_routes_match_byte_for_byte() {
    let router = TestRouter::new().with_route(MethodFilter::Get, "/todos", "list");
    assert_eq!(target(&router, "GET", "/todos"), Some("list"));
    assert_eq!(target(&router, "GET", "/todos/"), None);
    assert_eq!(target(&router, "GET", "/Todos"), None);
    assert_eq!(target(&router, "GET", "//todos"), None);
}

#[test]
fn exact_beats_parameterised_regardless_of_order() {
    let router = TestRouter::new()
        .with_route(MethodFilter::Get, "/users/:id", "show")
        .with_route(MethodFilter::Get, "/users/me", "me");
    assert_eq!(target(&router, "GET", "/users/me"), Some("me"));
    assert_eq!(target(&router, "GET", "/users/42"), Some("show"));
    assert_eq!(params(&router, "GET", "/users/42"), pairs(&[("id", "42")]));
    assert!(params(&router, "GET", "/users/me").is_empty());
}

#[test]
fn parameterised_routes_drop_empty_segments_and_need_equal_counts() {
    let router = TestRouter::new().with_route(MethodFilter::Any, "/a/:x/b/:y", "ab");
    assert_eq!(
        params(&router, "GET", "/a/1/b/2"),
        pairs(&[("x", "1"), ("y", "2")])
    );
    assert_eq!(
        params(&router, "GET", "//a/1//b/2/"),
        pairs(&[("x", "1"), ("y", "2")])
    );
    assert_eq!(target(&router, "GET", "/a/1/b"), None);
    assert_eq!(target(&router, "GET", "/a/1/b/2/3"), None);
    assert_eq!(target(&router, "GET", "/a/1/c/2"), None);
}

#[test]
fn captures_are_percent_decoded_without_plus_rule() {
    let router = TestRouter::new().with_route(MethodFilter::Get, "/files/:name", "file");
    assert_eq!(
        params(&router, "GET", "/files/a%20b+c%2Fd"),
        pairs(&[("name", "a b+c/d")])
    );
}

#[test]
fn wildcards_match_their_prefix_and_everything_below() {
    let router = TestRouter::new()
        .with_route(MethodFilter::Any, "/api/*", "api")
        .with_route(MethodFilter::Any, "/*", "fallback");
    assert_eq!(target(&router, "GET", "/api"), Some("api"));
    assert_eq!(target(&router, "GET", "/api/"), Some("api"));
    assert_eq!(target(&router, "POST", "/api/v1/things"), Some("api"));
    assert_eq!(target(&router, "GET", "/apiary"), Some("fallback"));
    assert_eq!(target(&router, "GET", "/"), Some("fallback"));
    assert_eq!(target(&router, "GET", "*"), Some("fallback"));
}

#[test]
fn catch_all_is_the_last_resort_even_when_registered_first() {
    let router = TestRouter::new()
        .with_route(MethodFilter::Any, "/*", "fallback")
        .with_route(MethodFilter::Get, "/items/:id", "item")
        .with_route(MethodFilter::Get, "/health", "health");
    assert_eq!(target(&router, "GET", "/health"), Some("health"));
    assert_eq!(target(&router, "GET", "/items/3"), Some("item"));
    assert_eq!(target(&router, "GET", "/items/3/x"), Some("fallback"));
    assert_eq!(target(&router, "DELETE", "/health"), Some("fallback"));
}

#[test]
fn wildcard_prefix_with_parameters_captures_them() {
    let router = TestRouter::new().with_route(MethodFilter::Any, "/u/:id/*", "user-tree");
    assert_eq!(
        params(&router, "GET", "/u/9/files/x"),
        pairs(&[("id", "9")])
    );
    assert_eq!(params(&router, "GET", "/u/9"), pairs(&[("id", "9")]));
    assert_eq!(target(&router, "GET", "/u"), None);
    assert_eq!(target(&router, "GET", "/v/9"), None);
}

#[test]
fn first_registered_route_wins_within_a_tier() {
    let router = TestRouter::new()
        .with_route(MethodFilter::Any, "/x/:a", "first")
        .with_route(MethodFilter::Any, "/x/:b", "second")
        .with_route(MethodFilter::Any, "/same", "one")
        .with_route(MethodFilter::Any, "/same", "two");
    assert_eq!(target(&router, "GET", "/x/1"), Some("first"));
    assert_eq!(params(&router, "GET", "/x/1"), pairs(&[("a", "1")]));
    assert_eq!(target(&router, "GET", "/same"), Some("one"));
}

#[test]
fn method_helpers_match_only_their_method_and_others_are_404_not_405() {
    let router = TestRouter::new()
        .with_route(MethodFilter::Get, "/r", "get")
        .with_route(MethodFilter::Post, "/r", "post")
        .with_route(MethodFilter::Put, "/r", "put")
        .with_route(MethodFilter::Delete, "/r", "delete")
        .with_route(MethodFilter::Any, "/any", "any");
    for (method, expected) in [
        ("GET", "get"),
        ("POST", "post"),
        ("PUT", "put"),
        ("DELETE", "delete"),
    ] {
        assert_eq!(target(&router, method, "/r"), Some(expected));
    }
    assert_eq!(target(&router, "PATCH", "/r"), None);
    assert_eq!(target(&router, "HEAD", "/r"), None);
    assert_eq!(target(&router, "get", "/r"), None);
    assert_eq!(target(&router, "PATCH", "/any"), Some("any"));
    assert_eq!(target(&router, "BREW", "/any"), Some("any"));
}

#[test]
fn method_mismatch_in_a_tier_falls_through_to_the_next_tier() {
    let router = TestRouter::new()
        .with_route(MethodFilter::Post, "/items/new", "create")
        .with_route(MethodFilter::Get, "/items/:id", "show");
    assert_eq!(target(&router, "GET", "/items/new"), Some("show"));
    assert_eq!(target(&router, "POST", "/items/new"), Some("create"));
}

#[test]
fn middleware_runs_first_added_outermost_whatever_the_order_of_use_and_routes() {
    let mut router = TestRouter::new();
    router.add_middleware(Mw::Around("a"));
    router.add_route(MethodFilter::Get, "/x", "handler");
    router.add_middleware(Mw::Around("b"));
    let dispatch = router.dispatch("GET", "/x");
    let mut log = Vec::new();
    assert_eq!(run(&dispatch, 0, "/x", &mut log), "handler /x");
    assert_eq!(log, ["a>", "b>", "<b", "<a"]);
}

#[test]
fn middleware_short_circuits_without_next() {
    let router = TestRouter::new()
        .with_middleware(Mw::Around("outer"))
        .with_middleware(Mw::Stop("401 Unauthorized"))
        .with_middleware(Mw::Around("inner"))
        .with_route(MethodFilter::Any, "/x", "handler");
    let mut log = Vec::new();
    assert_eq!(
        run(&router.dispatch("GET", "/x"), 0, "/x", &mut log),
        "401 Unauthorized"
    );
    assert_eq!(log, ["outer>", "<outer"]);
}

#[test]
fn middleware_runs_for_unmatched_requests_and_next_returns_404() {
    let router = TestRouter::new()
        .with_middleware(Mw::Around("log"))
        .with_route(MethodFilter::Get, "/x", "handler");
    let dispatch = router.dispatch("GET", "/nope");
    assert_eq!(dispatch.endpoint, Endpoint::NotFound);
    let mut log = Vec::new();
    assert_eq!(run(&dispatch, 0, "/nope", &mut log), "404 Not Found");
    assert_eq!(log, ["log>", "<log"]);
}

#[test]
fn the_request_passed_to_next_reaches_the_handler_without_rerouting() {
    let router = TestRouter::new()
        .with_middleware(Mw::Rewrite("/changed"))
        .with_route(MethodFilter::Get, "/x", "handler");
    let mut log = Vec::new();
    assert_eq!(
        run(&router.dispatch("GET", "/x"), 0, "/x", &mut log),
        "handler /changed"
    );
}

#[test]
fn an_empty_router_answers_404_and_has_no_chain() {
    let router = TestRouter::new();
    let dispatch = router.dispatch("GET", "/");
    assert_eq!(dispatch.step(0), Step::Endpoint(&Endpoint::NotFound));
    assert_eq!(router.routes().count(), 0);
    assert!(router.middleware().is_empty());
}

#[test]
fn patterns_are_classified_into_the_three_tiers() {
    assert_eq!(Pattern::compile("/a/b").tier(), Tier::Exact);
    assert_eq!(Pattern::compile("/a/*/b").tier(), Tier::Exact);
    assert_eq!(Pattern::compile("/a:b").tier(), Tier::Exact);
    assert_eq!(Pattern::compile("/a/:b").tier(), Tier::Parameterised);
    assert_eq!(Pattern::compile("/a/*").tier(), Tier::Wildcard);
    assert_eq!(Pattern::compile("/*").tier(), Tier::Wildcard);
}
