# An own type named String: in this module `String` in a type names it, while string values
# (literals, parameters left to inference) and the String module's functions stay the stdlib's.
pub struct String do
  size :: Int
  loud :: Bool
end deriving(Display, Eq)

pub fn measure(s) -> String = String { size: String.length(s), loud: s == String.to_upper(s) }

pub fn describe(m :: String) -> Int = m.size
