service Store do
  fn init() -> Map<String, Int> do %{} end
  call Put(key :: String, value :: Int) :: Int do |m|
    let m2 = Map.put(m, key, value)
    (m2, Map.size(m2))
  end
  call Get(key :: String) :: Option<Int> do |m|
    let found = if Map.has_key(m, key) do Some(Map.get(m, key)) else None end
    (m, found)
  end
end
