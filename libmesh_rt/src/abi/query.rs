//! The query builder and `Expr` (stdlib spec §24, §25) over `db::query` and `db::expr`;
//! `Repo` (§26) is abi/repo.rs.
//!
//! *Representation.* A `Query` or `Expr` value is a Mesh string that records the builder
//! calls that made it, so it is an ordinary immutable heap value: collected, copied between
//! processes and nodes like any string, with no Rust object to free. A call is a record
//! `token(op) token(argc) token(arg)…` where `token(b)` is `<decimal length>:<bytes>`; an
//! argument is a string (also an atom, a nested `Expr` or `Query`), an Int in decimal, or a
//! list whose token is its elements' tokens concatenated. An `Expr` is one record; a `Query`
//! is the `from` record followed by one record per builder call (each call copies the string
//! and appends, O(size)). `Repo` functions (abi/repo.rs) replay the records into the Rust `Query`/`Expr`
//! (`decode_query`, `decode_expr`), so the SQL is exactly `db::query`'s. Values only come
//! from these functions, so a malformed record is a runtime bug (a panic).

use crate::abi::process::panic_with;
use crate::db::expr::Expr;
use crate::db::query::Query;
use crate::value::list::List;
use crate::value::string::{alloc_str, bytes};

fn token(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(b.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(b);
}

/// One argument of a builder call, as the record stores it.
enum Arg {
    /// A Mesh string (or atom, Expr, Query).
    S(*mut u8),
    I(i64),
    /// A Mesh list of strings.
    L(*mut u8),
}

/// A new Mesh string: `base` (a Query, or nothing) followed by the record `op(args)`.
///
/// # Safety
/// `base` must be null or a live string; `S` and `L` arguments live strings / lists of them.
unsafe fn record(base: *mut u8, op: &str, args: &[Arg]) -> *mut u8 {
    let mut out = Vec::new();
    if !base.is_null() {
        // SAFETY: forwarded contract.
        out.extend_from_slice(unsafe { bytes(base) });
    }
    token(&mut out, op.as_bytes());
    token(&mut out, args.len().to_string().as_bytes());
    for a in args {
        match *a {
            // SAFETY: forwarded contract.
            Arg::S(s) => token(&mut out, unsafe { bytes(s) }),
            Arg::I(n) => token(&mut out, n.to_string().as_bytes()),
            Arg::L(l) => {
                let mut inner = Vec::new();
                // SAFETY: forwarded contract.
                for w in unsafe { List::from_raw(l) }.iter() {
                    // SAFETY: elements are live strings (contract).
                    token(&mut inner, unsafe { bytes(w as *const u8) });
                }
                token(&mut out, &inner);
            }
        }
    }
    // Records hold only UTF-8 strings and ASCII framing, so the result is UTF-8.
    alloc_str(&String::from_utf8_lossy(&out))
}

/// Reads records back.
struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

fn corrupt() -> ! {
    panic_with("Query: malformed Query or Expr value")
}

impl<'a> Reader<'a> {
    fn new(b: &'a [u8]) -> Reader<'a> {
        Reader { b, pos: 0 }
    }
    fn done(&self) -> bool {
        self.pos >= self.b.len()
    }
    fn token(&mut self) -> &'a [u8] {
        let rest = &self.b[self.pos.min(self.b.len())..];
        let Some(colon) = rest.iter().position(|&c| c == b':') else {
            corrupt()
        };
        let len: usize = std::str::from_utf8(&rest[..colon])
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| corrupt());
        let start = colon + 1;
        let Some(tok) = rest.get(start..start + len) else {
            corrupt()
        };
        self.pos += start + len;
        tok
    }
    fn text(&mut self) -> String {
        String::from_utf8(self.token().to_vec()).unwrap_or_else(|_| corrupt())
    }
    fn int(&mut self) -> i64 {
        self.text().parse().unwrap_or_else(|_| corrupt())
    }
    fn texts(&mut self) -> Vec<String> {
        let mut r = Reader::new(self.token());
        let mut out = Vec::new();
        while !r.done() {
            out.push(r.text());
        }
        out
    }
    fn expr(&mut self) -> Expr {
        decode_expr(self.token())
    }
    fn exprs(&mut self) -> Vec<Expr> {
        let mut r = Reader::new(self.token());
        let mut out = Vec::new();
        while !r.done() {
            out.push(r.expr());
        }
        out
    }
    /// The op of the next record (its argument count is implied by the op).
    fn op(&mut self) -> String {
        let op = self.text();
        let _argc = self.token();
        op
    }
}

