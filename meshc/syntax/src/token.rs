//! The token vocabulary shared by the hand-written lexer (`lexer.rs`) and the lalrpop grammar.
//!
//! The lexer has already applied the newline rules of spec language §1.2, so a `Newline` token
//! only appears where it is significant, runs of them are collapsed into one, and comments never
//! appear as tokens. String literals without interpolation arrive as one `Str`; interpolated ones
//! as `StrBegin (StrPart | InterpBegin tokens… InterpEnd)* StrEnd`.

use std::fmt;

/// One lexical token. Literal payloads are already decoded (escapes applied, heredocs dedented).
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    // ---- literals and names
    /// Integer literal in any base, already range-checked to fit i64 (as a magnitude up to 2^63
    /// so that `-9223372036854775808` works through unary minus: stored as u64 bits).
    Int(u64),
    Float(f64),
    /// A complete string literal without interpolation (plain or heredoc), escapes applied.
    Str(String),
    /// Start of an interpolated string.
    StrBegin,
    /// A literal text piece of an interpolated string.
    StrPart(String),
    /// `#{` or `${` inside a string.
    InterpBegin,
    /// The `}` closing an interpolation.
    InterpEnd,
    /// End of an interpolated string.
    StrEnd,
    /// `:name` (payload without the colon).
    Atom(String),
    /// `~r/pattern/flags`.
    Regex {
        pattern: String,
        flags: String,
    },
    /// Identifier starting with a lowercase letter or `_` (includes `_` itself).
    Ident(String),
    /// Identifier starting with an uppercase letter.
    UpperIdent(String),

    // ---- reserved keywords (spec §1.5)
    Actor,
    After,
    Alias,
    And,
    Break,
    Call,
    Case,
    Cast,
    Cond,
    Continue,
    Def,
    Do,
    Else,
    End,
    False,
    Fn,
    For,
    If,
    Impl,
    Import,
    In,
    Interface,
    Json,
    Let,
    Link,
    Match,
    Module,
    Monitor,
    Nil,
    Not,
    Or,
    Pub,
    Receive,
    Return,
    SelfKw,
    Send,
    Service,
    Spawn,
    Struct,
    Supervisor,
    Terminate,
    Trait,
    Trap,
    True,
    Type,
    When,
    Where,
    While,
    With,

    // ---- contextual keywords, emitted only where the lexer can tell (otherwise Ident)
    /// `from` at the start of a statement (import form).
    From,
    /// `deriving` directly after `end` on the same line.
    Deriving,
    /// `cluster` directly after `@`.
    Cluster,

    // ---- operators and punctuation (spec §1.6)
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    EqEq,
    NotEq,
    Lt,
    Gt,
    LtEq,
    GtEq,
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
    /// `!`
    Bang,
    /// `<>`
    Concat,
    /// `++`
    PlusPlus,
    /// `|>`
    Pipe,
    /// `|N>` with N ≥ 2.
    SlotPipe(u32),
    /// `..`
    DotDot,
    /// `?`
    Question,
    /// `=`
    Eq,
    /// `->`
    Arrow,
    /// `=>`
    FatArrow,
    /// `::`
    ColonColon,
    /// `|`
    Bar,
    /// `%{` (also `%` whitespace `{`).
    PercentBrace,
    /// `json {`
    JsonBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Dot,
    Colon,
    Semi,
    At,
    /// A significant newline (spec §1.2).
    Newline,
    /// `else if` on one line: made by the parser driver (not the lexer) by merging the two
    /// tokens, so an else-if chain shares one `end` without an LR conflict.
    ElseIf,
    /// `fn` or `def` starting a named function declared inside a block (spec §4.1, nested
    /// declarations): made by the lexer when a statement of a non-item block starts with `fn`
    /// that is not a closure (or with `def`), so the grammar tells a nested `fn name(…)` from a
    /// closure `fn (x) -> … end` without an LR conflict.
    LocalFn,
}

/// The reserved words (spec language §1.5), in the spec's order: each lexes as its own token
/// ([`Token::keyword`]). The one list the tools share (editor completion, the fuzzer).
pub const KEYWORDS: &[&str] = &[
    "actor",
    "after",
    "alias",
    "and",
    "break",
    "call",
    "case",
    "cast",
    "cond",
    "continue",
    "def",
    "do",
    "else",
    "end",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "import",
    "in",
    "interface",
    "json",
    "let",
    "link",
    "match",
    "module",
    "monitor",
    "nil",
    "not",
    "or",
    "pub",
    "receive",
    "return",
    "self",
    "send",
    "service",
    "spawn",
    "struct",
    "supervisor",
    "terminate",
    "trait",
    "trap",
    "true",
    "type",
    "when",
    "where",
    "while",
    "with",
];

/// The contextual words of spec language §1.5: identifiers except in one position (`from`
/// starting a statement, `deriving` after a type, supervisor and ORM keys, test-file forms).
pub const CONTEXTUAL_WORDS: &[&str] = &[
    "from",
    "as",
    "deriving",
    "Fun",
    "Self",
    "cluster",
    "strategy",
    "max_restarts",
    "max_seconds",
    "child",
    "start",
    "restart",
    "shutdown",
    "table",
    "primary_key",
    "timestamps",
    "belongs_to",
    "has_many",
    "has_one",
    "clustered",
    "test",
    "describe",
    "setup",
    "teardown",
    "assert_receive",
];

