# spec: language §5.3 — Int / truncates toward zero; % takes the sign of the dividend.
fn div(a :: Int, b :: Int) -> Int = a / b

fn rem(a :: Int, b :: Int) -> Int = a % b

fn main() do
  println("#{7 / 2} #{-7 / 2} #{7 / -2} #{-7 / -2}")
  println("#{7 % 3} #{-7 % 3} #{7 % -3} #{-7 % -3}")
  println("#{div(7, 2)} #{div(-7, 2)} #{div(7, -2)} #{div(-7, -2)}")
  println("#{rem(7, 3)} #{rem(-7, 3)} #{rem(7, -3)} #{rem(-7, -3)}")
  println("#{6 % 3} #{0 / 5} #{1 / 2} #{-1 / 2}")
end
