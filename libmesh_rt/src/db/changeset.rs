//! `Changeset` (stdlib spec §28.3): the data a write starts from, the accepted changes and
//! the errors found so far, with the spec's casts and validations as pure functions. Field
//! names are atoms in Mesh (strings at run time). Values are text, as in rows (§21).
//!
//! Rules (spec §28.3 and the decisions written in ARCHITECTURE.md "Databases"):
//! - `cast` keeps the allowed keys of `params`, in the order of `allowed`.
//! - Validations other than `validate_required` look only at fields among the changes.
//! - Only the first error of a field is kept; errors keep the order they were found in.
//! - A field's value for `validate_required` is its change when there is one, else its data;
//!   a value of only whitespace is blank.
//!
//! A Mesh `Changeset` is a string holding [`Changeset::encode`] (abi/changeset.rs), so it is
//! an ordinary immutable value that copies between processes.

use std::cmp::Ordering;

/// A changeset: its data, changes and errors, each `(field, text)` in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changeset {
    pub data: Vec<(String, String)>,
    pub changes: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

/// The text of `field` in `pairs`.
fn lookup<'a>(pairs: &'a [(String, String)], field: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.as_str())
}

impl Changeset {
    /// `Changeset.cast(data, params, allowed)`: the allowed keys of `params` become the
    /// changes; the changeset starts valid.
    pub fn cast(
        data: &[(String, String)],
        params: &[(String, String)],
        allowed: &[String],
    ) -> Changeset {
        let mut changes: Vec<(String, String)> = Vec::new();
        for field in allowed {
            if changes.iter().any(|(k, _)| k == field) {
                continue;
            }
            if let Some(v) = lookup(params, field) {
                changes.push((field.clone(), v.to_string()));
            }
        }
        Changeset {
            data: data.to_vec(),
            changes,
            errors: Vec::new(),
        }
    }

    /// `Changeset.cast_with_types`: as [`Changeset::cast`], then each change whose field has
    /// a `"field:SQL_TYPE"` entry is checked against that type ([`SqlType::accepts`]); a bad
    /// value is the error `is invalid`. Fields without an entry are not checked.
    pub fn cast_with_types(
        data: &[(String, String)],
        params: &[(String, String)],
        allowed: &[String],
        field_types: &[String],
    ) -> Changeset {
        let mut cs = Changeset::cast(data, params, allowed);
        let types: Vec<(&str, SqlType)> = field_types
            .iter()
            .filter_map(|entry| {
                let (field, ty) = entry.split_once(':')?;
                Some((field, SqlType::parse(ty)))
            })
            .collect();
        let bad: Vec<String> = cs
            .changes
            .iter()
            .filter(|(field, value)| {
                types
                    .iter()
                    .find(|(f, _)| f == field)
                    .is_some_and(|(_, ty)| !ty.accepts(value))
            })
            .map(|(field, _)| field.clone())
            .collect();
        for field in bad {
            cs.add_error(&field, "is invalid");
        }
        cs
    }

    /// Whether no error has been recorded (`Changeset.valid`).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Records `message` for `field` unless the field already has an error.
    pub fn add_error(&mut self, field: &str, message: &str) {
        if lookup(&self.errors, field).is_none() {
            self.errors.push((field.to_string(), message.to_string()));
        }
    }

    /// The accepted change of `field` (`Changeset.get_change`, `""` when absent).
    pub fn change(&self, field: &str) -> Option<&str> {
        lookup(&self.changes, field)
    }

    /// The error of `field` (`Changeset.get_error`).
    pub fn error(&self, field: &str) -> Option<&str> {
        lookup(&self.errors, field)
    }

    /// `Changeset.validate_required`: a field whose value (its change, else its data) is
    /// missing or blank gets `can't be blank`.
    pub fn validate_required(mut self, fields: &[String]) -> Changeset {
        for field in fields {
            let value = self
                .change(field)
                .or_else(|| lookup(&self.data, field))
                .unwrap_or("");
            if value.trim().is_empty() {
                self.add_error(field, "can't be blank");
            }
        }
        self
    }

