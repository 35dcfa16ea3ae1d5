//! The query builder (stdlib spec §24): a [`Query`] describes a single-table `SELECT` and
//! the `WHERE` part of `Repo` writes. Builders never touch the database; [`Query::to_sql`]
//! renders `SELECT <items or *> FROM "t" [JOIN…] [WHERE c1 AND c2 …] [GROUP BY …]
//! [HAVING …] [fragments] [ORDER BY …] [LIMIT n] [OFFSET n]` with every value a parameter
//! numbered in that textual order. Identifiers are quoted; raw strings are verbatim.

use super::expr::{quote, Expr, Sql};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Field(String),
    Raw(String),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Cond {
    Op(String, &'static str, String),
    In(String, bool, Vec<String>),
    Between(String, String, String),
    Null(String, bool),
    Or(Vec<(String, String)>),
    Expr(Expr),
    Raw(String, Vec<String>),
    Sub(String, Box<Query>),
}

/// A query under construction (builder methods take and return it by value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    table: String,
    items: Vec<Item>,
    joins: Vec<String>,
    wheres: Vec<Cond>,
    groups: Vec<String>,
    havings: Vec<(String, String)>,
    fragments: Vec<(String, Vec<String>)>,
    orders: Vec<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// `:eq :neq :lt :gt :lte :gte :like :ilike`; unknown → `=`.
fn operator(op: &str) -> &'static str {
    match op {
        "neq" => "!=",
        "lt" => "<",
        "gt" => ">",
        "lte" => "<=",
        "gte" => ">=",
        "like" => "LIKE",
        "ilike" => "ILIKE",
        _ => "=",
    }
}

