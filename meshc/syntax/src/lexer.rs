//! The hand-written lexer (spec language §1): turns source text into the tokens of `token.rs`
//! for the lalrpop grammar, plus the comments (kept for the formatter) and every lexical error.
//!
//! Besides splitting text into tokens, the lexer decides where a newline is significant
//! (§1.2). It keeps a stack of contexts: the top level and every `do … end` body are *block*
//! contexts, where a newline ends a statement; brackets, `%{`, `json {`, interpolations and
//! arrow-form closures (`fn x -> … end`) are *bracket-like* contexts, where newlines and comments
//! are skipped. Newlines in a block context are held back as "pending" until the next token is
//! known, so a leading `|>` can cancel them. Interpolated strings also live on that stack (an
//! `Interp` frame holds the string's scanning state while its `#{…}` is lexed as ordinary
//! tokens), so nesting depth never turns into Rust recursion. String and number scanning live
//! in the `strings` and `literals` submodules.

use crate::token::Token;

mod literals;
mod strings;
#[cfg(test)]
mod tests;

use strings::StrState;

/// A token with its byte range: (start, token, end).
pub type Spanned = (usize, Token, usize);

/// A lexical error with the byte range it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    pub kind: LexErrorKind,
    pub start: usize,
    pub end: usize,
}

/// What went wrong while lexing; [`LexError::message`] gives the human text.
#[derive(Debug, Clone, PartialEq)]
pub enum LexErrorKind {
    /// A character that starts no token (`&`, `~` without `r/`, `^`, `'`, non-letter symbols).
    UnexpectedChar(char),
    /// A control character other than tab, line feed or carriage return outside a string.
    ControlChar(char),
    /// `#=` without its matching `=#`.
    UnterminatedBlockComment,
    /// `"` or `"""` without its closing quotes.
    UnterminatedString,
    /// `~r/…` without the closing `/` on the same line.
    UnterminatedRegex,
    /// A regex flag other than `i`, `m` or `s`.
    InvalidRegexFlag(char),
    /// A regex literal whose pattern does not parse (stdlib spec §15): the parser's message.
    InvalidRegex(String),
    /// An integer literal above 2^63.
    IntegerTooLarge,
    /// A float literal that does not fit an f64.
    FloatTooLarge,
    /// `0x`, `0b` or `0o` without digits.
    MissingDigits { prefix: &'static str },
    /// A character that is not a digit of the literal's base (`0b12`).
    InvalidDigit { digit: char, base: &'static str },
    /// An exponent marker without digits (`1e`, `2.5e+`).
    MissingExponent,
    /// Letters glued to a decimal literal (`12px`).
    InvalidSuffix(String),
    /// `|0>` or `|1>`.
    SlotTooSmall,
    /// A slot position that does not fit a u32.
    SlotTooLarge,
    /// `|` followed by digits but no `>`.
    MissingSlotClose,
}

/// A comment, kept out of the token stream for the formatter (spec §1.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    pub kind: CommentKind,
    /// The text without its markers (`#`, `##`, `##!`, or `#=` and `=#`).
    pub text: String,
}

/// The four comment forms of spec §1.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `# …` (also a banner starting with `###`).
    Line,
    /// `## …`, documenting the next item.
    Doc,
    /// `##! …`, documenting the module.
    ModuleDoc,
    /// `#= … =#`, nestable.
    Block,
}

/// The result of lexing one file.
#[derive(Debug, Default)]
pub struct Lexed {
    pub tokens: Vec<Spanned>,
    pub errors: Vec<LexError>,
    pub comments: Vec<Comment>,
    /// Byte offsets of the tokens that begin a statement of the top-level block context, in
    /// order. After a syntax error the parser resumes at one of them (see `parser.rs`).
    pub top_level_starts: Vec<usize>,
}

/// Lexes one file. Never panics; after an error it skips the offending text and goes on, so
/// every lexical error of the file is reported (sorted by position).
pub fn lex(src: &str) -> Lexed {
    Lexer::new(src).run()
}

