# Multi-clause functions whose clauses overlap: the first matching clause runs, guards fall
# through to later clauses, and literal, constructor and name parameters mix in any column.
type Token do
  Num(Int)
  Plus
  Minus
  Name(String)
end

fn weight(0, _) = "zero weight"
fn weight(_, 0) = "zero count"
fn weight(1, 1) = "unit"
fn weight(w, c) when w * c > 100 = "heavy"
fn weight(w, c) when w == c = "square"
fn weight(w, c) when w > c = "wide"
fn weight(_, _) = "tall"

fn token(Num(0), _) = "zero"
fn token(Num(n), true) when n < 0 = "negative (strict)"
fn token(Num(n), _) = "number #{n}"
fn token(Plus, _) = "plus"
fn token(Name("it"), _) = "pronoun"
fn token(Name(s), false) = "name #{s}"
fn token(_, _) = "other"

fn fib(0) = 0
fn fib(1) = 1
fn fib(n) = fib(n - 1) + fib(n - 2)

fn main() do
  println(weight(0, 5))
  println(weight(5, 0))
  println(weight(1, 1))
  println(weight(20, 20))
  println(weight(3, 3))
  println(weight(7, 2))
  println(weight(2, 7))
  println(token(Num(0), true))
  println(token(Num(-4), true))
  println(token(Num(-4), false))
  println(token(Plus, true))
  println(token(Minus, true))
  println(token(Name("it"), true))
  println(token(Name("x"), false))
  println(token(Name("x"), true))
  println("#{fib(20)}")
end
