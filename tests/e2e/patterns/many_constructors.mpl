# A case over a sum type with many constructors (one tag switch in MIR): every constructor
# reaches its own arm, payloads are bound per constructor, and a wildcard arm catches the
# constructors listed nowhere else.
type Op do
  Nop
  Push(Int)
  Pop
  Add
  Sub
  Mul
  Jump(Int)
  JumpIf(Int, Int)
  Print(String)
  Halt
end

fn describe(op) do
  case op do
    Nop -> "nop"
    Push(n) -> "push #{n}"
    Pop -> "pop"
    Add -> "add"
    Sub -> "sub"
    Mul -> "mul"
    Jump(t) -> "jump #{t}"
    JumpIf(c, t) -> "jump #{t} if #{c}"
    Print(s) -> "print #{s}"
    Halt -> "halt"
  end
end

fn arity(op) do
  case op do
    JumpIf(_, _) -> 2
    Push(_) | Jump(_) | Print(_) -> 1
    _ -> 0
  end
end

fn is_arith(op) do
  case op do
    Add -> true
    Sub -> true
    Mul -> true
    _ -> false
  end
end

fn main() do
  let ops = [Nop, Push(7), Pop, Add, Sub, Mul, Jump(3), JumpIf(1, 9), Print("hi"), Halt]
  for op in ops do
    println("#{describe(op)} / #{arity(op)} / #{is_arith(op)}")
  end
end
