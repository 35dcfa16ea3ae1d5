//! The catalogue of semantic diagnostics: one constructor per condition, with the codes and
//! headlines of spec language §5.8. Checking code calls these and never writes prose itself.

use mesh_syntax::diagnostic::{Code, Diagnostic};
use mesh_syntax::span::Span;

pub fn type_mismatch(expected: &str, found: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0001, format!("expected {expected}, found {found}"))
        .with_label(span, format!("expected {expected}, found {found}"))
}

pub fn infinite_type(var: u32, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0002, format!("infinite type: ?{var} occurs in {ty}"))
        .with_label(span, "this expression would need an infinite type")
}

pub fn arity_mismatch(expected: usize, found: usize, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0003,
        format!("expected {expected} argument(s), found {found}"),
    )
    .with_label(span, format!("this call passes {found} argument(s)"))
}

pub fn undefined_variable(name: &str, span: Span, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::error(Code::E0004, format!("undefined variable: {name}"))
        .with_label(span, "not found in this scope");
    match suggestion {
        Some(s) => d.with_help(format!("did you mean `{s}`?")).with_fix(s),
        None => d,
    }
}

/// A type name that resolves to nothing: E0058, a code of its own (E0004 is a variable).
pub fn undefined_type(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0058, format!("undefined type: {name}"))
        .with_label(span, "unknown type")
}

pub fn alias_undefined(alias: &str, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0045,
        format!("type alias `{alias}` references undefined type `{ty}`"),
    )
    .with_label(span, "undefined type")
}

pub fn missing_field(field: &str, strukt: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0009,
        format!("missing field {field} in struct {strukt}"),
    )
    .with_label(span, format!("`{field}` is not given"))
}

pub fn unknown_field(field: &str, strukt: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0009,
        format!("unknown field {field} in struct {strukt}"),
    )
    .with_label(span, "no such field")
}

pub fn unknown_variant(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0010, format!("unknown variant: {name}"))
        .with_label(span, "not a variant of this type")
}

pub fn or_pattern_mismatch(expected: &[String], found: &[String], span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0011,
        format!(
            "or-pattern binding mismatch: expected [{}], found [{}]",
            expected.join(", "),
            found.join(", ")
        ),
    )
    .with_label(span, "binds different names")
}

pub fn invalid_guard(reason: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0013, format!("invalid guard: {reason}"))
        .with_label(span, "not allowed in a guard")
}

pub fn guard_not_bool(found: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0025,
        format!("guard expression must return `Bool`, found `{found}`"),
    )
    .with_label(span, "not a Bool")
}

pub fn not_callable(ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0005, format!("type {ty} is not callable"))
        .with_label(span, "called here")
}

pub fn missing_trait(ty: &str, trait_name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0006, format!("{ty} does not implement {trait_name}"))
        .with_label(span, format!("{trait_name} is required here"))
}

/// A requirement of a generalised `let`'s value that the type of one use lacks: reported at the
/// use, with the operation that needs it.
pub fn missing_trait_at_use(ty: &str, trait_name: &str, span: Span, origin: Span) -> Diagnostic {
    Diagnostic::error(Code::E0006, format!("{ty} does not implement {trait_name}"))
        .with_label(span, format!("used here at {ty}"))
        .with_label(origin, format!("{trait_name} is required here"))
}

pub fn no_field(ty: &str, field: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0009, format!("type {ty} has no field {field}"))
        .with_label(span, "unknown field")
}

pub fn module_not_found(module: &str, span: Span, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::error(Code::E0031, "module not found")
        .with_label(span, format!("module `{module}` not found"));
    match suggestion {
        Some(s) => d.with_note(format!("did you mean `{s}`?")).with_fix(s),
        None => d,
    }
}

pub fn name_not_exported(name: &str, module: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0034, "name not found in module").with_label(
        span,
        format!("`{name}` is not exported by module `{module}`"),
    )
}

pub fn private_import(name: &str, module: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0035, "private item cannot be imported")
        .with_label(span, format!("`{name}` is private in module `{module}`"))
        .with_help(format!(
            "add `pub` to the definition of `{name}` in `{module}`"
        ))
}

pub fn duplicate_function(name: &str, arity: usize, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0023,
        format!("function `{name}/{arity}` already defined; multi-clause functions must have consecutive clauses"),
    )
    .with_label(span, "defined again here")
}

pub fn clause_after_catch_all(name: &str, arity: usize, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0022,
        format!("catch-all clause must be the last clause of function `{name}/{arity}`; clauses after a catch-all are unreachable"),
    )
    .with_label(span, "unreachable clause")
}