/// The `Expr` recorded in `b`.
pub(crate) fn decode_expr(b: &[u8]) -> Expr {
    let mut r = Reader::new(b);
    let op = r.op();
    match op.as_str() {
        "column" => Expr::column(&r.text()),
        "value" => Expr::value(&r.text()),
        "null" => Expr::Null,
        "call" => {
            let name = r.text();
            Expr::call(&name, r.exprs())
        }
        "add" | "sub" | "mul" | "div" | "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "crypt"
        | "ts_rank" | "tsvector_matches" | "jsonb_contains" => {
            let (a, b) = (r.expr(), r.expr());
            match op.as_str() {
                "add" => Expr::add(a, b),
                "sub" => Expr::sub(a, b),
                "mul" => Expr::mul(a, b),
                "div" => Expr::div(a, b),
                "eq" => Expr::eq(a, b),
                "neq" => Expr::neq(a, b),
                "lt" => Expr::lt(a, b),
                "lte" => Expr::lte(a, b),
                "gt" => Expr::gt(a, b),
                "gte" => Expr::gte(a, b),
                "crypt" => Expr::crypt(a, b),
                "ts_rank" => Expr::ts_rank(a, b),
                "tsvector_matches" => Expr::tsvector_matches(a, b),
                _ => Expr::jsonb_contains(a, b),
            }
        }
        "case" => {
            let (conds, results) = (r.exprs(), r.exprs());
            Expr::case_when(conds, results, r.expr())
        }
        "coalesce" => Expr::coalesce(r.exprs()),
        "excluded" => Expr::excluded(&r.text()),
        "label" => {
            let e = r.expr();
            Expr::label(e, &r.text())
        }
        "cast" => {
            let e = r.expr();
            Expr::cast(e, &r.text())
        }
        "gen_salt" => {
            let alg = r.text();
            Expr::gen_salt(&alg, r.int())
        }
        "to_tsvector" | "plainto_tsquery" => {
            let config = r.text();
            let e = r.expr();
            if op == "to_tsvector" {
                Expr::to_tsvector(&config, e)
            } else {
                Expr::plainto_tsquery(&config, e)
            }
        }
        _ => corrupt(),
    }
}

/// The `Query` recorded in `b`: its `from` record, then each builder call replayed.
fn decode_query(b: &[u8]) -> Query {
    let mut r = Reader::new(b);
    if r.op() != "from" {
        corrupt()
    }
    let mut q = Query::from(&r.text());
    while !r.done() {
        let op = r.op();
        q = match op.as_str() {
            "select" | "select_raw" => {
                let fields = r.texts();
                let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
                if op == "select" {
                    q.select(&refs)
                } else {
                    q.select_raw(&refs)
                }
            }
            "select_expr" => q.select_expr(r.expr()),
            "select_exprs" => q.select_exprs(r.exprs()),
            "select_count" => q.select_count(),
            "count" | "sum" | "avg" | "min" | "max" => q.select_aggregate(&op, &r.text()),
            "where" => {
                let f = r.text();
                q.where_(&f, &r.text())
            }
            "where_op" => {
                let (f, o) = (r.text(), r.text());
                q.where_op(&f, &o, &r.text())
            }
            "where_in" => {
                let f = r.text();
                q.where_in(&f, &r.texts())
            }
            "where_not_in" => {
                let f = r.text();
                q.where_not_in(&f, &r.texts())
            }
            "where_between" => {
                let (f, lo) = (r.text(), r.text());
                q.where_between(&f, &lo, &r.text())
            }
            "where_null" => q.where_null(&r.text()),
            "where_not_null" => q.where_not_null(&r.text()),
            "where_or" => {
                let fields = r.texts();
                let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
                q.where_or(&refs, &r.texts())
            }
            "where_expr" => q.where_expr(r.expr()),
            "where_raw" => {
                let c = r.text();
                q.where_raw(&c, &r.texts())
            }
            "where_sub" => {
                let f = r.text();
                q.where_sub(&f, decode_query(r.token()))
            }
            "order_by" => {
                let f = r.text();
                q.order_by(&f, &r.text())
            }
            "order_by_raw" => q.order_by_raw(&r.text()),
            "limit" => q.limit(r.int()),
            "offset" => q.offset(r.int()),
            "join" => {
                let (k, t) = (r.text(), r.text());
                q.join(&k, &t, &r.text())
            }
            "join_as" => {
                let (k, t, a) = (r.text(), r.text(), r.text());
                q.join_as(&k, &t, &a, &r.text())
            }
            "group_by" => q.group_by(&r.text()),
            "group_by_raw" => q.group_by_raw(&r.text()),
            "having" => {
                let c = r.text();
                q.having(&c, &r.text())
            }
            "fragment" => {
                let s = r.text();
                q.fragment(&s, &r.texts())
            }
            _ => corrupt(),
        };
    }
    q
}