impl LexError {
    /// The diagnostic label for this error.
    pub fn message(&self) -> String {
        use LexErrorKind::*;
        match &self.kind {
            UnexpectedChar(c) => format!("unexpected character `{c}`"),
            ControlChar(c) => format!("unexpected control character U+{:04X}", u32::from(*c)),
            UnterminatedBlockComment => "unterminated block comment".into(),
            UnterminatedString => "unterminated string literal".into(),
            UnterminatedRegex => "unterminated regex literal".into(),
            InvalidRegexFlag(c) => format!("invalid regex flag `{c}`"),
            InvalidRegex(why) => format!("invalid regex: {why}"),
            IntegerTooLarge => "integer literal is too large".into(),
            FloatTooLarge => "float literal is too large".into(),
            MissingDigits { prefix } => format!("missing digits after `{prefix}`"),
            InvalidDigit { digit, base } => format!("invalid digit `{digit}` in {base} literal"),
            MissingExponent => "missing digits in float exponent".into(),
            InvalidSuffix(s) => format!("invalid suffix `{s}` on number literal"),
            SlotTooSmall => "slot position must be ≥ 2; use `|>` for the first argument".into(),
            SlotTooLarge => "slot position is too large".into(),
            MissingSlotClose => "expected `>` after slot position".into(),
        }
    }
}

/// One entry of the context stack (spec §1.2).
enum Frame {
    /// The top level (always at index 0) or a `do … end` body: newlines are significant.
    Block { item_level: bool, head: Head },
    /// `(`.
    Paren,
    /// `[`.
    Square,
    /// `{`, `%{` or `json {`.
    Brace,
    /// A closure from `fn` to `end`; `arrow` is set once its `->` was seen. A `do` before the
    /// arrow turns the frame into an ordinary block.
    Closure { arrow: bool },
    /// The `#{…}` of a string, holding the string's scanning state until the closing `}`.
    Interp(Box<StrState>),
}

/// How far the current statement of a block has come; it tells `fn name` definitions from
/// closures and item bodies (`impl … do`) from statement blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Head {
    /// No token yet: the next token starts a statement.
    Start,
    /// Only `pub` or an `@cluster(…)` attribute so far.
    Prefix,
    /// The statement declares an `impl`, `interface`, `service` or `module`, whose body holds
    /// items.
    ItemKeyword,
    /// Anything else.
    Other,
}