    /// `Changeset.validate_length`: length in characters; `-1` (any negative) = no bound.
    pub fn validate_length(mut self, field: &str, min: i64, max: i64) -> Changeset {
        let Some(value) = self.change(field) else {
            return self;
        };
        let n = value.chars().count() as i64;
        if min >= 0 && n < min {
            self.add_error(field, &format!("should be at least {min} character(s)"));
        } else if max >= 0 && n > max {
            self.add_error(field, &format!("should be at most {max} character(s)"));
        }
        self
    }

    /// `Changeset.validate_format`: the value must contain `needle`.
    pub fn validate_format(mut self, field: &str, needle: &str) -> Changeset {
        if self.change(field).is_some_and(|v| !v.contains(needle)) {
            self.add_error(field, "has invalid format");
        }
        self
    }

    /// `Changeset.validate_inclusion`: the value must be one of `allowed`.
    pub fn validate_inclusion(mut self, field: &str, allowed: &[String]) -> Changeset {
        if self
            .change(field)
            .is_some_and(|v| !allowed.iter().any(|a| a == v))
        {
            self.add_error(field, "is invalid");
        }
        self
    }

    /// `Changeset.validate_number(cs, field, gt, lt, gte, lte)`: the value (trimmed) must
    /// be an Int or Float; each bound other than `-1` is checked in that order and the first
    /// failing one is the error.
    pub fn validate_number(
        mut self,
        field: &str,
        gt: i64,
        lt: i64,
        gte: i64,
        lte: i64,
    ) -> Changeset {
        let Some(value) = self.change(field) else {
            return self;
        };
        let Some(n) = parse_number(value) else {
            self.add_error(field, "is not a number");
            return self;
        };
        let checks = [
            (gt, Ordering::Greater, "must be greater than"),
            (lt, Ordering::Less, "must be less than"),
            (gte, Ordering::Greater, "must be greater than or equal to"),
            (lte, Ordering::Less, "must be less than or equal to"),
        ];
        for (i, (bound, want, text)) in checks.into_iter().enumerate() {
            let got = n.cmp_int(bound);
            // gte / lte (the last two) also accept equality.
            let ok = got == want || (i >= 2 && got == Ordering::Equal);
            if bound != -1 && !ok {
                self.add_error(field, &format!("{text} {bound}"));
                break;
            }
        }
        self
    }

    /// The changeset as bytes: three sections (data, changes, errors), each a token holding
    /// `token(field) token(text)` per entry, where `token(b)` = `<decimal length>:<bytes>`.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for section in [&self.data, &self.changes, &self.errors] {
            let mut inner = String::new();
            for (k, v) in section {
                token(&mut inner, k);
                token(&mut inner, v);
            }
            token(&mut out, &inner);
        }
        out
    }

    /// The changeset [`Changeset::encode`] made, `None` for any other text.
    pub fn decode(text: &str) -> Option<Changeset> {
        let mut rest = text;
        let mut sections = Vec::new();
        for _ in 0..3 {
            let mut inner = next_token(&mut rest)?;
            let mut pairs = Vec::new();
            while !inner.is_empty() {
                let k = next_token(&mut inner)?;
                let v = next_token(&mut inner)?;
                pairs.push((k.to_string(), v.to_string()));
            }
            sections.push(pairs);
        }
        if !rest.is_empty() {
            return None;
        }
        let errors = sections.pop()?;
        let changes = sections.pop()?;
        let data = sections.pop()?;
        Some(Changeset {
            data,
            changes,
            errors,
        })
    }
}

fn token(out: &mut String, s: &str) {
    out.push_str(&s.len().to_string());
    out.push(':');
    out.push_str(s);
}

