# The alternatives of an or-pattern must bind each name at one type.
fn first_number(p :: (Result<Int, String>, Result<Int, String>)) -> String do
  case p do
    (Ok(n), _) | (_, Err(n)) -> "#{n}"
    _ -> "none"
  end
end

fn main() do
  println(first_number((Ok(1), Ok(2))))
end
