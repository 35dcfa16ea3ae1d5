pub fn area(r :: Float) -> Float = 3.0 * r * r
