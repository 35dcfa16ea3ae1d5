service Counter do
  fn init(start :: Int) -> Int do start end
  pub fn describe(n :: Int) -> String = "count #{n}"
  call Add(k :: Int) :: Int do |n|
    (n + k, n + k)
  end
  cast Reset() do |_n|
    0
  end
end
