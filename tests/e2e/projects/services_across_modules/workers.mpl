service Tally do
  fn init() -> Int do 0 end
  call Bump() :: Int do |n|
    (n + 1, n + 1)
  end
end

service Names do
  fn init(first :: String) -> List<String> do [first] end
  call Push(s :: String) :: List<String> do |xs|
    let ys = List.append(xs, s)
    (ys, ys)
  end
end
