# A user type named like the pre-declared HttpResponse is another type (issue 12).
struct HttpResponse do
  code :: Int
end

fn main() do
  let r = HttpResponse { code: 7 }
  println("#{r.code}")
end
