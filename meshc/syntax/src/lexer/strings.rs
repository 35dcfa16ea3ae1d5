//! String literals and heredocs (spec language §1.7), scanned for the lexer in `lexer.rs`.
//!
//! A string without interpolation becomes one `Str`. At its first `#{` or `${` the string turns
//! into `StrBegin`, text parts and `InterpBegin`; its scanning state is then parked in an
//! `Interp` frame on the context stack while the embedded expression is lexed as ordinary
//! tokens, and the `}` that closes the frame resumes the scan here. Heredoc dedenting depends on
//! the closing line, so the text parts of a heredoc remember where their source lines start and
//! are dedented in place when the closing `"""` is reached.

use super::{Frame, LexErrorKind, Lexer};
use crate::token::Token;

/// The scanning state of a string literal, parked in an `Interp` frame while one of its
/// interpolations is lexed.
pub(super) struct StrState {
    /// Byte offset of the opening quote.
    start: usize,
    heredoc: bool,
    /// Whether `StrBegin` was emitted (the string has an interpolation).
    interpolated: bool,
    /// Heredoc text parts already emitted, dedented once the indent is known.
    parts: Vec<EmittedPart>,
}

/// A heredoc `StrPart` token and the source lines starting inside it.
struct EmittedPart {
    token: usize,
    lines: Vec<LineStart>,
}

/// Where a source line starts inside the decoded text of a heredoc part.
#[derive(Clone, Copy)]
struct LineStart {
    /// Byte offset of the line's first character in the decoded text.
    offset: usize,
    /// How many raw spaces and tabs begin the line.
    blanks: usize,
    /// Length of the line break before the line (0 for the line after the opening `"""`).
    break_len: usize,
}

/// The literal text scanned since the string's start or its last interpolation.
struct Segment {
    raw_start: usize,
    text: String,
    lines: Vec<LineStart>,
    /// Whether the current line has had only raw spaces and tabs so far.
    counting: bool,
}

/// What the string scanner found at one step.
enum Step {
    Continue,
    /// The closing quotes, of this length, start at the current position.
    Close(usize),
    /// `#{` or `${` starts at the current position.
    Interp,
    Eof,
}

impl StrState {
    /// The span of the opening quote(s).
    pub(super) fn opening_span(&self) -> (usize, usize) {
        (self.start, self.start + if self.heredoc { 3 } else { 1 })
    }
}

impl Segment {
    fn new(raw_start: usize) -> Segment {
        Segment {
            raw_start,
            text: String::new(),
            lines: Vec::new(),
            counting: false,
        }
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
        self.counting = false;
    }

    fn push_blank(&mut self, c: char) {
        self.text.push(c);
        if self.counting {
            if let Some(line) = self.lines.last_mut() {
                line.blanks += 1;
            }
        }
    }

    fn push_str_raw(&mut self, s: &str) {
        self.text.push_str(s);
        self.counting = false;
    }

    fn start_line(&mut self, break_len: usize) {
        self.lines.push(LineStart {
            offset: self.text.len(),
            blanks: 0,
            break_len,
        });
        self.counting = true;
    }
}