impl Query {
    /// `Query.from(table)`.
    pub fn from(table: &str) -> Query {
        Query {
            table: table.to_string(),
            items: Vec::new(),
            joins: Vec::new(),
            wheres: Vec::new(),
            groups: Vec::new(),
            havings: Vec::new(),
            fragments: Vec::new(),
            orders: Vec::new(),
            limit: None,
            offset: None,
        }
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Whether any `WHERE` condition was added (Repo's update/delete_where need one).
    pub fn has_where(&self) -> bool {
        !self.wheres.is_empty()
    }

    /// `Query.select`: replaces the select list with quoted columns.
    pub fn select(mut self, fields: &[&str]) -> Query {
        self.items = fields.iter().map(|f| Item::Field(f.to_string())).collect();
        self
    }
    /// `Query.select_raw`: appends raw items.
    pub fn select_raw(mut self, exprs: &[&str]) -> Query {
        self.items
            .extend(exprs.iter().map(|e| Item::Raw(e.to_string())));
        self
    }
    /// `Query.select_expr`.
    pub fn select_expr(mut self, e: Expr) -> Query {
        self.items.push(Item::Expr(e));
        self
    }
    /// `Query.select_exprs`.
    pub fn select_exprs(mut self, es: Vec<Expr>) -> Query {
        self.items.extend(es.into_iter().map(Item::Expr));
        self
    }
    /// `Query.select_count`: `count(*)`.
    pub fn select_count(self) -> Query {
        self.select_raw(&["count(*)"])
    }
    /// `select_count_field` / `select_sum` / `select_avg` / `select_min` / `select_max`
    /// (`func` is `count`, `sum`, `avg`, `min` or `max`): `func("f")`.
    pub fn select_aggregate(self, func: &str, field: &str) -> Query {
        let item = format!("{func}({})", quote(field));
        self.select_raw(&[item.as_str()])
    }
    /// `Query.where`: `"field" = $n`.
    pub fn where_(self, field: &str, value: &str) -> Query {
        self.where_op(field, "eq", value)
    }
    /// `Query.where_op`.
    pub fn where_op(mut self, field: &str, op: &str, value: &str) -> Query {
        self.wheres
            .push(Cond::Op(field.to_string(), operator(op), value.to_string()));
        self
    }
    /// `"field" <op> $n` with an SQL operator already checked by the caller (`Orm`'s where
    /// entries, db/orm.rs).
    pub fn where_sql_op(mut self, field: &str, op: &'static str, value: &str) -> Query {
        self.wheres
            .push(Cond::Op(field.to_string(), op, value.to_string()));
        self
    }
    /// `Query.where_in`.
    pub fn where_in(mut self, field: &str, values: &[String]) -> Query {
        self.wheres
            .push(Cond::In(field.to_string(), false, values.to_vec()));
        self
    }
    /// `Query.where_not_in`.
    pub fn where_not_in(mut self, field: &str, values: &[String]) -> Query {
        self.wheres
            .push(Cond::In(field.to_string(), true, values.to_vec()));
        self
    }
    /// `Query.where_between`.
    pub fn where_between(mut self, field: &str, low: &str, high: &str) -> Query {
        self.wheres.push(Cond::Between(
            field.to_string(),
            low.to_string(),
            high.to_string(),
        ));
        self
    }
    /// `Query.where_null`.
    pub fn where_null(mut self, field: &str) -> Query {
        self.wheres.push(Cond::Null(field.to_string(), false));
        self
    }
    /// `Query.where_not_null`.
    pub fn where_not_null(mut self, field: &str) -> Query {
        self.wheres.push(Cond::Null(field.to_string(), true));
        self
    }
    /// `Query.where_or`: fields paired with values.
    pub fn where_or(mut self, fields: &[&str], values: &[String]) -> Query {
        let pairs = fields
            .iter()
            .zip(values)
            .map(|(f, v)| (f.to_string(), v.clone()))
            .collect();
        self.wheres.push(Cond::Or(pairs));
        self
    }
    /// `Query.where_expr`.
    pub fn where_expr(mut self, predicate: Expr) -> Query {
        self.wheres.push(Cond::Expr(predicate));
        self
    }
    /// `Query.where_raw`: `?` and `$k` renumbered (see [`Sql::raw`]).
    pub fn where_raw(mut self, clause: &str, params: &[String]) -> Query {
        self.wheres
            .push(Cond::Raw(clause.to_string(), params.to_vec()));
        self
    }
    /// `Query.where_sub`: `"field" IN (SELECT … FROM "sub" WHERE …)`.
    pub fn where_sub(mut self, field: &str, sub: Query) -> Query {
        self.wheres
            .push(Cond::Sub(field.to_string(), Box::new(sub)));
        self
    }
    /// `Query.order_by`: `:desc` → `DESC`, anything else `ASC`.
    pub fn order_by(mut self, field: &str, dir: &str) -> Query {
        let dir = if dir == "desc" { "DESC" } else { "ASC" };
        self.orders.push(format!("{} {dir}", quote(field)));
        self
    }
    /// `Query.order_by_raw`.
    pub fn order_by_raw(mut self, expr: &str) -> Query {
        self.orders.push(expr.to_string());
        self
    }
    /// `Query.limit`: negative means none.
    pub fn limit(mut self, n: i64) -> Query {
        self.limit = (n >= 0).then_some(n);
        self
    }
    /// `Query.offset`: negative means none.
    pub fn offset(mut self, n: i64) -> Query {
        self.offset = (n >= 0).then_some(n);
        self
    }
    /// `Query.join`: `:inner :left :right`, unknown → `INNER`.
    pub fn join(mut self, kind: &str, table: &str, on: &str) -> Query {
        self.joins
            .push(format!("{} JOIN {} ON {on}", join_kind(kind), quote(table)));
        self
    }
    /// `Query.join_as`: `… JOIN "table" alias ON <on>`.
    pub fn join_as(mut self, kind: &str, table: &str, alias: &str, on: &str) -> Query {
        self.joins.push(format!(
            "{} JOIN {} {alias} ON {on}",
            join_kind(kind),
            quote(table)
        ));
        self
    }
    /// `Query.group_by`.
    pub fn group_by(mut self, field: &str) -> Query {
        self.groups.push(quote(field));
        self
    }
    /// `Query.group_by_raw`.
    pub fn group_by_raw(mut self, expr: &str) -> Query {
        self.groups.push(expr.to_string());
        self
    }
    /// `Query.having`: `<clause> $n`.
    pub fn having(mut self, clause: &str, value: &str) -> Query {
        self.havings.push((clause.to_string(), value.to_string()));
        self
    }
    /// `Query.fragment`: raw SQL after `HAVING`, placeholders renumbered.
    pub fn fragment(mut self, sql: &str, params: &[String]) -> Query {
        self.fragments.push((sql.to_string(), params.to_vec()));
        self
    }

    /// The whole `SELECT` statement.
    pub fn to_sql(&self) -> Sql {
        let mut out = Sql::default();
        self.render_select(&mut out);
        out
    }

    /// Appends `SELECT … [OFFSET n]` to `out`.
    pub fn render_select(&self, out: &mut Sql) {
        out.push("SELECT ");
        self.render_items(out);
        out.push(" FROM ");
        self.render_tail(out, true);
    }

    fn render_items(&self, out: &mut Sql) {
        if self.items.is_empty() {
            out.push("*");
        }
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(", ");
            }
            match item {
                Item::Field(f) => out.push(&quote(f)),
                Item::Raw(r) => out.push(r),
                Item::Expr(e) => e.render(out),
            }
        }
    }