pub fn clause_arity(name: &str, expected: usize, found: usize, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0024,
        format!("all clauses of `{name}` must have the same number of parameters; expected {expected}, found {found}"),
    )
    .with_label(span, format!("this clause has {found}"))
}

pub fn ignored_on_clause(what: &str, name: &str, span: Span) -> Diagnostic {
    Diagnostic::warning(
        Code::W0002,
        format!("{what} on non-first clause of `{name}` will be ignored"),
    )
    .with_label(span, "ignored")
}

pub fn try_needs_result(found: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0037,
        format!("`?` operator requires `Result` or `Option`, found `{found}`"),
    )
    .with_label(span, "not a Result or Option")
}

/// The headline is §5.8's with §4.9's ", found `T`" (it contains both texts).
pub fn try_needs_result_fn(found: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0036,
        format!("`?` operator requires function to return `Result` or `Option`, found `{found}`"),
    )
    .with_label(span, format!("the enclosing function returns `{found}`"))
}

pub fn non_exhaustive(ty: &str, missing: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0012, format!("non-exhaustive match on `{ty}`"))
        .with_label(span, format!("missing: {missing}"))
}

pub fn redundant_arm(index: usize, span: Span) -> Diagnostic {
    Diagnostic::warning(Code::W0001, format!("redundant match arm (arm {index})"))
        .with_label(span, "this arm can never match")
}

pub fn duplicate_impl(interface: &str, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0026,
        format!("duplicate impl: `{interface}` is already implemented for `{ty}`"),
    )
    .with_label(span, "second impl")
}

pub fn wrong_signature(
    method: &str,
    interface: &str,
    expected: &str,
    found: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::error(Code::E0008,
        format!(
            "method `{method}` in impl `{interface}` has wrong signature: expected `{expected}`, found `{found}`"
        ),
    )
    .with_label(span, "this method")
}

pub fn missing_method(interface: &str, ty: &str, method: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0007,
        format!("impl `{interface}` for `{ty}` is missing method `{method}`"),
    )
    .with_label(span, "this impl")
}

pub fn ambiguous_method(method: &str, ty: &str, a: &str, b: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0027,
        format!("ambiguous method `{method}` for type `{ty}`: candidates from traits [{a}, {b}]"),
    )
    .with_label(span, "ambiguous")
    .with_help(format!("call it as `{a}.{method}(value)`"))
}

/// A use of `method` that several impls of one interface with different type arguments
/// (`From<Int>`, `From<String>`) could mean, the argument types not telling which (spec §3.6).
pub fn ambiguous_impl(method: &str, ty: &str, a: &str, b: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0027,
        format!("ambiguous method `{method}` for type `{ty}`: candidates from traits [{a}, {b}]"),
    )
    .with_label(span, "the argument types do not choose an impl")
    .with_help("annotate the argument's type so that exactly one impl applies")
}

pub fn no_method(method: &str, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0030, format!("no method `{method}` on type `{ty}`"))
        .with_label(span, "no such method")
}

/// `v.try_into()` / `v.into()` whose result type nothing fixes (spec §5.2).
pub fn conversion_target_unknown(method: &str, ty: &str, span: Span) -> Diagnostic {
    let example = if method == "try_into" {
        "let r :: Result<T, E> = v.try_into()"
    } else {
        "let t :: T = v.into()"
    };
    no_method(method, ty, span).with_help(format!(
        "the target type must be known: annotate the binding (`{example}`)"
    ))
}

pub fn outside_loop(is_break: bool, span: Span) -> Diagnostic {
    let (code, word) = if is_break {
        (Code::E0032, "break")
    } else {
        (Code::E0033, "continue")
    };
    Diagnostic::error(code, format!("`{word}` outside of loop"))
        .with_label(span, "not inside a `while` or `for` body")
}

pub fn cannot_derive(trait_name: &str, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0028,
        format!("cannot derive `{trait_name}` for `{ty}`"),
    )
    .with_label(span, "not derivable")
    .with_help("only Eq, Ord, Display, Debug, Hash, Json, and Row are derivable")
}

pub fn ord_without_eq(ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0029,
        format!("cannot derive `Ord` for `{ty}` without `Eq`"),
    )
    .with_label(span, "needs Eq")
    .with_help("add `Eq` to the deriving list")
}

pub fn slot_conflict(slot: u32, f: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0043,
        format!("slot position {slot} conflicts with an argument already provided to `{f}`"),
    )
    .with_label(span, "all parameters are already given")
}

