# Comparisons on Int, Float and String, equality on Bool; they bind looser than arithmetic.
fn main() do
  println("#{1 < 2} #{2 < 1} #{2 <= 2} #{3 >= 4} #{5 > -5} #{7 == 7} #{7 != 7}")
  println("#{1.5 < 2.5} #{2.0 >= 2.0} #{0.1 + 0.2 == 0.3} #{0.5 != 0.25 * 2.0}")
  let apple = "apple"
  let banana = "banana"
  let apple2 = "app" <> "le"
  println("#{apple < banana} #{apple >= banana} #{apple == apple2} #{apple != banana}")
  println("#{true == true} #{true != false} #{false == true}")
  println("#{1 + 1 == 2} #{1 < 2 == true} #{2 * 3 > 5}")
end