/// The Rust `Query` of a Mesh `Query` value.
///
/// # Safety
/// `q` must be a live Query value.
pub(crate) unsafe fn query_of(q: *mut u8) -> Query {
    // SAFETY: forwarded contract.
    decode_query(unsafe { bytes(q) })
}

/// Defines builder functions: `name(args) -> new value` appending the record `op(args)` to
/// the first argument (`append`) or starting a new value (`fresh`). Argument kinds: `S` a
/// string (atom, Expr, Query), `I` an Int, `L` a list of strings (atoms, Exprs).
macro_rules! builders {
    (@ty S) => { *mut u8 };
    (@ty I) => { i64 };
    (@ty L) => { *mut u8 };
    ($($mode:ident $name:ident $op:literal ($($arg:ident: $k:ident),*);)*) => {
        $(builders!(@one $mode $name $op ($($arg: $k),*));)*
    };
    (@one append $name:ident $op:literal ($($arg:ident: $k:ident),*)) => {
        #[doc = concat!("Appends the builder call `", $op, "` to the Query `q`.")]
        ///
        /// # Safety
        /// `q` must be a live Query; string and list arguments live strings / lists of them.
        #[no_mangle]
        pub unsafe extern "C-unwind" fn $name(q: *mut u8, $($arg: builders!(@ty $k)),*) -> *mut u8 {
            // SAFETY: forwarded contract.
            unsafe { record(q, $op, &[$(Arg::$k($arg)),*]) }
        }
    };
    (@one fresh $name:ident $op:literal ($($arg:ident: $k:ident),*)) => {
        #[doc = concat!("A new value recording `", $op, "`.")]
        ///
        /// # Safety
        /// String and list arguments must be live strings / lists of them.
        #[no_mangle]
        pub unsafe extern "C-unwind" fn $name($($arg: builders!(@ty $k)),*) -> *mut u8 {
            // SAFETY: forwarded contract.
            unsafe { record(std::ptr::null_mut(), $op, &[$(Arg::$k($arg)),*]) }
        }
    };
}

