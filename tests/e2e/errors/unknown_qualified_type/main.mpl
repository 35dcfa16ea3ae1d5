# expect: E0058 for `Types.Missing` (not declared) and `Types.Hidden` (a private alias) through
# `import Models.Types`; `Models.Types.UserId` (not imported under that name) too
import Models.Types

fn main() do
  let a :: Types.Missing = 1
  let b :: Types.Hidden = 2
  let c :: Models.Types.UserId = 3
end
