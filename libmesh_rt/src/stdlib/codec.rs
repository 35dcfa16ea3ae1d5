//! `Base64`, `Hex` and `Crypto` (stdlib spec §14) over the UTF-8 bytes of their arguments.
//! Decoders return `Err("invalid base64")` / `Err("invalid hex")` for malformed input and
//! `Err("invalid utf-8")` when the decoded bytes are not text (Mesh strings are UTF-8).

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, Engine};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

/// The standard alphabet, writing padding and accepting input with or without it.
const STANDARD_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// `Base64.encode`: standard alphabet, padded.
pub fn base64_encode(s: &str) -> String {
    STANDARD_ANY_PADDING.encode(s)
}

/// `Base64.decode`: standard alphabet, padding optional.
pub fn base64_decode(s: &str) -> Result<String, String> {
    let bytes = STANDARD_ANY_PADDING
        .decode(s)
        .map_err(|_| "invalid base64".to_string())?;
    text(bytes)
}

/// `Base64.encode_url`: URL-safe alphabet, no padding.
pub fn base64_encode_url(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

/// `Base64.decode_url`: URL-safe alphabet, unpadded input only.
pub fn base64_decode_url(s: &str) -> Result<String, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| "invalid base64".to_string())?;
    text(bytes)
}

/// `Hex.encode`: two lower-case digits per byte.
pub fn hex_encode(s: &str) -> String {
    hex::encode(s)
}

/// `Hex.decode`: case-insensitive; odd length or a non-hex digit is `invalid hex`.
pub fn hex_decode(s: &str) -> Result<String, String> {
    let bytes = hex::decode(s).map_err(|_| "invalid hex".to_string())?;
    text(bytes)
}

fn text(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| "invalid utf-8".to_string())
}

/// `Crypto.sha256`: 64 lower-case hex digits.
pub fn sha256(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// `Crypto.sha512`: 128 lower-case hex digits.
pub fn sha512(s: &str) -> String {
    hex::encode(Sha512::digest(s.as_bytes()))
}

/// `Crypto.hmac_sha256(key, msg)`: lower-case hex; any key length.
pub fn hmac_sha256(key: &str, msg: &str) -> String {
    // HMAC accepts keys of every length (long keys are hashed first), so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `Crypto.hmac_sha512(key, msg)`: lower-case hex; any key length.
pub fn hmac_sha512(key: &str, msg: &str) -> String {
    let mut mac = <Hmac<Sha512> as Mac>::new_from_slice(key.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(msg.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// `Crypto.secure_compare(a, b)`: equality whose running time depends only on the lengths,
/// not on where the first difference is. Different lengths are `false` at once (the length
/// is not secret).
pub fn secure_compare(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        // black_box keeps the optimiser from turning the loop into an early-exit comparison.
        diff |= std::hint::black_box(x ^ y);
    }
    diff == 0
}

/// `Crypto.uuid4`: a random version-4 UUID (`8-4-4-4-12` lower-case hex) from the operating
/// system's cryptographic RNG; `Err` only when the OS has no random source.
pub fn uuid4() -> Result<String, String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| e.to_string())?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_rejects_bad_input() {
        assert_eq!(base64_encode("hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8="), Ok("hello".into()));
        assert_eq!(base64_decode("aGVsbG8"), Ok("hello".into()));
        assert_eq!(base64_decode("a"), Err("invalid base64".into()));
        assert_eq!(base64_decode("/w=="), Err("invalid utf-8".into()));
        assert_eq!(base64_encode_url("hello"), "aGVsbG8");
        assert_eq!(base64_encode_url("\u{ff}\u{fe}"), "w7_Dvg");
        assert_eq!(base64_decode_url("w7_Dvg"), Ok("\u{ff}\u{fe}".into()));
        assert_eq!(base64_decode_url("aGVsbG8="), Err("invalid base64".into()));
        assert_eq!(base64_decode(""), Ok("".into()));
    }

    #[test]
    fn hex_is_lower_case_and_decodes_either_case() {
        assert_eq!(hex_encode("hi"), "6869");
        assert_eq!(hex_decode("6A6b"), Ok("jk".into()));
        assert_eq!(hex_decode("686"), Err("invalid hex".into()));
        assert_eq!(hex_decode("zz"), Err("invalid hex".into()));
        assert_eq!(hex_decode("ff"), Err("invalid utf-8".into()));
    }

    #[test]
    fn digests_match_known_vectors() {
        assert_eq!(
            sha256("hello"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert_eq!(sha512("").len(), 128);
        // RFC 4231 test case 2.
        assert_eq!(
            hmac_sha256("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(secure_compare("abc", "abc"));
        assert!(!secure_compare("abc", "abd"));
        assert!(!secure_compare("abc", "ab"));
    }

    #[test]
    fn uuid4_has_version_and_variant_bits() {
        let u = uuid4().expect("random source");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid4().expect("random source"));
    }
}