/// Which frames a closer may pop; indexes into `Lexer::marks`.
#[derive(Clone, Copy)]
enum Mark {
    Paren = 0,
    Square = 1,
    /// `{`-like frames and interpolations: both are closed by `}`.
    Brace = 2,
    /// Non-root blocks and closures: closed by `end`.
    End = 3,
    /// Interpolations, which no closer other than `}` may cross.
    Interp = 4,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    tokens: Vec<Spanned>,
    errors: Vec<LexError>,
    comments: Vec<Comment>,
    stack: Vec<Frame>,
    /// For each `Mark`, the stack indexes of the frames of that kind, innermost last; this keeps
    /// every closer O(1) however unbalanced the input is.
    marks: [Vec<usize>; 5],
    /// A significant newline not emitted yet (its span), see `emit`.
    pending_newline: Option<(usize, usize)>,
    /// Whether any line break was passed since the last token (for `end deriving`).
    newline_since_token: bool,
    /// Tokens to drop at the end: heredoc parts that dedenting emptied.
    dead: Vec<usize>,
    /// See `Lexed::top_level_starts`.
    top_level_starts: Vec<usize>,
    /// The stack depth at an `if` directly after `else`: the `do` of that `if` at the same
    /// depth continues the `if`'s block instead of opening one, since an else-if chain shares
    /// one `end` (spec §4.7).
    else_if_depth: Option<usize>,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            tokens: Vec::new(),
            errors: Vec::new(),
            comments: Vec::new(),
            stack: vec![Frame::Block {
                item_level: true,
                head: Head::Start,
            }],
            marks: Default::default(),
            pending_newline: None,
            newline_since_token: false,
            dead: Vec::new(),
            top_level_starts: Vec::new(),
            else_if_depth: None,
        }
    }

    fn run(mut self) -> Lexed {
        if self.src.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' => self.pos += 1,
                '\n' | '\r' => self.newline(),
                '#' => self.comment(),
                _ => self.token(c),
            }
        }
        self.finish()
    }

    fn finish(mut self) -> Lexed {
        for frame in &self.stack {
            if let Frame::Interp(state) = frame {
                let (start, end) = state.opening_span();
                self.errors.push(LexError {
                    kind: LexErrorKind::UnterminatedString,
                    start,
                    end,
                });
            }
        }
        if !self.dead.is_empty() {
            self.dead.sort_unstable();
            let dead = std::mem::take(&mut self.dead);
            let mut next_dead = dead.iter().peekable();
            let mut kept = Vec::with_capacity(self.tokens.len());
            for (index, token) in std::mem::take(&mut self.tokens).into_iter().enumerate() {
                if next_dead.peek() == Some(&&index) {
                    next_dead.next();
                } else {
                    kept.push(token);
                }
            }
            self.tokens = kept;
        }
        self.errors.sort_by_key(|e| e.start);
        Lexed {
            tokens: self.tokens,
            errors: self.errors,
            comments: self.comments,
            top_level_starts: self.top_level_starts,
        }
    }

    // ---- low-level access

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    /// The byte offset of the first character at or after `from` that is not a space or tab.
    fn skip_blanks(&self, from: usize) -> usize {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    }

    /// The byte offset just past the identifier characters starting at `from`.
    fn ident_end(&self, from: usize) -> usize {
        let tail = self.src.get(from..).unwrap_or("");
        let len = tail
            .find(|c: char| !is_ident_continue(c))
            .unwrap_or(tail.len());
        from + len
    }

    /// The length of the line break at the current position (0 if there is none).
    fn line_break_len(&self) -> usize {
        let rest = self.rest();
        if rest.starts_with("\r\n") {
            2
        } else if rest.starts_with(['\n', '\r']) {
            1
        } else {
            0
        }
    }

    fn error(&mut self, kind: LexErrorKind, start: usize, end: usize) {
        self.errors.push(LexError { kind, start, end });
    }

    fn last_token(&self) -> Option<&Token> {
        self.tokens.last().map(|(_, token, _)| token)
    }

    // ---- emitting tokens and the newline rules (spec §1.2)

    /// Emits a token, first emitting the pending newline unless the token is a pipe (the
    /// leading-pipe rule).
    fn emit(&mut self, start: usize, token: Token, end: usize) {
        if let Some((nl_start, nl_end)) = self.pending_newline.take() {
            if !matches!(token, Token::Pipe | Token::SlotPipe(_)) {
                self.push_token(nl_start, Token::Newline, nl_end);
            }
        }
        self.push_token(start, token, end);
    }

    /// Emits the pending newline, if any; used before looking at the statement head.
    fn flush_newline(&mut self) {
        if let Some((start, end)) = self.pending_newline.take() {
            self.push_token(start, Token::Newline, end);
        }
    }

    fn push_token(&mut self, start: usize, token: Token, end: usize) {
        let at_root = self.stack.len() == 1;
        if matches!(token, Token::Newline | Token::Semi) {
            // A statement ended before the `do` of an `else if` (a syntax error): forget it.
            let depth = self.stack.len();
            self.else_if_depth.take_if(|d| *d >= depth);
        }
        if let Some(Frame::Block { head, .. }) = self.stack.last_mut() {
            if at_root && *head == Head::Start && !matches!(token, Token::Newline | Token::Semi) {
                self.top_level_starts.push(start);
            }
            *head = next_head(*head, &token);
        }
        self.newline_since_token = false;
        self.tokens.push((start, token, end));
    }

    fn newline(&mut self) {
        let start = self.pos;
        self.pos += self.line_break_len().max(1);
        self.newline_since_token = true;
        if self.pending_newline.is_some() || !matches!(self.stack.last(), Some(Frame::Block { .. }))
        {
            return;
        }
        let continues = match self.last_token() {
            // No newline at the start, after a separator or `do`, after a trailing pipe, or
            // after the `->` of an arm.
            None => true,
            Some(token) => matches!(
                token,
                Token::Newline
                    | Token::Semi
                    | Token::Do
                    | Token::Pipe
                    | Token::SlotPipe(_)
                    | Token::Arrow
            ),
        };
        if !continues {
            self.pending_newline = Some((start, self.pos));
        }
    }

    // ---- the context stack

    fn push_frame(&mut self, frame: Frame) {
        let index = self.stack.len();
        for mark in frame_marks(&frame) {
            self.marks[*mark as usize].push(index);
        }
        self.stack.push(frame);
    }

    fn pop_frame(&mut self) -> Option<Frame> {
        if self.stack.len() <= 1 {
            return None;
        }
        let frame = self.stack.pop()?;
        for mark in frame_marks(&frame) {
            self.marks[*mark as usize].pop();
        }
        Some(frame)
    }

    /// Pops frames until the stack has `len` entries (never popping the root).
    fn truncate_stack(&mut self, len: usize) {
        while self.stack.len() > len.max(1) {
            self.pop_frame();
        }
    }

    /// The innermost frame with `mark` that is not outside the innermost interpolation.
    fn innermost(&self, mark: Mark) -> Option<usize> {
        let found = *self.marks[mark as usize].last()?;
        let fence = self.marks[Mark::Interp as usize].last().copied();
        match fence {
            Some(interp) if found < interp => None,
            _ => Some(found),
        }
    }

    /// Handles a closer: pops through the innermost matching frame, if there is one (an
    /// unbalanced closer changes nothing; the parser reports it).
    fn close(&mut self, mark: Mark) {
        if let Some(index) = self.innermost(mark) {
            self.truncate_stack(index);
        }
    }

    /// The head of the current statement if the innermost context is a block.
    fn block_head(&self) -> Option<Head> {
        match self.stack.last() {
            Some(Frame::Block { head, .. }) => Some(*head),
            _ => None,
        }
    }

    /// Whether a `fn` here starts an item (a named definition): first in a statement, after at
    /// most `pub`/`@cluster`, in the top level or an `impl`/`interface`/`service`/`module` body.
    fn at_item_position(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Block {
                item_level: true,
                head: Head::Start | Head::Prefix
            })
        )
    }

    /// Whether a named `fn`/`def` here declares a nested function: first in a statement of a
    /// block that holds statements (a function, closure or actor body, …), not items.
    fn at_local_fn_position(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Block {
                item_level: false,
                head: Head::Start
            })
        )
    }

    // ---- tokens

    fn token(&mut self, c: char) {
        let start = self.pos;
        match c {
            '"' => self.string(),
            '0'..='9' => self.number(),
            c if is_ident_start(c) => self.word(),
            '~' => self.regex(),
            '|' => self.bar(),
            ':' => self.colon(),
            '(' | '[' | '{' | ')' | ']' | '}' => self.delimiter(c),
            '%' => {
                let after = self.skip_blanks(start + 1);
                if self.src.as_bytes().get(after) == Some(&b'{') {
                    self.pos = after + 1;
                    self.emit(start, Token::PercentBrace, self.pos);
                    self.push_frame(Frame::Brace);
                } else {
                    self.pos += 1;
                    self.emit(start, Token::Percent, self.pos);
                }
            }
            c if c.is_control() => {
                self.pos += c.len_utf8();
                self.error(LexErrorKind::ControlChar(c), start, self.pos);
            }
            _ => self.operator(c),
        }
    }

    /// Operators and punctuation without effect on the context stack (except `->`).
    fn operator(&mut self, c: char) {
        use Token::*;
        let start = self.pos;
        let next = self.peek_second();
        let (token, len) = match (c, next) {
            ('-', Some('>')) => (Arrow, 2),
            ('-', _) => (Minus, 1),
            ('+', Some('+')) => (PlusPlus, 2),
            ('+', _) => (Plus, 1),
            ('*', _) => (Star, 1),
            ('/', _) => (Slash, 1),
            ('=', Some('=')) => (EqEq, 2),
            ('=', Some('>')) => (FatArrow, 2),
            ('=', _) => (Eq, 1),
            ('!', Some('=')) => (NotEq, 2),
            ('!', _) => (Bang, 1),
            ('<', Some('=')) => (LtEq, 2),
            ('<', Some('>')) => (Concat, 2),
            ('<', _) => (Lt, 1),
            ('>', Some('=')) => (GtEq, 2),
            ('>', _) => (Gt, 1),
            ('&', Some('&')) => (AndAnd, 2),
            ('.', Some('.')) => (DotDot, 2),
            ('.', _) => (Dot, 1),
            ('?', _) => (Question, 1),
            (',', _) => (Comma, 1),
            (';', _) => (Semi, 1),
            ('@', _) => (At, 1),
            _ => {
                self.pos += c.len_utf8();
                self.error(LexErrorKind::UnexpectedChar(c), start, self.pos);
                return;
            }
        };
        self.pos += len;
        let is_arrow = token == Arrow;
        self.emit(start, token, self.pos);
        if is_arrow {
            if let Some(Frame::Closure { arrow }) = self.stack.last_mut() {
                *arrow = true;
            }
        }
    }

    fn delimiter(&mut self, c: char) {
        let start = self.pos;
        self.pos += 1;
        let end = self.pos;
        match c {
            '(' => {
                self.emit(start, Token::LParen, end);
                self.push_frame(Frame::Paren);
            }
            '[' => {
                self.emit(start, Token::LBracket, end);
                self.push_frame(Frame::Square);
            }
            '{' => {
                self.emit(start, Token::LBrace, end);
                self.push_frame(Frame::Brace);
            }
            ')' => {
                self.emit(start, Token::RParen, end);
                self.close(Mark::Paren);
            }
            ']' => {
                self.emit(start, Token::RBracket, end);
                self.close(Mark::Square);
            }
            _ => self.close_brace(start, end),
        }
    }

    /// `}` ends the innermost `{`-like frame or interpolation, whichever is nearer; ending an
    /// interpolation resumes scanning its string.
    fn close_brace(&mut self, start: usize, end: usize) {
        let Some(index) = self.innermost(Mark::Brace) else {
            self.emit(start, Token::RBrace, end);
            return;
        };
        if !matches!(self.stack.get(index), Some(Frame::Interp(_))) {
            self.emit(start, Token::RBrace, end);
            self.truncate_stack(index);
            return;
        }
        self.emit(start, Token::InterpEnd, end);
        self.truncate_stack(index + 1);
        if let Some(Frame::Interp(state)) = self.pop_frame() {
            self.resume_string(state);
        }
    }

    /// `|>`, `||`, `|N>` and `|`.
    fn bar(&mut self) {
        let start = self.pos;
        match self.peek_second() {
            Some('>') => {
                self.pos += 2;
                self.emit(start, Token::Pipe, self.pos);
            }
            Some('|') => {
                self.pos += 2;
                self.emit(start, Token::OrOr, self.pos);
            }
            Some('0'..='9') => self.slot_pipe(),
            _ => {
                self.pos += 1;
                self.emit(start, Token::Bar, self.pos);
            }
        }
    }

    /// `|N>` (spec §1.6): N ≥ 2; `|` and digits without `>` is an error, after which the `|`
    /// is kept as `Bar` and the digits lex as a number.
    fn slot_pipe(&mut self) {
        let start = self.pos;
        let digits = self.src.get(start + 1..).unwrap_or("");
        let digits_end = start
            + 1
            + digits
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(digits.len());
        if self.src.as_bytes().get(digits_end) != Some(&b'>') {
            self.error(LexErrorKind::MissingSlotClose, start, digits_end);
            self.pos += 1;
            self.emit(start, Token::Bar, self.pos);
            return;
        }
        let digits = self.src.get(start + 1..digits_end).unwrap_or("");
        self.pos = digits_end + 1;
        match digits.parse::<u32>() {
            Ok(n) if n >= 2 => self.emit(start, Token::SlotPipe(n), self.pos),
            Ok(_) => {
                self.error(LexErrorKind::SlotTooSmall, start, self.pos);
                self.emit(start, Token::Pipe, self.pos);
            }
            Err(_) => {
                self.error(LexErrorKind::SlotTooLarge, start, self.pos);
                self.emit(start, Token::Pipe, self.pos);
            }
        }
    }

    /// `::`, an atom `:name`, or `:`.
    fn colon(&mut self) {
        let start = self.pos;
        match self.peek_second() {
            Some(':') => {
                self.pos += 2;
                self.emit(start, Token::ColonColon, self.pos);
            }
            Some(c) if is_ident_start(c) && !c.is_uppercase() => {
                let end = self.ident_end(start + 1);
                let name = self.src.get(start + 1..end).unwrap_or("").to_string();
                self.pos = end;
                self.emit(start, Token::Atom(name), end);
            }
            _ => {
                self.pos += 1;
                self.emit(start, Token::Colon, self.pos);
            }
        }
    }

    // ---- identifiers and keywords

    fn word(&mut self) {
        let start = self.pos;
        let end = self.ident_end(start);
        let word = self.src.get(start..end).unwrap_or("");
        self.pos = end;
        // Words are never pipes, so the pending newline is certainly emitted; doing it now lets
        // the statement-head checks below see it.
        self.flush_newline();
        let after_dot = self.last_token() == Some(&Token::Dot);
        let token = if after_dot {
            ident_token(word)
        } else {
            Token::keyword(word).unwrap_or_else(|| self.contextual(word))
        };
        match token {
            Token::Do => self.open_do(start, end),
            Token::End => {
                self.emit(start, Token::End, end);
                self.close(Mark::End);
            }
            Token::Fn => {
                let is_closure = self.fn_is_closure();
                if is_closure {
                    self.emit(start, Token::Fn, end);
                    self.push_frame(Frame::Closure { arrow: false });
                } else if self.at_local_fn_position() {
                    self.emit(start, Token::LocalFn, end);
                } else {
                    self.emit(start, Token::Fn, end);
                }
            }
            Token::Def if self.at_local_fn_position() => self.emit(start, Token::LocalFn, end),
            Token::If => {
                if self.last_token() == Some(&Token::Else) {
                    self.else_if_depth = Some(self.stack.len());
                }
                self.emit(start, Token::If, end);
            }
            Token::Json => {
                let after = self.skip_blanks(end);
                if self.src.as_bytes().get(after) == Some(&b'{') {
                    self.pos = after + 1;
                    self.emit(start, Token::JsonBrace, self.pos);
                    self.push_frame(Frame::Brace);
                } else {
                    self.emit(start, Token::Json, end);
                }
            }
            token => self.emit(start, token, end),
        }
    }

    /// `from`, `deriving` and `cluster` are keywords only where spec §1.5 says so.
    fn contextual(&self, word: &str) -> Token {
        let last = self.last_token();
        match word {
            "from" if self.block_head() == Some(Head::Start) => Token::From,
            "deriving" if last == Some(&Token::End) && !self.newline_since_token => Token::Deriving,
            "cluster" if last == Some(&Token::At) => Token::Cluster,
            _ => ident_token(word),
        }
    }

    /// `do` opens a block; directly in a closure's header it becomes that closure's body; after
    /// `else if c` it goes on with the block the chain's first `do` opened.
    fn open_do(&mut self, start: usize, end: usize) {
        let item_level = self.block_head() == Some(Head::ItemKeyword);
        self.emit(start, Token::Do, end);
        if self
            .else_if_depth
            .take_if(|depth| *depth == self.stack.len())
            .is_some()
        {
            if let Some(Frame::Block { head, .. }) = self.stack.last_mut() {
                *head = Head::Start;
            }
            return;
        }
        let block = Frame::Block {
            item_level,
            head: Head::Start,
        };
        if let Some(top @ Frame::Closure { arrow: false }) = self.stack.last_mut() {
            // Both are closed by `end`, so the marks stay valid.
            *top = block;
        } else {
            self.push_frame(block);
        }
    }

    /// Tells a closure from a named definition by looking at what follows `fn` (spec §4.6):
    /// parameters in parentheses, `->`, `do`, `_`, a literal or an uppercase pattern mean a
    /// closure; a lowercase name followed by `,` or `::` too. A name followed by `->`, `when` or
    /// `do` is a definition in item position and a closure elsewhere; any other name is a
    /// definition.
    fn fn_is_closure(&self) -> bool {
        let at = self.skip_blanks(self.pos);
        let Some(c) = self.src.get(at..).and_then(|s| s.chars().next()) else {
            return false;
        };
        if !is_ident_start(c) {
            return true;
        }
        let name_end = self.ident_end(at);
        let name = self.src.get(at..name_end).unwrap_or("");
        if matches!(name, "_" | "do" | "true" | "false" | "nil") || c.is_uppercase() {
            return true;
        }
        if Token::keyword(name).is_some() {
            return false;
        }
        let after = self.skip_blanks(name_end);
        let rest = self.src.get(after..).unwrap_or("");
        if rest.starts_with(',') || rest.starts_with("::") {
            return true;
        }
        let next_word = rest.get(..self.ident_end(after) - after).unwrap_or("");
        let ambiguous = rest.starts_with("->") || matches!(next_word, "when" | "do");
        ambiguous && !self.at_item_position()
    }

    // ---- comments (spec §1.3)

    fn comment(&mut self) {
        let start = self.pos;
        if self.rest().starts_with("#=") {
            self.block_comment();
            return;
        }
        let len = self.rest().find(['\n', '\r']).unwrap_or(self.rest().len());
        self.pos += len;
        let body = self.src.get(start..self.pos).unwrap_or("");
        let (kind, marker) = if body.starts_with("##!") {
            (CommentKind::ModuleDoc, 3)
        } else if body.starts_with("###") {
            (CommentKind::Line, 1)
        } else if body.starts_with("##") {
            (CommentKind::Doc, 2)
        } else {
            (CommentKind::Line, 1)
        };
        let text = body.get(marker..).unwrap_or("").to_string();
        self.comments.push(Comment {
            start,
            end: self.pos,
            kind,
            text,
        });
    }

    /// `#= … =#`, nestable; it is trivia even across lines, so it never ends a statement.
    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        let mut depth = 1usize;
        let text_end = loop {
            let rest = self.rest();
            if rest.is_empty() {
                self.error(LexErrorKind::UnterminatedBlockComment, start, start + 2);
                break self.pos;
            }
            if rest.starts_with("#=") {
                depth += 1;
                self.pos += 2;
            } else if rest.starts_with("=#") {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    break self.pos - 2;
                }
            } else {
                let c = self.peek().unwrap_or(' ');
                if c == '\n' || c == '\r' {
                    self.newline_since_token = true;
                }
                self.pos += c.len_utf8();
            }
        };
        let text = self.src.get(start + 2..text_end).unwrap_or("").to_string();
        self.comments.push(Comment {
            start,
            end: self.pos,
            kind: CommentKind::Block,
            text,
        });
    }
}

