//! The router of stdlib §18.1–§18.2: routes in three tiers (exact, parameterised, wildcard),
//! method filters, and the middleware chain. Generic over the handler and middleware types so
//! the runtime can store Mesh closures and tests can store plain values.
//!
//! Matching is `Router::dispatch`, which yields the matched endpoint (or "not found") with the
//! percent-decoded `:name` captures and the middleware list; `Dispatch::step` walks the chain
//! first-added-outermost, ending at the endpoint. The runtime turns each `next` position into a
//! Mesh closure; a middleware that returns without calling it short-circuits (§18.2 rule 4).

use super::percent;

/// Which methods a route accepts: `HTTP.route` takes any, `HTTP.on_get` and friends one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodFilter {
    Any,
    Get,
    Post,
    Put,
    Delete,
}

/// The router value behind `HTTP.router()`.
#[derive(Clone, Debug)]
pub struct Router<H, M> {
    routes: Vec<Route<H>>,
    middleware: Vec<M>,
}

/// One registered route.
#[derive(Clone, Debug)]
pub struct Route<H> {
    pattern: Pattern,
    method: MethodFilter,
    handler: H,
}

/// What a request dispatches to: a route's handler or the built-in 404.
#[derive(Debug, PartialEq, Eq)]
pub enum Endpoint<'r, H> {
    Handler(&'r H),
    /// No route matched: the innermost `next` answers `404` with body `Not Found` (§18.2 rule 3).
    NotFound,
}

/// The result of routing one request.
#[derive(Debug)]
pub struct Dispatch<'r, H, M> {
    pub endpoint: Endpoint<'r, H>,
    /// `:name` captures of the matched pattern, percent-decoded, in pattern order.
    pub params: Vec<(String, String)>,
    pub middleware: &'r [M],
}

/// One position of the middleware chain.
#[derive(Debug, PartialEq, Eq)]
pub enum Step<'d, 'r, H, M> {
    /// Call `middleware` with the request and a `next` that continues at position `next`.
    Middleware { middleware: &'r M, next: usize },
    /// The end of the chain: run the endpoint.
    Endpoint(&'d Endpoint<'r, H>),
}

/// A compiled route pattern, classified into its tier (§18.2 rule 2).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pattern {
    /// No `:name` segment and not ending in `/*`: byte-for-byte equality with the path.
    Exact(String),
    /// At least one `:name` segment: segment-wise match, empty segments dropped.
    Parameterised(Vec<Segment>),
    /// Ending in `/*`: the prefix before `/*` and everything below it. A prefix with `:name`
    /// segments matches the leading path segments segment-wise (an extension: the spec's
    /// examples have literal prefixes, which match bytewise).
    Wildcard {
        prefix: String,
        segments: Option<Vec<Segment>>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Exact,
    Parameterised,
    Wildcard,
}

impl MethodFilter {
    /// Whether a request with this method token matches (tokens are case-sensitive).
    pub fn accepts(self, method: &str) -> bool {
        match self {
            MethodFilter::Any => true,
            MethodFilter::Get => method == "GET",
            MethodFilter::Post => method == "POST",
            MethodFilter::Put => method == "PUT",
            MethodFilter::Delete => method == "DELETE",
        }
    }
}

impl<H, M> Default for Router<H, M> {
    fn default() -> Self {
        Router {
            routes: Vec::new(),
            middleware: Vec::new(),
        }
    }
}

impl<H, M> Router<H, M> {
    /// `HTTP.router()`: no routes, no middleware.
    pub fn new() -> Self {
        Self::default()
    }

    /// `HTTP.route` / `HTTP.on_get` / …: adds a route after the existing ones.
    pub fn add_route(&mut self, method: MethodFilter, pattern: &str, handler: H) {
        self.routes.push(Route {
            pattern: Pattern::compile(pattern),
            method,
            handler,
        });
    }

    /// `HTTP.use`: adds a middleware inside the ones added before; it applies to every route,
    /// whenever the route was added.
    pub fn add_middleware(&mut self, middleware: M) {
        self.middleware.push(middleware);
    }

    /// Value-style `add_route`, as the Mesh API reads (`r |> HTTP.on_get(…)`).
    pub fn with_route(mut self, method: MethodFilter, pattern: &str, handler: H) -> Self {
        self.add_route(method, pattern, handler);
        self
    }

