# Arguments are copied into the new process: strings, lists, maps, tuples and structs
# arrive intact, and the sender's values are unaffected.
struct User do
  name :: String
  tags :: List<String>
end

actor reporter(parent, user :: User, counts :: Map<String, Int>, pair) do
  let (a, b) = pair
  let line = "#{user.name} #{user.tags} #{Map.get(counts, "x")} #{a}/#{b}"
  send(parent, line)
end

fn main() do
  let u = User { name: "ana", tags: ["admin", "ops"] }
  let counts = %{"x" => 3, "y" => 4}
  let _ = spawn(reporter, self(), u, counts, ("left", [1, 2, 3]))
  let got = receive do s -> s end
  println(got)
  println("still #{u.name} #{List.length(u.tags)}")
end
