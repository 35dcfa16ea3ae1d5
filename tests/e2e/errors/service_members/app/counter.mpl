service Counter do
  fn init(start :: Int) -> Int do start end
  fn secret(n :: Int) -> Int = n * 2
  call Add(k :: Int) :: Int do |n|
    (n + k, n + k)
  end
end
