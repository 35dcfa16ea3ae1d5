# expect: E0001 when keyword values differ in type (one Map<String, V>), E0003 when the
# function has no parameter for the map
fn query(table :: String, opts :: Map<String, String>) -> String do
  table
end

fn plain(table :: String) -> String = table

fn main() do
  println(query("t", limit: 5))
  println(query("t", limit: "5", strict: true))
  println(plain("t", limit: "5"))
end