impl Token {
    /// Keyword token for a reserved word, if `word` is one (spec §1.5).
    pub fn keyword(word: &str) -> Option<Token> {
        use Token::*;
        Some(match word {
            "actor" => Actor,
            "after" => After,
            "alias" => Alias,
            "and" => And,
            "break" => Break,
            "call" => Call,
            "case" => Case,
            "cast" => Cast,
            "cond" => Cond,
            "continue" => Continue,
            "def" => Def,
            "do" => Do,
            "else" => Else,
            "end" => End,
            "false" => False,
            "fn" => Fn,
            "for" => For,
            "if" => If,
            "impl" => Impl,
            "import" => Import,
            "in" => In,
            "interface" => Interface,
            "json" => Json,
            "let" => Let,
            "link" => Link,
            "match" => Match,
            "module" => Module,
            "monitor" => Monitor,
            "nil" => Nil,
            "not" => Not,
            "or" => Or,
            "pub" => Pub,
            "receive" => Receive,
            "return" => Return,
            "self" => SelfKw,
            "send" => Send,
            "service" => Service,
            "spawn" => Spawn,
            "struct" => Struct,
            "supervisor" => Supervisor,
            "terminate" => Terminate,
            "trait" => Trait,
            "trap" => Trap,
            "true" => True,
            "type" => Type,
            "when" => When,
            "where" => Where,
            "while" => While,
            "with" => With,
            _ => return None,
        })
    }

    /// How the token is named in "expected …, found …" parse messages.
    pub fn describe(&self) -> String {
        use Token::*;
        match self {
            Int(_) => "integer literal".into(),
            Float(_) => "float literal".into(),
            Str(_) | StrBegin => "string literal".into(),
            StrPart(_) => "string text".into(),
            InterpBegin => "`#{`".into(),
            InterpEnd => "`}`".into(),
            StrEnd => "end of string".into(),
            Atom(a) => format!("atom `:{a}`"),
            Regex { .. } => "regex literal".into(),
            Ident(s) | UpperIdent(s) => format!("identifier `{s}`"),
            Newline => "newline".into(),
            other => format!("`{other}`"),
        }
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Token::*;
        let s: &str = match self {
            Int(n) => return write!(f, "{n}"),
            Float(x) => return write!(f, "{x}"),
            Str(s) | StrPart(s) => return write!(f, "{s:?}"),
            Atom(a) => return write!(f, ":{a}"),
            Regex { pattern, flags } => return write!(f, "~r/{pattern}/{flags}"),
            Ident(s) | UpperIdent(s) => return f.write_str(s),
            SlotPipe(n) => return write!(f, "|{n}>"),
            StrBegin | StrEnd => "\"",
            InterpBegin => "#{",
            InterpEnd => "}",
            Actor => "actor",
            After => "after",
            Alias => "alias",
            And => "and",
            Break => "break",
            Call => "call",
            Case => "case",
            Cast => "cast",
            Cond => "cond",
            Continue => "continue",
            Def => "def",
            Do => "do",
            Else => "else",
            End => "end",
            False => "false",
            Fn => "fn",
            For => "for",
            If => "if",
            Impl => "impl",
            Import => "import",
            In => "in",
            Interface => "interface",
            Json => "json",
            Let => "let",
            Link => "link",
            Match => "match",
            Module => "module",
            Monitor => "monitor",
            Nil => "nil",
            Not => "not",
            Or => "or",
            Pub => "pub",
            Receive => "receive",
            Return => "return",
            SelfKw => "self",
            Send => "send",
            Service => "service",
            Spawn => "spawn",
            Struct => "struct",
            Supervisor => "supervisor",
            Terminate => "terminate",
            Trait => "trait",
            Trap => "trap",
            True => "true",
            Type => "type",
            When => "when",
            Where => "where",
            While => "while",
            With => "with",
            From => "from",
            Deriving => "deriving",
            Cluster => "cluster",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            EqEq => "==",
            NotEq => "!=",
            Lt => "<",
            Gt => ">",
            LtEq => "<=",
            GtEq => ">=",
            AndAnd => "&&",
            OrOr => "||",
            Bang => "!",
            Concat => "<>",
            PlusPlus => "++",
            Pipe => "|>",
            DotDot => "..",
            Question => "?",
            Eq => "=",
            Arrow => "->",
            FatArrow => "=>",
            ColonColon => "::",
            Bar => "|",
            PercentBrace => "%{",
            JsonBrace => "json {",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Comma => ",",
            Dot => ".",
            Colon => ":",
            Semi => ";",
            At => "@",
            Newline => "newline",
            ElseIf => "else if",
            LocalFn => "fn",
        };
        f.write_str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's copy of the language spec (kept current by a test of `diagnostic`).
    fn spec_keywords() -> Vec<String> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/spec/language.md");
        let text = std::fs::read_to_string(&path).expect("docs/spec/language.md is readable");
        let section = text
            .split("### 1.5 Keywords")
            .nth(1)
            .expect("the spec has a keyword section");
        let block = section
            .split("```")
            .nth(1)
            .expect("a code block of reserved words");
        block.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn keywords_are_the_spec_list_and_each_lexes_as_its_token() {
        assert_eq!(KEYWORDS, spec_keywords());
        for word in KEYWORDS {
            let token =
                Token::keyword(word).unwrap_or_else(|| panic!("`{word}` is no keyword token"));
            assert_eq!(token.to_string(), *word);
        }
        for word in CONTEXTUAL_WORDS {
            assert_eq!(
                Token::keyword(word),
                None,
                "`{word}` must stay an identifier"
            );
        }
    }
}
