# Declared clustered work (runtime-cluster §4.1): registered before `main` runs. The work
# itself prints nothing, so the output is the same whether or not the runtime starts it.
@cluster pub fn add() -> Int do
  1 + 1
end

@cluster(1) pub fn sum(a :: Int, b :: Int) -> Int = a + b
