# spec: stdlib §14 — SHA-256/512 and HMAC as lower-case hex, constant-time comparison, and
# random version-4 UUIDs.
fn main() do
  println(Crypto.sha256("hello"))
  println(Crypto.sha256(""))
  println(Crypto.sha512("abc"))
  println(Crypto.hmac_sha256("key", "The quick brown fox jumps over the lazy dog"))
  println(Crypto.hmac_sha512("key", "The quick brown fox jumps over the lazy dog"))
  println(Crypto.hmac_sha256("", ""))
  let long_key = String.join(List.map([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], fn n -> "long key #{n}" end), "")
  println(Crypto.hmac_sha256(long_key, "msg"))
  println("#{Crypto.secure_compare("secret", "secret")}")
  println("#{Crypto.secure_compare("secret", "secreT")}")
  println("#{Crypto.secure_compare("secret", "secrets")}")
  println("#{Crypto.secure_compare("", "")}")
  let u = Crypto.uuid4()
  println("#{String.length(u)}")
  println(String.slice(u, 14, 15))
  let variant = String.slice(u, 19, 20)
  println("#{variant == "8" or variant == "9" or variant == "a" or variant == "b"}")
  println("#{String.slice(u, 8, 9)}#{String.slice(u, 13, 14)}#{String.slice(u, 18, 19)}#{String.slice(u, 23, 24)}")
  println("#{u == String.to_lower(u)}")
  println("#{u != Crypto.uuid4()}")
end
