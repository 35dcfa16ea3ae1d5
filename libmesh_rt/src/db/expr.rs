//! `Expr` (stdlib spec §25): SQL expression trees whose literal values become bind
//! parameters, and [`Sql`], the statement text being rendered with its parameters.
//! Parameters are numbered `$1, $2, …` in the order the text is written.

/// A statement being rendered: its text and its text parameters so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sql {
    pub text: String,
    pub params: Vec<String>,
}

impl Sql {
    /// Appends verbatim text.
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends the next placeholder, bound to `value`.
    pub fn param(&mut self, value: &str) {
        self.params.push(value.to_string());
        self.text.push('$');
        self.text.push_str(&self.params.len().to_string());
    }

    /// Appends a raw clause with its own parameters: each `?` becomes the next `$n` and
    /// `$k` inside the clause is renumbered relative to the clause's own `params`.
    pub fn raw(&mut self, clause: &str, params: &[String]) {
        let base = self.params.len();
        self.params.extend(params.iter().cloned());
        let b = clause.as_bytes();
        let (mut i, mut next) = (0, 0);
        let mut start = 0;
        while i < b.len() {
            if b[i] == b'?' {
                self.text.push_str(&clause[start..i]);
                next += 1;
                self.text.push_str(&format!("${}", base + next));
                i += 1;
                start = i;
            } else if b[i] == b'$' && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
                self.text.push_str(&clause[start..i]);
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                let k: usize = clause[i + 1..j].parse().unwrap_or(0);
                self.text.push_str(&format!("${}", base + k));
                i = j;
                start = i;
            } else {
                i += 1;
            }
        }
        self.text.push_str(&clause[start..]);
    }
}

/// `"name"` with embedded quotes doubled.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A column reference: dotted names quote each part, `*` stays `*`.
pub fn quote_column(name: &str) -> String {
    name.split('.')
        .map(|p| if p == "*" { "*".to_string() } else { quote(p) })
        .collect::<Vec<_>>()
        .join(".")
}

/// An SQL expression (spec §25).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// `Expr.column`.
    Column(String),
    /// `Expr.value`: a text parameter.
    Value(String),
    /// `Expr.null`.
    Null,
    /// `Expr.fn_call` / `Expr.call`, and Pg.crypt / Pg.ts_rank: `name(args…)`.
    Call(String, Vec<Expr>),
    /// Arithmetic, comparisons, `@@`, `@>`: `(a op b)`.
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// `Expr.case_when`: conditions, results, else.
    Case(Vec<Expr>, Vec<Expr>, Box<Expr>),
    /// `Expr.coalesce`.
    Coalesce(Vec<Expr>),
    /// `Expr.excluded`: `EXCLUDED."column"`.
    Excluded(String),
    /// `Expr.label` / `Expr.alias`: `e AS "name"`.
    Label(Box<Expr>, String),
    /// `Pg.cast` and its shorthands: `e::type`.
    Cast(Box<Expr>, String),
    /// `Pg.gen_salt(algorithm, rounds)`: `gen_salt($n, $n+1)`.
    GenSalt(String, i64),
    /// `Pg.to_tsvector` / `Pg.plainto_tsquery`: `name($n::regconfig, e)`.
    TextSearch(&'static str, String, Box<Expr>),
}

