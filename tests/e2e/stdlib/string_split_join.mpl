# spec: stdlib §3 — String.split keeps empty pieces (`""` gives `[""]`; an empty separator
# splits between code points with an empty first and last piece); String.join puts the
# separator between the parts (`[]` gives `""`).
fn main() do
  let parts = String.split("a,,b", ",")
  println("#{parts} #{parts == ["a", "", "b"]}")
  println(String.join(parts, "|"))
  println("#{String.split("", ",") == [""]} #{String.split("no sep", ",") == ["no sep"]}")
  println("#{String.split("ab", "") == ["", "a", "b", ""]} #{String.split("", "") == ["", ""]}")
  println("#{String.split("x--y--", "--")}")
  println("#{String.split("héllo wörld", "ö")} #{String.split(",", ",") == ["", ""]}")
  println("[#{String.join([], "-")}] [#{String.join([""], "-")}] [#{String.join(["", ""], "-")}]")
  println(String.join(["é", "ü", "ß"], ", "))
  println(String.join(["one"], "sep"))
  let csv = "name, age ,city"
  println(String.join(String.split(csv, ","), ";") |> String.replace(" ", ""))
  println("a b c" |> String.split(" ") |> String.join("+"))
  println(string_join(string_split("1.2.3", "."), ""))
end
