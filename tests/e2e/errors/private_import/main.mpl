# expect: E0035 (square is private), E0034 (cube is not in Util), E0031 (no module Missing; Utl
# with the note "did you mean `Util`?")
from Util import square, cube
import Missing
import Utl

fn main() do
  println("#{square(2)}")
end
