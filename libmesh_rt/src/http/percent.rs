//! Percent-decoding of request paths and query strings (stdlib §18.3) and percent-encoding of
//! the client's query parameters (§19 `Http.query`).

/// Decodes `%XX` escapes; with `plus_is_space`, `+` becomes a space (query strings only). An
/// escape that is not `%` followed by two hex digits is kept as written. Decoded bytes that are
/// not UTF-8 become U+FFFD, like request bodies.
pub fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'%' => {
                let high = bytes.get(index + 1).copied().and_then(hex_value);
                let low = bytes.get(index + 2).copied().and_then(hex_value);
                if let (Some(high), Some(low)) = (high, low) {
                    out.push(high << 4 | low);
                    index += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(byte),
        }
        index += 1;
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    }
}

/// Percent-encodes everything except RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`).
pub fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    out
}

/// The value of `name` in a raw query string (stdlib §18.3 `Request.query`): pairs split on `&`,
/// then on the first `=`; names and values decoded with `+` as space; pairs without `=` are
/// ignored; the last of repeated names wins.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .rsplit('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| decode(key, true) == name)
        .map(|(_, value)| decode(value, true))
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_turns_escapes_into_bytes_and_keeps_malformed_ones() {
        assert_eq!(decode("a%20b%2Fc", false), "a b/c");
        assert_eq!(decode("%e2%9c%93", false), "✓");
        assert_eq!(decode("100%", false), "100%");
        assert_eq!(decode("%zz%4", false), "%zz%4");
        assert_eq!(decode("a+b", false), "a+b");
        assert_eq!(decode("a+b", true), "a b");
    }

    #[test]
    fn decode_replaces_invalid_utf8_with_replacement_characters() {
        assert_eq!(decode("x%FFy", false), "x\u{FFFD}y");
    }

    #[test]
    fn encode_keeps_only_unreserved_characters() {
        assert_eq!(encode("a b&c=d/é~-._"), "a%20b%26c%3Dd%2F%C3%A9~-._");
        assert_eq!(decode(&encode("any ✓ thing+%"), false), "any ✓ thing+%");
    }

    #[test]
    fn query_value_follows_the_spec_pair_rules() {
        let query = "a=1&flag&b=x%20y&a=2&c=p+q&d==e&=z";
        assert_eq!(query_value(query, "a").as_deref(), Some("2"));
        assert_eq!(query_value(query, "flag"), None);
        assert_eq!(query_value(query, "b").as_deref(), Some("x y"));
        assert_eq!(query_value(query, "c").as_deref(), Some("p q"));
        assert_eq!(query_value(query, "d").as_deref(), Some("=e"));
        assert_eq!(query_value(query, "").as_deref(), Some("z"));
        assert_eq!(query_value(query, "missing"), None);
        assert_eq!(query_value("", "a"), None);
        assert_eq!(query_value("na%6De=v", "name").as_deref(), Some("v"));
    }
}
