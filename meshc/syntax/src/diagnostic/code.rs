//! Diagnostic codes: one enum variant per code with its headline template(s). The spec's
//! codes (language §5.8's table, `P0001`, tooling §1.1.2's `C0001`) carry the spec's templates
//! word for word, which the tests below check against the spec itself; the project's own codes
//! (after E0051, the last code the spec reserves) are listed with their templates in
//! ARCHITECTURE.md's diagnostics section, which a test checks too. A template is the headline
//! with `{name}` where a value goes; a headline matches when it starts with the template so
//! filled in (the spec's "exact substrings matter": E0036 adds §4.9's ", found `T`").

use std::fmt;

macro_rules! codes {
    ($($(#[$doc:meta])* $code:ident => [$($template:literal),+ $(,)?],)*) => {
        /// A diagnostic code (`E0001`); its text form is the variant's name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* $code,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// `E0001`, `P0001`, …
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// The headline templates: the spec's (alternatives for E0009), or the project's.
            pub fn templates(self) -> &'static [&'static str] {
                match self {
                    $(Code::$code => &[$($template),+],)*
                }
            }
        }
    };
}

codes! {
    /// Every syntax error (spec §5.8: header `Parse error`, the message is the label).
    P0001 => ["Parse error"],
    /// A command-level failure without a span (tooling §1.1.2): the message is free text.
    C0001 => ["{message}"],
    E0001 => ["expected {T}, found {U}"],
    E0002 => ["infinite type: ?{n} occurs in {T}"],
    E0003 => ["expected {n} argument(s), found {m}"],
    E0004 => ["undefined variable: {x}"],
    E0005 => ["type {T} is not callable"],
    E0006 => ["{T} does not implement {Trait}"],
    E0007 => ["impl `{Tr}` for `{T}` is missing method `{m}`"],
    E0008 => ["method `{m}` in impl `{Tr}` has wrong signature: expected `{A}`, found `{B}`"],
    E0009 => [
        "missing field {f} in struct {S}",
        "unknown field {f} in struct {S}",
        "type {T} has no field {f}",
    ],
    E0010 => ["unknown variant: {V}"],
    E0011 => ["or-pattern binding mismatch: expected [{a}], found [{b}]"],
    E0012 => ["non-exhaustive match on `{T}`"],
    E0013 => ["invalid guard: {reason}"],
    E0014 => ["message type mismatch: expected {M}, found {T}"],
    E0015 => ["self() used outside actor block"],
    E0016 => ["cannot spawn non-function: found {T}"],
    E0017 => ["receive used outside actor block"],
    E0018 => ["child `{c}` start function must return Pid, found `{T}`"],
    E0019 => ["unknown supervision strategy `{s}`"],
    E0020 => ["invalid restart type `{r}` for child `{c}`, expected permanent, transient, or temporary"],
    E0021 => ["invalid shutdown value `{v}` for child `{c}`, expected a positive integer or brutal_kill"],
    E0022 => ["catch-all clause must be the last clause of function `{f}/{n}`; clauses after a catch-all are unreachable"],
    E0023 => ["function `{f}/{n}` already defined; multi-clause functions must have consecutive clauses"],
    E0024 => ["all clauses of `{f}` must have the same number of parameters; expected {a}, found {b}"],
    E0025 => ["guard expression must return `Bool`, found `{T}`"],
    E0026 => ["duplicate impl: `{Tr}` is already implemented for `{T}`"],
    E0027 => ["ambiguous method `{m}` for type `{T}`: candidates from traits [{A}, {B}]"],
    E0028 => ["cannot derive `{Tr}` for `{T}`"],
    E0029 => ["cannot derive `Ord` for `{T}` without `Eq`"],
    E0030 => ["no method `{m}` on type `{T}`"],
    E0031 => ["module not found"],
    E0032 => ["`break` outside of loop"],
    E0033 => ["`continue` outside of loop"],
    E0034 => ["name not found in module"],
    E0035 => ["private item cannot be imported"],
    E0036 => ["`?` operator requires function to return `Result` or `Option`"],
    E0037 => ["`?` operator requires `Result` or `Option`, found `{T}`"],
    E0038 => ["field `{f}` of type `{T}` is not JSON-serializable"],
    E0039 => ["field `{f}` has type `{T}` which cannot be mapped from a database row (only Int, Float, Bool, String, and Option<T> are supported)"],
    E0040 => ["impl `{Tr}` for `{T}` is missing associated type `{A}`"],
    E0041 => ["impl `{Tr}` for `{T}` provides associated type `{A}` which is not declared by the trait"],
    E0042 => ["cannot resolve associated type `{A}`"],
    E0043 => ["slot position {n} conflicts with an argument already provided to `{f}`"],
    E0044 => ["slot position {n} is out of range: `{f}` takes {k} arguments, so valid slot positions are 2–{k}"],
    E0045 => ["type alias `{A}` references undefined type `{T}`"],
    /// `Continuity.promote(...)` (language §4.12; spec code, template the project's).
    E0046 => ["`Continuity.promote()` does not exist: promotion is automatic-only"],
    /// `HTTP.clustered` with bad arguments (spec code, template the project's).
    E0047 => ["invalid arguments to `HTTP.clustered`: {reason}"],
    /// An `HTTP.clustered` handler that is not `pub` (spec code, template the project's).
    E0048 => ["clustered route handler `{f}` must be `pub`"],
    /// `HTTP.clustered` outside a route's handler argument (spec code, template the project's).
    E0049 => ["`HTTP.clustered` must be the handler argument of `HTTP.route` or `HTTP.on_*`"],
    /// One handler clustered with two counts (spec code, template the project's).
    E0050 => ["handler `{f}` is clustered with conflicting counts {a} and {b}"],
    /// Other misuse of `HTTP.clustered`: named without a call (spec code, template the project's).
    E0051 => ["`HTTP.clustered` cannot be used as a value"],
    /// A program naming a stdlib function only generated code may call (project code).
    E0052 => ["`{name}` is internal to the compiler"],
    /// A language form or declaration the compiler does not implement yet (project code).
    E0053 => ["{what} is not supported yet"],
    /// A `service` without `fn init` (project code).
    E0054 => ["service `{s}` has no `fn init`"],
    /// An unknown key in a supervisor's or a child's settings (project code).
    E0055 => ["unknown {what} setting `{key}`"],
    /// A supervisor child without `start` (project code; E0018 is a `start` of the wrong type).
    E0056 => ["child `{c}` has no start function"],
    /// An integer literal outside the range of `Int` (project code).
    E0057 => ["integer literal is too large for Int"],
    /// A type name that resolves to nothing (project code; E0045 is the alias form).
    E0058 => ["undefined type: {T}"],
    /// A `receive` whose message type nothing fixes (project code).
    E0059 => ["cannot infer the message type of this receive; annotate it"],
    /// A malformed or misused ORM clause of a struct (`table`, `belongs_to`, …; project code).
    E0060 => ["invalid ORM clause `{key}`: {reason}"],
    /// An invalid `@cluster` declaration (tooling §1.1.2; span at the decorator).
    CFG0001 => ["invalid clustered declaration: {reason}"],
    W0001 => ["redundant match arm (arm {i})"],
    W0002 => ["{what} on non-first clause of `{f}` will be ignored"],
}