impl Lexer<'_> {
    /// A string literal or heredoc, starting at its opening quote.
    pub(super) fn string(&mut self) {
        let start = self.pos;
        let heredoc = self.rest().starts_with("\"\"\"");
        self.pos += if heredoc { 3 } else { 1 };
        let mut segment = Segment::new(self.pos);
        let skipped = if heredoc { self.line_break_len() } else { 0 };
        if skipped > 0 {
            // Heredoc rule 1: a line break right after the opening quotes is not content, but
            // the next line is a source line to dedent.
            self.pos += skipped;
            segment = Segment::new(self.pos);
            segment.start_line(0);
        }
        let state = Box::new(StrState {
            start,
            heredoc,
            interpolated: false,
            parts: Vec::new(),
        });
        self.scan_string(state, segment);
    }

    /// Continues a string after the `}` that closed one of its interpolations.
    pub(super) fn resume_string(&mut self, state: Box<StrState>) {
        let segment = Segment::new(self.pos);
        self.scan_string(state, segment);
    }

    fn scan_string(&mut self, mut state: Box<StrState>, mut segment: Segment) {
        loop {
            match self.string_step(state.heredoc, &mut segment) {
                Step::Continue => {}
                Step::Close(len) => return self.close_string(&state, segment, len),
                Step::Interp => return self.open_interp(state, segment),
                Step::Eof => {
                    let (start, end) = state.opening_span();
                    self.error(LexErrorKind::UnterminatedString, start, end);
                    state.heredoc = false;
                    return self.close_string(&state, segment, 0);
                }
            }
        }
    }

    fn string_step(&mut self, heredoc: bool, segment: &mut Segment) -> Step {
        let Some(c) = self.peek() else {
            return Step::Eof;
        };
        match c {
            '"' if !heredoc => return Step::Close(1),
            '"' => {
                // In a run of three or more quotes the last three close the heredoc; one or two
                // quotes are content.
                let run = self.rest().len() - self.rest().trim_start_matches('"').len();
                let content = if run >= 3 { run - 3 } else { run };
                for _ in 0..content {
                    segment.push('"');
                }
                self.pos += content;
                if run >= 3 {
                    return Step::Close(3);
                }
            }
            '\\' => {
                self.pos += 1;
                let Some(escaped) = self.peek() else {
                    return Step::Eof;
                };
                self.pos += escaped.len_utf8();
                segment.push(unescape(escaped));
            }
            '#' | '$' if self.peek_second() == Some('{') => return Step::Interp,
            '\n' | '\r' => {
                let len = self.line_break_len();
                segment.push_str_raw(self.rest().get(..len).unwrap_or("\n"));
                self.pos += len;
                if heredoc {
                    segment.start_line(len);
                }
            }
            ' ' | '\t' => {
                self.pos += 1;
                segment.push_blank(c);
            }
            c => {
                self.pos += c.len_utf8();
                segment.push(c);
            }
        }
        Step::Continue
    }

    /// Emits `StrBegin` (first time), the text so far and `InterpBegin`, then parks the string
    /// in an `Interp` frame.
    fn open_interp(&mut self, mut state: Box<StrState>, segment: Segment) {
        if !state.interpolated {
            state.interpolated = true;
            let (start, end) = state.opening_span();
            self.emit(start, Token::StrBegin, end);
        }
        let Segment {
            raw_start,
            text,
            lines,
            ..
        } = segment;
        if !text.is_empty() {
            self.emit(raw_start, Token::StrPart(text), self.pos);
            if state.heredoc && !lines.is_empty() {
                let token = self.tokens.len().saturating_sub(1);
                state.parts.push(EmittedPart { token, lines });
            }
        }
        let at = self.pos;
        self.pos += 2;
        self.emit(at, Token::InterpBegin, self.pos);
        self.push_frame(Frame::Interp(state));
    }

    /// Emits the end of a string whose closing quotes (`close_len` bytes, 0 at end of file)
    /// start at the current position.
    fn close_string(&mut self, state: &StrState, mut segment: Segment, close_len: usize) {
        let close_start = self.pos;
        self.pos += close_len;
        let end = self.pos;
        if state.heredoc {
            self.dedent_heredoc(state, &mut segment);
        }
        if !state.interpolated {
            self.emit(state.start, Token::Str(segment.text), end);
            return;
        }
        if !segment.text.is_empty() {
            self.emit(segment.raw_start, Token::StrPart(segment.text), close_start);
        }
        self.emit(close_start, Token::StrEnd, end);
    }

    /// Heredoc rules 2 and 3: a closing line of only blanks is dropped with its line break and
    /// gives the indent, which is then removed from the start of every source line of literal
    /// text (`segment` is the final part; earlier parts are already tokens).
    fn dedent_heredoc(&mut self, state: &StrState, segment: &mut Segment) {
        let Some(last) = segment.lines.last().copied() else {
            return;
        };
        if last.offset + last.blanks != segment.text.len() {
            return;
        }
        segment.lines.pop();
        let cut = last.offset.saturating_sub(last.break_len);
        if segment.text.is_char_boundary(cut) {
            segment.text.truncate(cut);
        }
        let indent = last.blanks;
        if indent == 0 {
            return;
        }
        segment.text = dedent(&segment.text, &segment.lines, indent);
        for part in &state.parts {
            if let Some((_, Token::StrPart(text), _)) = self.tokens.get_mut(part.token) {
                *text = dedent(text, &part.lines, indent);
                if text.is_empty() {
                    self.dead.push(part.token);
                }
            }
        }
    }
}

/// Removes up to `indent` leading blanks from each line start of `text`.
fn dedent(text: &str, lines: &[LineStart], indent: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for line in lines {
        if line.offset < cursor || line.offset > text.len() {
            continue;
        }
        out.push_str(text.get(cursor..line.offset).unwrap_or(""));
        cursor = (line.offset + line.blanks.min(indent)).min(text.len());
    }
    out.push_str(text.get(cursor..).unwrap_or(""));
    out
}

/// The character an escape `\c` stands for: `\n \t \r \0` are special, any other `c` is itself
/// (so `\\`, `\"`, `\#` and `\$` work).
fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        other => other,
    }
}