builders! {
    fresh mesh_rt_query_from "from" (table: S);
    append mesh_rt_query_select "select" (fields: L);
    append mesh_rt_query_select_raw "select_raw" (exprs: L);
    append mesh_rt_query_select_expr "select_expr" (e: S);
    append mesh_rt_query_select_exprs "select_exprs" (es: L);
    append mesh_rt_query_select_count "select_count" ();
    append mesh_rt_query_select_count_field "count" (field: S);
    append mesh_rt_query_select_sum "sum" (field: S);
    append mesh_rt_query_select_avg "avg" (field: S);
    append mesh_rt_query_select_min "min" (field: S);
    append mesh_rt_query_select_max "max" (field: S);
    append mesh_rt_query_where "where" (field: S, value: S);
    append mesh_rt_query_where_op "where_op" (field: S, op: S, value: S);
    append mesh_rt_query_where_in "where_in" (field: S, values: L);
    append mesh_rt_query_where_not_in "where_not_in" (field: S, values: L);
    append mesh_rt_query_where_between "where_between" (field: S, low: S, high: S);
    append mesh_rt_query_where_null "where_null" (field: S);
    append mesh_rt_query_where_not_null "where_not_null" (field: S);
    append mesh_rt_query_where_or "where_or" (fields: L, values: L);
    append mesh_rt_query_where_expr "where_expr" (e: S);
    append mesh_rt_query_where_raw "where_raw" (clause: S, params: L);
    append mesh_rt_query_where_sub "where_sub" (field: S, sub: S);
    append mesh_rt_query_order_by "order_by" (field: S, dir: S);
    append mesh_rt_query_order_by_raw "order_by_raw" (expr: S);
    append mesh_rt_query_limit "limit" (n: I);
    append mesh_rt_query_offset "offset" (n: I);
    append mesh_rt_query_join "join" (kind: S, table: S, on: S);
    append mesh_rt_query_join_as "join_as" (kind: S, table: S, alias: S, on: S);
    append mesh_rt_query_group_by "group_by" (field: S);
    append mesh_rt_query_group_by_raw "group_by_raw" (expr: S);
    append mesh_rt_query_having "having" (clause: S, value: S);
    append mesh_rt_query_fragment "fragment" (sql: S, params: L);
    fresh mesh_rt_expr_column "column" (name: S);
    fresh mesh_rt_expr_value "value" (v: S);
    fresh mesh_rt_expr_null "null" ();
    fresh mesh_rt_expr_call "call" (name: S, args: L);
    fresh mesh_rt_expr_add "add" (a: S, b: S);
    fresh mesh_rt_expr_sub "sub" (a: S, b: S);
    fresh mesh_rt_expr_mul "mul" (a: S, b: S);
    fresh mesh_rt_expr_div "div" (a: S, b: S);
    fresh mesh_rt_expr_eq "eq" (a: S, b: S);
    fresh mesh_rt_expr_neq "neq" (a: S, b: S);
    fresh mesh_rt_expr_lt "lt" (a: S, b: S);
    fresh mesh_rt_expr_lte "lte" (a: S, b: S);
    fresh mesh_rt_expr_gt "gt" (a: S, b: S);
    fresh mesh_rt_expr_gte "gte" (a: S, b: S);
    fresh mesh_rt_expr_case "case" (conds: L, results: L, else_: S);
    fresh mesh_rt_expr_coalesce "coalesce" (es: L);
    fresh mesh_rt_expr_excluded "excluded" (column: S);
    fresh mesh_rt_expr_label "label" (e: S, name: S);
    fresh mesh_rt_expr_cast "cast" (e: S, sql_type: S);
    fresh mesh_rt_expr_gen_salt "gen_salt" (algorithm: S, rounds: I);
    fresh mesh_rt_expr_crypt "crypt" (password: S, salt: S);
    fresh mesh_rt_expr_to_tsvector "to_tsvector" (config: S, e: S);
    fresh mesh_rt_expr_plainto_tsquery "plainto_tsquery" (config: S, e: S);
    fresh mesh_rt_expr_ts_rank "ts_rank" (vector: S, query: S);
    fresh mesh_rt_expr_tsvector_matches "tsvector_matches" (vector: S, query: S);
    fresh mesh_rt_expr_jsonb_contains "jsonb_contains" (a: S, b: S);
}

/// `Pg.cast(e, ty)` with a fixed type.
///
/// # Safety
/// `e` must be a live Expr.
unsafe fn cast_to(e: *mut u8, ty: &str) -> *mut u8 {
    let t = alloc_str(ty);
    // SAFETY: forwarded contract; `t` is a live string on the stack.
    unsafe { mesh_rt_expr_cast(e, t) }
}

/// `Pg.text(e)`: `e::text`.
///
/// # Safety
/// `e` must be a live Expr.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_expr_text(e: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { cast_to(e, "text") }
}

/// `Pg.uuid(e)`: `e::uuid`.
///
/// # Safety
/// `e` must be a live Expr.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_expr_uuid(e: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { cast_to(e, "uuid") }
}

/// `Pg.int(e)`: `e::int`.
///
/// # Safety
/// `e` must be a live Expr.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_expr_int(e: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { cast_to(e, "int") }
}

/// `Pg.jsonb(e)`: `e::jsonb`.
///
/// # Safety
/// `e` must be a live Expr.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_expr_jsonb(e: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { cast_to(e, "jsonb") }
}