/// The last code the spec reserves (language §3.1.1 names E0046–E0051 for `@cluster` rules);
/// the project's own codes come after it so they cannot collide with a spec code.
pub const LAST_SPEC_CODE: &str = "E0051";

impl Code {
    /// Whether the spec defines this code (else it is one of the project's, after E0051).
    pub fn is_spec(self) -> bool {
        let s = self.as_str();
        !s.starts_with('E') || s <= LAST_SPEC_CODE
    }

    /// Whether the headline template is the project's choice, listed in ARCHITECTURE.md: the
    /// project's own codes, and the spec codes that come without a template (E0046–E0051,
    /// named by language §3.1.1/§4.12, and tooling's CFG0001).
    pub fn template_is_projects(self) -> bool {
        let s = self.as_str();
        !self.is_spec() || ("E0046"..="E0051").contains(&s) || s == "CFG0001"
    }

    /// Whether `headline` is an instance of one of this code's templates.
    pub fn matches(self, headline: &str) -> bool {
        self.templates()
            .iter()
            .any(|t| template_prefix_matches(t, headline))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `text` starts with `template`, each `{name}` standing for a non-empty value.
fn template_prefix_matches(template: &str, text: &str) -> bool {
    match template.find('{') {
        None => text.starts_with(template),
        Some(open) => {
            let Some(close) = template[open..].find('}').map(|c| open + c) else {
                return text.starts_with(template);
            };
            let (literal, rest) = (&template[..open], &template[close + 1..]);
            let Some(after) = text.strip_prefix(literal) else {
                return false;
            };
            // The value is at least one character; try every length.
            after
                .char_indices()
                .skip(1)
                .map(|(i, _)| i)
                .chain(std::iter::once(after.len()))
                .filter(|&i| i > 0)
                .any(|i| template_prefix_matches(rest, &after[i..]))
        }
    }
}

#[cfg(test)]
mod tests;