pub fn slot_out_of_range(slot: u32, f: &str, arity: usize, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0044,
        format!("slot position {slot} is out of range: `{f}` takes {arity} arguments, so valid slot positions are 2–{arity}"),
    )
    .with_label(span, "no such parameter")
}

pub fn missing_assoc(interface: &str, ty: &str, assoc: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0040,
        format!("impl `{interface}` for `{ty}` is missing associated type `{assoc}`"),
    )
    .with_label(span, "this impl")
}

pub fn extra_assoc(interface: &str, ty: &str, assoc: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0041,
        format!("impl `{interface}` for `{ty}` provides associated type `{assoc}` which is not declared by the trait"),
    )
    .with_label(span, "not declared by the interface")
}

pub fn unresolved_assoc(assoc: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0042,
        format!("cannot resolve associated type `{assoc}`"),
    )
    .with_label(span, "no impl gives this type here")
}

pub fn field_not_json(field: &str, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0038,
        format!("field `{field}` of type `{ty}` is not JSON-serializable"),
    )
    .with_label(span, "in this deriving(Json) type")
}

pub fn field_not_row(field: &str, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0039,
        format!("field `{field}` has type `{ty}` which cannot be mapped from a database row (only Int, Float, Bool, String, and Option<T> are supported)"),
    )
    .with_label(span, "in this deriving(Row) struct")
}

/// E0039 for a `deriving(Schema)` field: the column's SQL type is that of a row's value.
pub fn field_not_schema(field: &str, ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0039,
        format!("field `{field}` has type `{ty}` which cannot be mapped from a database row (only Int, Float, Bool, String, and Option<T> are supported)"),
    )
    .with_label(span, "no SQL type for this field of a deriving(Schema) struct")
}

/// E0028 for `deriving(Schema)` on a sum type: only a struct describes a table's columns.
pub fn schema_on_sum(ty: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0028, format!("cannot derive `Schema` for `{ty}`"))
        .with_label(span, "only structs derive Schema")
}

/// E0060: an ORM clause of a struct that is malformed or misused (language §3.2, stdlib §28.2).
pub fn bad_orm_clause(key: &str, reason: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0060, format!("invalid ORM clause `{key}`: {reason}"))
        .with_label(span, "in this clause")
}

pub fn not_iterable(ty: &str, key_value: bool, span: Span) -> Diagnostic {
    let what = if key_value {
        "a Map (for `{k, v}`)"
    } else {
        "a List, Set, range, Iter, Iterator or Iterable"
    };
    Diagnostic::error(Code::E0001, format!("expected {what}, found {ty}"))
        .with_label(span, "cannot iterate over this")
}

pub fn missing_main(module: &str) -> Diagnostic {
    Diagnostic::error(
        Code::C0001,
        format!("entry module `{module}` does not define `fn main()`"),
    )
}

/// E0015 (spec §5.8).
pub fn self_outside_actor(span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0015, "self() used outside actor block")
        .with_label(span, "only actors (and `main`) have a pid of their own")
}

/// E0017 (spec §5.8).
pub fn receive_outside_actor(span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0017, "receive used outside actor block")
        .with_label(span, "only actors (and `main`) have a mailbox")
}

/// E0016 (spec §5.8).
pub fn spawn_non_function(found: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0016,
        format!("cannot spawn non-function: found {found}"),
    )
    .with_label(span, "expected an actor or a function")
}

/// A mismatch in a receive pattern whose message type an earlier receive fixed: a label on
/// that receive.
pub fn with_receive_origin(d: Diagnostic, origin: Span, msg_ty: &str) -> Diagnostic {
    // The `receive` keyword that starts the expression, not its whole body.
    let start = origin.start as usize;
    let keyword = Span::new(origin.file, start, (start + 7).min(origin.end as usize));
    d.with_label(
        keyword,
        format!("the message type is {msg_ty} because of this receive"),
    )
}

/// E0014 (spec §5.8).
pub fn message_type_mismatch(expected: &str, found: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0014,
        format!("message type mismatch: expected {expected}, found {found}"),
    )
    .with_label(span, format!("this actor receives {expected}"))
}

/// E0059 (ours): a receive whose message type nothing fixes would drop every message.
pub fn unknown_message_type(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0059,
        "cannot infer the message type of this receive; annotate it",
    )
    .with_label(span, "nothing fixes the type of the messages this receives")
    .with_help(
        "give the pid a message type (`Pid<String>`) or a pattern's value a type (`let s :: String = v`)",
    )
}

/// A form the compiler does not implement yet (E0053, project code).
pub fn unsupported(what: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0053, format!("{what} is not supported yet"))
        .with_label(span, "not supported yet")
}

