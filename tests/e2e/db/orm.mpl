# Orm (stdlib §28.4): parameterised SQL text with quoted identifiers, $n placeholders in
# order, "column op" where entries, -1 = no limit/offset, "*" unquoted in returning.
fn main() do
  println(Orm.build_select("users", [], [], [], -1, -1))
  println(Orm.build_select("users", ["id", "name"], ["age >", "name", "email LIKE", "deleted_at IS NULL"], ["name", "age DESC"], 10, 20))
  println(Orm.build_select("users", ["*"], ["id"], [], 0, 5))
  println(Orm.build_insert("users", ["name", "email"], ["*"]))
  println(Orm.build_insert("users", ["name"], ["id", "name"]))
  println(Orm.build_insert("users", [], []))
  println(Orm.build_update("users", ["name", "age"], ["id", "age <="], ["*"]))
  println(Orm.build_update("users", ["name"], [], []))
  println(Orm.build_delete("users", ["id", "role !="], ["id"]))
  println(Orm.build_delete("we\"ird", [], []))
end
