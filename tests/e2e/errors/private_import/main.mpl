# expect: E0035 (square is private), E0034 (cube is not in Util), E0031 (no module Missing)
from Util import square, cube
import Missing

fn main() do
  println("#{square(2)}")
end