/// Takes the next `<len>:<bytes>` token off `rest`.
fn next_token<'a>(rest: &mut &'a str) -> Option<&'a str> {
    let (len, after) = rest.split_once(':')?;
    let len: usize = len.parse().ok()?;
    let tok = after.get(..len)?;
    *rest = &after[len..];
    Some(tok)
}

/// A number being validated: compared exactly as an Int when it is one.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    /// How this number compares with the Int `bound`.
    fn cmp_int(self, bound: i64) -> Ordering {
        match self {
            Number::Int(n) => n.cmp(&bound),
            // A finite Float against an Int: exact enough for bounds of a form's values.
            Number::Float(f) => f.partial_cmp(&(bound as f64)).unwrap_or(Ordering::Equal),
        }
    }
}

/// Trimmed text as an Int, else as a finite Float.
fn parse_number(text: &str) -> Option<Number> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(Number::Int(n));
    }
    // Rust also reads "inf" and "NaN": a number here is a finite decimal.
    let f: f64 = t.parse().ok()?;
    f.is_finite().then_some(Number::Float(f))
}

/// The SQL types `cast_with_types` knows, from a `"field:SQL_TYPE"` entry's type (what
/// `deriving(Schema)`'s `__field_types__` writes, and the usual spellings of DDL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlType {
    /// `BIGINT`, `INTEGER`, `INT`, `SMALLINT`, `INT2/4/8`, `SERIAL`, `BIGSERIAL`.
    Int,
    /// `DOUBLE PRECISION`, `REAL`, `FLOAT`, `FLOAT4/8`, `NUMERIC`, `DECIMAL` (with or
    /// without precision).
    Float,
    /// `BOOLEAN`, `BOOL`: the words of stdlib §28.1's Bool rule.
    Bool,
    /// `UUID`: 32 hex digits, optionally in the 8-4-4-4-12 hyphenated form.
    Uuid,
    /// Anything else (`TEXT`, `VARCHAR(n)`, `JSONB`, `TIMESTAMPTZ`, …): every value.
    Other,
}

impl SqlType {
    /// The type named by `text` (case-insensitive; a `(…)` suffix ignored).
    pub fn parse(text: &str) -> SqlType {
        let upper = text.trim().to_ascii_uppercase();
        let base = upper.split('(').next().unwrap_or("").trim();
        match base {
            "BIGINT" | "INTEGER" | "INT" | "SMALLINT" | "INT2" | "INT4" | "INT8" | "SERIAL"
            | "BIGSERIAL" | "SMALLSERIAL" => SqlType::Int,
            "DOUBLE PRECISION" | "REAL" | "FLOAT" | "FLOAT4" | "FLOAT8" | "NUMERIC" | "DECIMAL" => {
                SqlType::Float
            }
            "BOOLEAN" | "BOOL" => SqlType::Bool,
            "UUID" => SqlType::Uuid,
            _ => SqlType::Other,
        }
    }

    /// Whether `value` is a value of this type. An empty value is one only of text-like
    /// types: it is stored as an empty string, never as NULL (spec §26).
    pub fn accepts(self, value: &str) -> bool {
        let t = value.trim();
        match self {
            SqlType::Int => t.parse::<i64>().is_ok(),
            SqlType::Float => parse_number(t).is_some(),
            SqlType::Bool => matches!(
                t.to_ascii_lowercase().as_str(),
                "true" | "t" | "1" | "yes" | "false" | "f" | "0" | "no"
            ),
            SqlType::Uuid => {
                let hex: String = t.chars().filter(|&c| c != '-').collect();
                let dashed = t.len() == 36
                    && t.char_indices()
                        .all(|(i, c)| (c == '-') == matches!(i, 8 | 13 | 18 | 23));
                hex.len() == 32
                    && hex.chars().all(|c| c.is_ascii_hexdigit())
                    && (dashed || t.len() == 32)
            }
            SqlType::Other => true,
        }
    }
}

#[cfg(test)]
#[path = "changeset/tests.rs"]
mod tests;