impl Expr {
    pub fn column(name: &str) -> Expr {
        Expr::Column(name.to_string())
    }
    pub fn value(v: &str) -> Expr {
        Expr::Value(v.to_string())
    }
    pub fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(name.to_string(), args)
    }
    fn bin(op: &'static str, a: Expr, b: Expr) -> Expr {
        Expr::Binary(op, Box::new(a), Box::new(b))
    }
    #[allow(clippy::should_implement_trait)] // the spec's name (`Expr.add`), not arithmetic
    pub fn add(a: Expr, b: Expr) -> Expr {
        Expr::bin("+", a, b)
    }
    #[allow(clippy::should_implement_trait)] // the spec's name (`Expr.sub`), not arithmetic
    pub fn sub(a: Expr, b: Expr) -> Expr {
        Expr::bin("-", a, b)
    }
    #[allow(clippy::should_implement_trait)] // the spec's name (`Expr.mul`), not arithmetic
    pub fn mul(a: Expr, b: Expr) -> Expr {
        Expr::bin("*", a, b)
    }
    #[allow(clippy::should_implement_trait)] // the spec's name (`Expr.div`), not arithmetic
    pub fn div(a: Expr, b: Expr) -> Expr {
        Expr::bin("/", a, b)
    }
    pub fn eq(a: Expr, b: Expr) -> Expr {
        Expr::bin("=", a, b)
    }
    pub fn neq(a: Expr, b: Expr) -> Expr {
        Expr::bin("!=", a, b)
    }
    pub fn lt(a: Expr, b: Expr) -> Expr {
        Expr::bin("<", a, b)
    }
    pub fn lte(a: Expr, b: Expr) -> Expr {
        Expr::bin("<=", a, b)
    }
    pub fn gt(a: Expr, b: Expr) -> Expr {
        Expr::bin(">", a, b)
    }
    pub fn gte(a: Expr, b: Expr) -> Expr {
        Expr::bin(">=", a, b)
    }
    pub fn case_when(conds: Vec<Expr>, results: Vec<Expr>, else_: Expr) -> Expr {
        Expr::Case(conds, results, Box::new(else_))
    }
    pub fn coalesce(es: Vec<Expr>) -> Expr {
        Expr::Coalesce(es)
    }
    pub fn excluded(column: &str) -> Expr {
        Expr::Excluded(column.to_string())
    }
    pub fn label(e: Expr, name: &str) -> Expr {
        Expr::Label(Box::new(e), name.to_string())
    }
    /// `Pg.cast`; `Pg.text`/`uuid`/`int`/`jsonb`/`timestamptz` are this with a fixed type.
    pub fn cast(e: Expr, sql_type: &str) -> Expr {
        Expr::Cast(Box::new(e), sql_type.to_string())
    }
    pub fn gen_salt(algorithm: &str, rounds: i64) -> Expr {
        Expr::GenSalt(algorithm.to_string(), rounds)
    }
    pub fn crypt(password: Expr, salt: Expr) -> Expr {
        Expr::call("crypt", vec![password, salt])
    }
    pub fn to_tsvector(config: &str, e: Expr) -> Expr {
        Expr::TextSearch("to_tsvector", config.to_string(), Box::new(e))
    }
    pub fn plainto_tsquery(config: &str, e: Expr) -> Expr {
        Expr::TextSearch("plainto_tsquery", config.to_string(), Box::new(e))
    }
    pub fn ts_rank(vector: Expr, query: Expr) -> Expr {
        Expr::call("ts_rank", vec![vector, query])
    }
    pub fn tsvector_matches(vector: Expr, query: Expr) -> Expr {
        Expr::bin("@@", vector, query)
    }
    pub fn jsonb_contains(a: Expr, b: Expr) -> Expr {
        Expr::bin("@>", a, b)
    }

    /// Appends this expression's text (and its values as parameters) to `out`.
    pub fn render(&self, out: &mut Sql) {
        match self {
            Expr::Column(name) => out.push(&quote_column(name)),
            Expr::Value(v) => out.param(v),
            Expr::Null => out.push("NULL"),
            Expr::Call(name, args) => {
                out.push(name);
                out.push("(");
                list(out, args);
                out.push(")");
            }
            Expr::Binary(op, a, b) => {
                out.push("(");
                a.render(out);
                out.push(&format!(" {op} "));
                b.render(out);
                out.push(")");
            }
            Expr::Case(conds, results, else_) => {
                out.push("CASE");
                for (c, r) in conds.iter().zip(results) {
                    out.push(" WHEN ");
                    c.render(out);
                    out.push(" THEN ");
                    r.render(out);
                }
                out.push(" ELSE ");
                else_.render(out);
                out.push(" END");
            }
            Expr::Coalesce(es) => {
                out.push("COALESCE(");
                list(out, es);
                out.push(")");
            }
            Expr::Excluded(c) => out.push(&format!("EXCLUDED.{}", quote(c))),
            Expr::Label(e, name) => {
                e.render(out);
                out.push(&format!(" AS {}", quote(name)));
            }
            Expr::Cast(e, ty) => {
                e.render(out);
                out.push("::");
                out.push(ty);
            }
            Expr::GenSalt(alg, rounds) => {
                out.push("gen_salt(");
                out.param(alg);
                out.push(", ");
                out.param(&rounds.to_string());
                out.push(")");
            }
            Expr::TextSearch(name, config, e) => {
                out.push(name);
                out.push("(");
                out.param(config);
                out.push("::regconfig, ");
                e.render(out);
                out.push(")");
            }
        }
    }

    /// The expression alone, parameters from `$1`.
    pub fn to_sql(&self) -> Sql {
        let mut out = Sql::default();
        self.render(&mut out);
        out
    }
}

fn list(out: &mut Sql, es: &[Expr]) {
    for (i, e) in es.iter().enumerate() {
        if i > 0 {
            out.push(", ");
        }
        e.render(out);
    }
}
