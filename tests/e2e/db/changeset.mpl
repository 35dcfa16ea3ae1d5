# Changeset (stdlib §28.3): cast keeps only allowed keys, each validation with its error
# text, validations of fields without a change skipped (but validate_required), the first
# error per field kept, get_change / get_error with "" when absent.
fn report(label :: String, cs :: Changeset) -> () do
  println("#{label}: valid=#{Changeset.valid(cs)} changes=#{Changeset.changes(cs)} errors=#{Changeset.errors(cs)}")
end

fn main() do
  let data = %{"id" => "7", "name" => "Ann", "bio" => ""}
  let params = %{"name" => "Bo", "email" => "bo.example.com", "admin" => "true", "age" => "17", "role" => "root"}
  let cs = Changeset.cast(data, params, [:name, :email, :age, :role, :nick])
  report("cast", cs)
  println("get_change name=#{Changeset.get_change(cs, :name)} admin=[#{Changeset.get_change(cs, :admin)}] error=[#{Changeset.get_error(cs, :name)}]")
  report("required", cs |> Changeset.validate_required([:name, :id, :bio, :nick]))
  report("required blank change", Changeset.cast(data, %{"name" => "  "}, [:name]) |> Changeset.validate_required([:name]))
  report("length min", cs |> Changeset.validate_length(:name, 3, -1))
  report("length max", cs |> Changeset.validate_length(:email, -1, 5))
  report("length ok", cs |> Changeset.validate_length(:name, 1, 2) |> Changeset.validate_length(:nick, 9, 9))
  report("length unicode", Changeset.cast(%{}, %{"name" => "héé"}, [:name]) |> Changeset.validate_length(:name, 3, 3))
  report("format", cs |> Changeset.validate_format(:email, "@") |> Changeset.validate_format(:name, "B"))
  report("inclusion", cs |> Changeset.validate_inclusion(:role, ["admin", "user"]) |> Changeset.validate_inclusion(:name, ["Bo"]))
  report("number gte", cs |> Changeset.validate_number(:age, -1, -1, 18, -1))
  report("number gt", cs |> Changeset.validate_number(:age, 17, -1, -1, -1))
  report("number lt", cs |> Changeset.validate_number(:age, -1, 17, -1, -1))
  report("number lte", cs |> Changeset.validate_number(:age, -1, -1, -1, 16))
  report("number ok", cs |> Changeset.validate_number(:age, 16, 18, 17, 17))
  report("not a number", cs |> Changeset.validate_number(:name, -1, -1, -1, -1))
  report("float", Changeset.cast(%{}, %{"price" => " 9.5 "}, [:price]) |> Changeset.validate_number(:price, 9, 10, -1, -1))
  report("skipped", cs |> Changeset.validate_number(:bio, 1, 1, 1, 1) |> Changeset.validate_format(:id, "x") |> Changeset.validate_inclusion(:bio, []))
  let many = cs |> Changeset.validate_format(:email, "@") |> Changeset.validate_length(:email, 50, -1) |> Changeset.validate_required([:nick]) |> Changeset.validate_inclusion(:role, ["admin"])
  report("first error per field", many)
  println("get_error email=#{Changeset.get_error(many, :email)} name=[#{Changeset.get_error(many, :name)}]")
  let typed = Changeset.cast_with_types(%{}, %{"n" => "12", "f" => "x", "b" => "maybe", "u" => "not-a-uuid", "t" => "", "e" => ""}, [:n, :f, :b, :u, :t, :e], ["n:BIGINT", "f:DOUBLE PRECISION", "b:BOOLEAN", "u:UUID", "t:TEXT", "e:INTEGER"])
  report("cast_with_types", typed)
  # A Changeset is a value: it can be sent to another process and compared.
  let again = Changeset.cast(data, params, [:name, :email, :age, :role, :nick])
  println("equal: #{cs == again}")
end