    /// Value-style `add_middleware`.
    pub fn with_middleware(mut self, middleware: M) -> Self {
        self.add_middleware(middleware);
        self
    }

    pub fn routes(&self) -> impl Iterator<Item = (MethodFilter, &H)> {
        self.routes
            .iter()
            .map(|route| (route.method, &route.handler))
    }

    pub fn middleware(&self) -> &[M] {
        &self.middleware
    }

    /// Routes a request by method token and path (without query string, §18.2 rule 1).
    pub fn dispatch(&self, method: &str, path: &str) -> Dispatch<'_, H, M> {
        let (endpoint, params) = match self.find(method, path) {
            Some((handler, params)) => (Endpoint::Handler(handler), params),
            None => (Endpoint::NotFound, Vec::new()),
        };
        Dispatch {
            endpoint,
            params,
            middleware: &self.middleware,
        }
    }

    fn find(&self, method: &str, path: &str) -> Option<(&H, Vec<(String, String)>)> {
        [Tier::Exact, Tier::Parameterised, Tier::Wildcard]
            .into_iter()
            .find_map(|tier| {
                self.routes
                    .iter()
                    .filter(|route| route.pattern.tier() == tier && route.method.accepts(method))
                    .find_map(|route| {
                        route
                            .pattern
                            .matches(path)
                            .map(|params| (&route.handler, params))
                    })
            })
    }
}

impl<'r, H, M> Dispatch<'r, H, M> {
    /// The chain position `position`: middleware while there are any, then the endpoint.
    /// Position 0 is where a request starts.
    pub fn step(&self, position: usize) -> Step<'_, 'r, H, M> {
        match self.middleware.get(position) {
            Some(middleware) => Step::Middleware {
                middleware,
                next: position + 1,
            },
            None => Step::Endpoint(&self.endpoint),
        }
    }
}

impl Pattern {
    fn compile(text: &str) -> Pattern {
        if let Some(prefix) = text.strip_suffix("/*") {
            let segments = split(prefix)
                .any(|segment| segment.starts_with(':'))
                .then(|| segments_of(prefix));
            return Pattern::Wildcard {
                prefix: prefix.to_owned(),
                segments,
            };
        }
        if split(text).any(|segment| segment.starts_with(':')) {
            return Pattern::Parameterised(segments_of(text));
        }
        Pattern::Exact(text.to_owned())
    }

    fn tier(&self) -> Tier {
        match self {
            Pattern::Exact(_) => Tier::Exact,
            Pattern::Parameterised(_) => Tier::Parameterised,
            Pattern::Wildcard { .. } => Tier::Wildcard,
        }
    }

    /// The captures if `path` matches.
    fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        match self {
            Pattern::Exact(text) => (text == path).then(Vec::new),
            Pattern::Parameterised(segments) => {
                let mut captures = Vec::new();
                let mut parts = split(path);
                for segment in segments {
                    segment.capture(parts.next()?, &mut captures)?;
                }
                parts.next().is_none().then_some(captures)
            }
            Pattern::Wildcard {
                prefix,
                segments: None,
            } => {
                let below = path.strip_prefix(prefix.as_str())?;
                (prefix.is_empty() || below.is_empty() || below.starts_with('/')).then(Vec::new)
            }
            Pattern::Wildcard {
                segments: Some(segments),
                ..
            } => {
                let mut captures = Vec::new();
                let mut parts = split(path);
                for segment in segments {
                    segment.capture(parts.next()?, &mut captures)?;
                }
                Some(captures)
            }
        }
    }
}

impl Segment {
    /// Matches one path segment, pushing the decoded capture of a `:name` segment.
    fn capture(&self, part: &str, captures: &mut Vec<(String, String)>) -> Option<()> {
        match self {
            Segment::Literal(text) => (text == part).then_some(()),
            Segment::Param(name) => {
                captures.push((name.clone(), percent::decode(part, false)));
                Some(())
            }
        }
    }
}

/// Splits on `/` dropping empty segments (§18.2 rule 2, parameterised tier).
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split('/').filter(|segment| !segment.is_empty())
}

fn segments_of(text: &str) -> Vec<Segment> {
    split(text)
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => Segment::Param(name.to_owned()),
            None => Segment::Literal(segment.to_owned()),
        })
        .collect()
}

#[cfg(test)]
mod tests;
