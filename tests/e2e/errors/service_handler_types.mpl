# expect: E0001 for a call handler whose reply is not the declared reply type, and for a cast
# handler whose new state is not the type `init` declares (language §3.8)
service Store do
  fn init() -> Map<String, Int> do %{} end
  call Get(key :: String) :: Option<Int> do |m|
    (m, Map.get(m, key))
  end
  cast Clear() do |_m|
    "empty"
  end
end

fn main() do
  let s = Store.start()
  println("#{Store.get(s, "y")}")
end