/// The statement head after `token` was emitted in a block whose head was `head`.
fn next_head(head: Head, token: &Token) -> Head {
    use Token::*;
    let declares_items = matches!(token, Impl | Interface | Service | Module);
    match head {
        _ if matches!(token, Newline | Semi) => Head::Start,
        Head::Start | Head::Prefix if declares_items => Head::ItemKeyword,
        Head::Start if matches!(token, Pub | At) => Head::Prefix,
        // `@cluster(N) pub fn`: the attribute's `(` is seen here, its contents and `)` are not.
        Head::Prefix if matches!(token, Pub | Cluster | LParen) => Head::Prefix,
        Head::ItemKeyword => Head::ItemKeyword,
        _ => Head::Other,
    }
}

fn frame_marks(frame: &Frame) -> &'static [Mark] {
    match frame {
        Frame::Paren => &[Mark::Paren],
        Frame::Square => &[Mark::Square],
        Frame::Brace => &[Mark::Brace],
        Frame::Block { .. } | Frame::Closure { .. } => &[Mark::End],
        Frame::Interp(_) => &[Mark::Brace, Mark::Interp],
    }
}

fn ident_token(word: &str) -> Token {
    if word.starts_with(char::is_uppercase) {
        Token::UpperIdent(word.to_string())
    } else {
        Token::Ident(word.to_string())
    }
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}