/// `Pg.timestamptz(e)`: `e::timestamptz`.
///
/// # Safety
/// `e` must be a live Expr.
#[no_mangle]
pub unsafe extern "C-unwind" fn mesh_rt_expr_timestamptz(e: *mut u8) -> *mut u8 {
    // SAFETY: forwarded contract.
    unsafe { cast_to(e, "timestamptz") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::stdlib_string::string_list;
    use crate::abi::stdlib_string::tests::string_list_desc;

    fn s(text: &str) -> *mut u8 {
        alloc_str(text)
    }

    fn list(items: &[*mut u8]) -> *mut u8 {
        let texts: Vec<String> = items
            .iter()
            // SAFETY: every item is a live string made by this test.
            .map(|&p| unsafe { crate::value::string::as_str(p) }.to_string())
            .collect();
        // SAFETY: the desc is a List<String> desc.
        unsafe { string_list(string_list_desc(), texts.iter().map(String::as_str)) }
    }

    /// Values built through the ABI replay into the same Rust values (and SQL) as the builder
    /// calls made directly, including framing characters and NUL inside strings.
    #[test]
    fn recorded_queries_replay_exactly() {
        // SAFETY: every argument is a live string or list made here.
        unsafe {
            let id = mesh_rt_expr_uuid(mesh_rt_expr_value(s("1:2\0x")));
            let pred = mesh_rt_expr_eq(mesh_rt_expr_column(s("issues.id")), id);
            let mut q = mesh_rt_query_from(s("iss\"ues"));
            q = mesh_rt_query_select_exprs(
                q,
                list(&[mesh_rt_expr_label(
                    mesh_rt_expr_call(s("count"), list(&[mesh_rt_expr_column(s("*"))])),
                    s("n"),
                )]),
            );
            q = mesh_rt_query_where_expr(q, pred);
            q = mesh_rt_query_where_in(q, s("status"), list(&[s("open"), s("3:x")]));
            q = mesh_rt_query_where_raw(q, s("a = ? AND b = $1"), list(&[s("p")]));
            q = mesh_rt_query_where_sub(
                q,
                s("owner"),
                mesh_rt_query_select(mesh_rt_query_from(s("users")), list(&[s("id")])),
            );
            q = mesh_rt_query_order_by(q, s("created_at"), s("desc"));
            q = mesh_rt_query_limit(q, 5);
            q = mesh_rt_query_offset(q, -1);
            let expected = Query::from("iss\"ues")
                .select_exprs(vec![Expr::label(
                    Expr::call("count", vec![Expr::column("*")]),
                    "n",
                )])
                .where_expr(Expr::eq(
                    Expr::column("issues.id"),
                    Expr::cast(Expr::value("1:2\0x"), "uuid"),
                ))
                .where_in("status", &["open".to_string(), "3:x".to_string()])
                .where_raw("a = ? AND b = $1", &["p".to_string()])
                .where_sub("owner", Query::from("users").select(&["id"]))
                .order_by("created_at", "desc")
                .limit(5)
                .offset(-1);
            let got = query_of(q);
            assert_eq!(got, expected);
            assert_eq!(got.to_sql(), expected.to_sql());
        }
    }

    #[test]
    fn every_expr_constructor_replays() {
        // SAFETY: every argument is a live string or list made here.
        unsafe {
            let (a, b) = (mesh_rt_expr_column(s("a")), mesh_rt_expr_value(s("b")));
            let cases: Vec<(*mut u8, Expr)> = vec![
                (mesh_rt_expr_null(), Expr::Null),
                (
                    mesh_rt_expr_add(a, b),
                    Expr::add(Expr::column("a"), Expr::value("b")),
                ),
                (
                    mesh_rt_expr_gte(a, b),
                    Expr::gte(Expr::column("a"), Expr::value("b")),
                ),
                (
                    mesh_rt_expr_case(list(&[a]), list(&[b]), mesh_rt_expr_null()),
                    Expr::case_when(vec![Expr::column("a")], vec![Expr::value("b")], Expr::Null),
                ),
                (
                    mesh_rt_expr_coalesce(list(&[a, b])),
                    Expr::coalesce(vec![Expr::column("a"), Expr::value("b")]),
                ),
                (mesh_rt_expr_excluded(s("c")), Expr::excluded("c")),
                (mesh_rt_expr_gen_salt(s("bf"), 8), Expr::gen_salt("bf", 8)),
                (
                    mesh_rt_expr_crypt(a, b),
                    Expr::crypt(Expr::column("a"), Expr::value("b")),
                ),
                (
                    mesh_rt_expr_to_tsvector(s("english"), a),
                    Expr::to_tsvector("english", Expr::column("a")),
                ),
                (
                    mesh_rt_expr_tsvector_matches(a, b),
                    Expr::tsvector_matches(Expr::column("a"), Expr::value("b")),
                ),
                (mesh_rt_expr_jsonb(b), Expr::cast(Expr::value("b"), "jsonb")),
            ];
            for (value, expected) in cases {
                assert_eq!(decode_expr(bytes(value)), expected);
            }
        }
    }
}
