//! `Regex` (stdlib spec §15). At run time a Regex is the Mesh string of its source: the
//! pattern, prefixed by inline flags (`(?i)`, `(?ms)`…) for literals written with flags. A value
//! only exists once its source has been checked (`Regex.compile`, or sema for `~r/…/` literals),
//! so equal patterns compare, hash and copy between processes like strings. The compiled
//! automaton is kept in a per-thread cache keyed by the source: it is a cache, not state.

use regex::Regex;
use std::cell::RefCell;
use std::collections::HashMap;

/// Compiled patterns kept per thread before the cache is emptied.
const CACHE_LIMIT: usize = 256;

thread_local! {
    static CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

/// A one-line description of why `pattern` is not a valid regex: the parser's message and
/// the 1-based column where it applies (`unclosed group at column 1`).
pub fn error_text(pattern: &str) -> Option<String> {
    match regex_syntax::Parser::new().parse(pattern) {
        Err(regex_syntax::Error::Parse(e)) => {
            Some(format!("{} at column {}", e.kind(), e.span().start.column))
        }
        Err(regex_syntax::Error::Translate(e)) => {
            Some(format!("{} at column {}", e.kind(), e.span().start.column))
        }
        Err(e) => Some(e.to_string()),
        Ok(_) => Regex::new(pattern).err().map(|e| e.to_string()),
    }
}

/// `Regex.compile(pattern)`: the pattern itself once it is known to compile.
pub fn compile(pattern: &str) -> Result<(), String> {
    with_regex(pattern, |_| ())
}

/// Runs `f` with the compiled form of `source` (from the cache when possible).
#[inline(never)] // reads a thread-local: see `sched::current`
pub fn with_regex<R>(source: &str, f: impl FnOnce(&Regex) -> R) -> Result<R, String> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(rx) = cache.get(source) {
            return Ok(f(rx));
        }
        let rx =
            Regex::new(source).map_err(|e| error_text(source).unwrap_or_else(|| e.to_string()))?;
        let out = f(&rx);
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(source.to_string(), rx);
        Ok(out)
    })
}

/// `Regex.captures`: the first match and its groups (`""` for a group that did not take part).
pub fn captures(rx: &Regex, s: &str) -> Option<Vec<String>> {
    let caps = rx.captures(s)?;
    Some(
        caps.iter()
            .map(|m| m.map_or_else(String::new, |m| m.as_str().to_string()))
            .collect(),
    )
}

/// `Regex.split`: the pieces between matches, empty pieces kept.
pub fn split(rx: &Regex, s: &str) -> Vec<String> {
    rx.split(s).map(str::to_string).collect()
}

/// `Regex.replace`: every non-overlapping match; `$1`, `${name}` and `$$` in `replacement`.
pub fn replace(rx: &Regex, s: &str, replacement: &str) -> String {
    rx.replace_all(s, replacement).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<R>(source: &str, f: impl FnOnce(&Regex) -> R) -> R {
        with_regex(source, f).expect("valid pattern")
    }

    #[test]
    fn invalid_patterns_describe_the_error() {
        assert_eq!(compile("("), Err("unclosed group at column 1".into()));
        assert!(compile("a+").is_ok());
        assert!(compile("(?i)é").is_ok());
        assert!(error_text("x{2,1}").is_some());
    }

    #[test]
    fn matching_operations() {
        assert!(run("b+", |r| r.is_match("abbc")));
        assert_eq!(
            run(r"(\w+)@(\w+)?", |r| captures(r, "me@ x")),
            Some(vec!["me@".to_string(), "me".to_string(), String::new()])
        );
        assert_eq!(run("z", |r| captures(r, "abc")), None);
        assert_eq!(run(",", |r| split(r, "a,,b")), ["a", "", "b"]);
        assert_eq!(
            run(r"(?P<y>\d+)-(\d+)", |r| replace(r, "1-2 3-4", "${y}:$2$$")),
            "1:2$ 3:4$"
        );
    }
}
