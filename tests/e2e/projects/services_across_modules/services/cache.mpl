service Cache do
  fn init(limit :: Int) -> (Int, Int) do (limit, 0) end
  call Hit() :: Bool do |state|
    let (limit, used) = state
    ((limit, used + 1), used < limit)
  end
end