/// The closest candidate within edit distance 2 (for "did you mean" help).
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// E0054 (project code).
pub fn service_without_init(service: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0054, format!("service `{service}` has no `fn init`"))
        .with_label(span, "a service needs `fn init(…) -> State`")
}

/// An unknown key in a supervisor's or a child's settings (`what`: "supervisor", "child"):
/// E0055 (project code).
pub fn unknown_setting(what: &str, key: &str, expected: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0055, format!("unknown {what} setting `{key}`"))
        .with_label(span, format!("expected {expected}"))
}

/// E0056 (project code; E0018 is a start function of the wrong type).
pub fn child_without_start(child: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0056,
        format!("child `{child}` has no start function"),
    )
    .with_label(span, "add `start: fn -> spawn(…) end`")
}

/// E0018 (spec §3.9: "child `bad` start function must return Pid, found `Int`").
pub fn start_not_pid(child: &str, found: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0018,
        format!("child `{child}` start function must return Pid, found `{found}`"),
    )
    .with_label(span, "a child's start function returns the pid it spawned")
}

/// E0057 (project code).
pub fn int_literal_too_large(span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0057, "integer literal is too large for Int")
        .with_label(span, "does not fit in a 64-bit signed integer")
}

pub fn unknown_strategy(shown: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0019,
        format!("unknown supervision strategy `{shown}`"),
    )
    .with_label(
        span,
        "expected one_for_one, one_for_all, rest_for_one or simple_one_for_one",
    )
}

pub fn invalid_restart(shown: &str, child: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0020,
        format!(
            "invalid restart type `{shown}` for child `{child}`, expected permanent, transient, or temporary"
        ),
    )
    .with_label(span, "not a restart type")
}

pub fn invalid_shutdown(shown: &str, child: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0021,
        format!(
            "invalid shutdown value `{shown}` for child `{child}`, expected a positive integer or brutal_kill"
        ),
    )
    .with_label(span, "not a shutdown value")
}

pub fn internal_function(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0052, format!("`{name}` is internal to the compiler"))
        .with_label(span, "only code the compiler generates may call this")
}

/// `Continuity.promote(...)`: promotion is runtime-owned (stdlib §17.4, language §4.12).
pub fn continuity_promote(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0046,
        "`Continuity.promote()` does not exist: promotion is automatic-only",
    )
    .with_label(span, "manual promotion is not available")
    .with_note(
        "the runtime promotes a standby itself when the primary is lost (runtime-cluster §6.3)",
    )
}

/// `HTTP.clustered` with bad arguments (stdlib §18.4).
pub fn clustered_arguments(reason: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0047,
        format!("invalid arguments to `HTTP.clustered`: {reason}"),
    )
    .with_label(span, reason.to_string())
    .with_help("write `HTTP.clustered(handler)` or `HTTP.clustered(n, handler)` with `n` a positive integer literal and `handler` a named `pub fn`")
}

pub fn clustered_handler_not_pub(name: &str, span: Span, def_span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0048,
        format!("clustered route handler `{name}` must be `pub`"),
    )
    .with_label(span, "clustered here")
    .with_label(def_span, "declared without `pub`")
}

pub fn clustered_not_in_route(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::E0049,
        "`HTTP.clustered` must be the handler argument of `HTTP.route` or `HTTP.on_*`",
    )
    .with_label(span, "not directly a route's handler")
    .with_help("write it in place: `HTTP.on_get(router, \"/path\", HTTP.clustered(handler))`")
}

pub fn clustered_conflicting_counts(
    name: &str,
    first: i64,
    second: i64,
    span: Span,
    first_span: Span,
) -> Diagnostic {
    Diagnostic::error(
        Code::E0050,
        format!("handler `{name}` is clustered with conflicting counts {first} and {second}"),
    )
    .with_label(span, format!("count {second} here"))
    .with_label(first_span, format!("count {first} here"))
}

pub fn clustered_as_value(span: Span) -> Diagnostic {
    Diagnostic::error(Code::E0051, "`HTTP.clustered` cannot be used as a value")
        .with_label(span, "call it here with its count and handler")
}

/// An invalid `@cluster` declaration (tooling §1.1.2): the span is the decorator's.
pub fn invalid_cluster_decl(reason: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::CFG0001,
        format!("invalid clustered declaration: {reason}"),
    )
    .with_label(span, reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_within_two_edits() {
        let names = ["count", "total", "xs"];
        assert_eq!(closest("cuont", names.iter().copied()), Some("count"));
        assert_eq!(closest("zzzzzz", names.iter().copied()), None);
    }
}
