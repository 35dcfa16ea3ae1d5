# spec: stdlib §14 — Base64 (standard, padded; URL-safe, unpadded) and Hex over UTF-8 bytes;
# decoders return Err("invalid base64") / Err("invalid hex") for malformed input and
# Err("invalid utf-8") when the bytes are not text.
fn show(r :: String ! String) -> String do
  case r do
    Ok(s) -> "Ok(#{s})"
    Err(e) -> "Err(#{e})"
  end
end

fn main() do
  println(Base64.encode("hello"))
  println(Base64.encode(""))
  println(Base64.encode("héllo 👋"))
  println(show(Base64.decode("aGVsbG8=")))
  println(show(Base64.decode("aGVsbG8")))
  println(show(Base64.decode(Base64.encode("héllo 👋"))))
  println(show(Base64.decode("")))
  println(show(Base64.decode("a")))
  println(show(Base64.decode("aGV$bG8=")))
  println(show(Base64.decode("/w==")))
  println(Base64.encode_url("hello"))
  println(Base64.encode_url("ÿþ?>"))
  println(show(Base64.decode_url("w7_Dvj8-")))
  println(show(Base64.decode_url("aGVsbG8=")))
  println(show(Base64.decode_url("w7/Dvj8+")))
  println(Hex.encode("hi"))
  println(Hex.encode("é"))
  println(Hex.encode(""))
  println(show(Hex.decode("6869")))
  println(show(Hex.decode("C3A9")))
  println(show(Hex.decode("686")))
  println(show(Hex.decode("zz")))
  println(show(Hex.decode("ff")))
  println(base64_encode("flat"))
  println(hex_encode("flat"))
end
