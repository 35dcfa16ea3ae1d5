//! Number and regex literals (spec language §1.7), scanned for the lexer in `lexer.rs`. Each
//! scanner starts at the literal's first character and leaves the position after it; a
//! malformed literal is reported and still emitted (with a placeholder value) so the parser
//! sees the expression the user meant.

use super::{is_ident_continue, LexErrorKind, Lexer};
use crate::token::Token;

/// The largest magnitude an integer literal may have: 2^63, so that `-9223372036854775808`
/// works through unary minus.
const MAX_INT: u64 = 1 << 63;

impl Lexer<'_> {
    /// An integer or float literal, starting at a decimal digit.
    pub(super) fn number(&mut self) {
        match self.rest().get(..2) {
            Some("0x") => self.radix_number(16, "0x", "hexadecimal"),
            Some("0b") => self.radix_number(2, "0b", "binary"),
            Some("0o") => self.radix_number(8, "0o", "octal"),
            _ => self.decimal_number(),
        }
    }

    /// `0x…`, `0b…`, `0o…`. Every identifier character after the prefix belongs to the
    /// literal, so `0b102` is one bad literal rather than `0b10` followed by `2`.
    fn radix_number(&mut self, radix: u32, prefix: &'static str, base: &'static str) {
        let start = self.pos;
        let end = self.ident_end(start + prefix.len());
        let digits = self.src.get(start + prefix.len()..end).unwrap_or("");
        self.pos = end;
        let mut value = Some(0u64);
        let mut seen_digit = false;
        for c in digits.chars().filter(|&c| c != '_') {
            let Some(digit) = c.to_digit(radix) else {
                self.error(LexErrorKind::InvalidDigit { digit: c, base }, start, end);
                self.emit(start, Token::Int(0), end);
                return;
            };
            seen_digit = true;
            value = value
                .and_then(|v| v.checked_mul(u64::from(radix)))
                .and_then(|v| v.checked_add(u64::from(digit)));
        }
        if !seen_digit {
            self.error(LexErrorKind::MissingDigits { prefix }, start, end);
            self.emit(start, Token::Int(0), end);
            return;
        }
        self.int_token(start, value, end);
    }

    /// `digits ["." digits] [exp]`, where `.` starts a fraction only before a digit (so `1..5`
    /// and `42.to_string()` keep their dots).
    fn decimal_number(&mut self) {
        let start = self.pos;
        self.skip_digits();
        let mut is_float = false;
        if self.peek() == Some('.') && self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            self.skip_digits();
            is_float = true;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos = self.ident_end(self.pos);
                self.error(LexErrorKind::MissingExponent, start, self.pos);
                self.emit(start, Token::Float(0.0), self.pos);
                return;
            }
            self.skip_digits();
            is_float = true;
        }
        let text: String = self
            .src
            .get(start..self.pos)
            .unwrap_or("")
            .chars()
            .filter(|&c| c != '_')
            .collect();
        let suffix_end = self.ident_end(self.pos);
        if suffix_end > self.pos {
            let suffix = self.src.get(self.pos..suffix_end).unwrap_or("").to_string();
            self.error(LexErrorKind::InvalidSuffix(suffix), start, suffix_end);
            self.pos = suffix_end;
        }
        if !is_float {
            self.int_token(start, text.parse::<u64>().ok(), self.pos);
            return;
        }
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => self.emit(start, Token::Float(x), self.pos),
            _ => {
                self.error(LexErrorKind::FloatTooLarge, start, self.pos);
                self.emit(start, Token::Float(0.0), self.pos);
            }
        }
    }

    fn skip_digits(&mut self) {
        let bytes = self.src.as_bytes();
        while bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'_')
        {
            self.pos += 1;
        }
    }

    /// Emits an integer, or reports it as too large (`None` means it overflowed u64).
    fn int_token(&mut self, start: usize, value: Option<u64>, end: usize) {
        match value {
            Some(v) if v <= MAX_INT => self.emit(start, Token::Int(v), end),
            _ => {
                self.error(LexErrorKind::IntegerTooLarge, start, end);
                self.emit(start, Token::Int(0), end);
            }
        }
    }

    /// `~r/pattern/flags` (spec §1.7). The pattern is raw except that `\/` stands for `/`; it
    /// may not span lines. A `~` not starting `~r/` is an error on its own.
    pub(super) fn regex(&mut self) {
        let start = self.pos;
        if !self.rest().starts_with("~r/") {
            self.pos += 1;
            self.error(LexErrorKind::UnexpectedChar('~'), start, self.pos);
            return;
        }
        self.pos += 3;
        let mut pattern = String::new();
        loop {
            match self.peek() {
                None | Some('\n' | '\r') => {
                    self.error(LexErrorKind::UnterminatedRegex, start, self.pos);
                    self.emit(
                        start,
                        Token::Regex {
                            pattern,
                            flags: String::new(),
                        },
                        self.pos,
                    );
                    return;
                }
                Some('/') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some('/') => pattern.push('/'),
                        Some(c) if c != '\n' && c != '\r' => {
                            pattern.push('\\');
                            pattern.push(c);
                        }
                        _ => {
                            pattern.push('\\');
                            continue;
                        }
                    }
                    self.pos += self.peek().map_or(0, char::len_utf8);
                }
                Some(c) => {
                    pattern.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        let flags = self.regex_flags();
        if let Some(why) = regex_error(&pattern, &flags) {
            self.error(LexErrorKind::InvalidRegex(why), start, self.pos);
        }
        self.emit(start, Token::Regex { pattern, flags }, self.pos);
    }

    /// The identifier characters after a regex's closing `/`; each must be `i`, `m` or `s`.
    fn regex_flags(&mut self) -> String {
        let mut flags = String::new();
        while let Some(c) = self.peek().filter(|&c| is_ident_continue(c)) {
            let at = self.pos;
            self.pos += c.len_utf8();
            if matches!(c, 'i' | 'm' | 's') {
                flags.push(c);
            } else {
                self.error(LexErrorKind::InvalidRegexFlag(c), at, self.pos);
            }
        }
        flags
    }
}

/// Why `pattern` with `flags` is not a valid regex (stdlib spec §15: an invalid literal is a
/// compile-time error), in the words the runtime's `Regex.compile` uses.
fn regex_error(pattern: &str, flags: &str) -> Option<String> {
    let parsed = regex_syntax::ParserBuilder::new()
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .build()
        .parse(pattern);
    match parsed {
        Ok(_) => None,
        Err(regex_syntax::Error::Parse(e)) => {
            Some(format!("{} at column {}", e.kind(), e.span().start.column))
        }
        Err(regex_syntax::Error::Translate(e)) => {
            Some(format!("{} at column {}", e.kind(), e.span().start.column))
        }
        Err(e) => Some(e.to_string()),
    }
}