    /// `"t" [JOIN…] [WHERE…] [GROUP BY…] [HAVING…] [fragments]`, then (when `ordered`)
    /// `[ORDER BY…] [LIMIT n] [OFFSET n]`: the part after `FROM` (Repo.count/exists use it
    /// without the ordering).
    pub fn render_tail(&self, out: &mut Sql, ordered: bool) {
        out.push(&quote(&self.table));
        for j in &self.joins {
            out.push(" ");
            out.push(j);
        }
        if !self.wheres.is_empty() {
            out.push(" WHERE ");
            self.render_where(out);
        }
        if !self.groups.is_empty() {
            out.push(" GROUP BY ");
            out.push(&self.groups.join(", "));
        }
        for (i, (clause, value)) in self.havings.iter().enumerate() {
            out.push(if i == 0 { " HAVING " } else { " AND " });
            out.push(clause);
            out.push(" ");
            out.param(value);
        }
        for (sql, params) in &self.fragments {
            out.push(" ");
            out.raw(sql, params);
        }
        if ordered {
            self.render_order_limit(out);
        }
    }

    /// `[ORDER BY…] [LIMIT n] [OFFSET n]`.
    pub fn render_order_limit(&self, out: &mut Sql) {
        if !self.orders.is_empty() {
            out.push(" ORDER BY ");
            out.push(&self.orders.join(", "));
        }
        if let Some(n) = self.limit {
            out.push(&format!(" LIMIT {n}"));
        }
        if let Some(n) = self.offset {
            out.push(&format!(" OFFSET {n}"));
        }
    }

    /// The `WHERE` conditions joined with `AND` (without the keyword).
    pub fn render_where(&self, out: &mut Sql) {
        for (i, c) in self.wheres.iter().enumerate() {
            if i > 0 {
                out.push(" AND ");
            }
            render_cond(c, out);
        }
    }
}

fn join_kind(kind: &str) -> &'static str {
    match kind {
        "left" => "LEFT",
        "right" => "RIGHT",
        _ => "INNER",
    }
}

fn render_cond(c: &Cond, out: &mut Sql) {
    match c {
        Cond::Op(f, op, v) => {
            out.push(&format!("{} {op} ", quote(f)));
            out.param(v);
        }
        Cond::In(f, not, values) => {
            out.push(&quote(f));
            out.push(if *not { " NOT IN (" } else { " IN (" });
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push(", ");
                }
                out.param(v);
            }
            out.push(")");
        }
        Cond::Between(f, lo, hi) => {
            out.push(&format!("{} BETWEEN ", quote(f)));
            out.param(lo);
            out.push(" AND ");
            out.param(hi);
        }
        Cond::Null(f, not) => {
            out.push(&quote(f));
            out.push(if *not { " IS NOT NULL" } else { " IS NULL" });
        }
        Cond::Or(pairs) => {
            out.push("(");
            for (i, (f, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(" OR ");
                }
                out.push(&format!("{} = ", quote(f)));
                out.param(v);
            }
            out.push(")");
        }
        Cond::Expr(e) => e.render(out),
        Cond::Raw(clause, params) => out.raw(clause, params),
        Cond::Sub(f, sub) => {
            out.push(&format!("{} IN (SELECT ", quote(f)));
            sub.render_items(out);
            out.push(" FROM ");
            out.push(&quote(&sub.table));
            if !sub.wheres.is_empty() {
                out.push(" WHERE ");
                sub.render_where(out);
            }
            out.push(")");
        }
    }
}

#[cfg(test)]
#[path = "query/tests.rs"]
mod tests;
