//! The bytes of the format: tags, limits, varints, and a bounds-checked reader.

use super::CodecError;

/// The format version this node writes and reads.
pub const VERSION: u8 = 1;
/// The longest string (bytes).
pub const MAX_STRING: usize = 16 << 20;
/// The most elements of one collection (list, map entries, set, tuple fields).
pub const MAX_ELEMENTS: usize = 1_000_000;
/// The deepest nesting of values (the top-level value is depth 1).
pub const MAX_DEPTH: usize = 10_000;

/// Value tags.
pub mod tag {
    pub const INT: u8 = 1;
    pub const FLOAT: u8 = 2;
    pub const FALSE: u8 = 3;
    pub const TRUE: u8 = 4;
    pub const UNIT: u8 = 5;
    pub const STRING: u8 = 6;
    pub const ATOM: u8 = 7;
    pub const TUPLE: u8 = 8;
    pub const STRUCT: u8 = 9;
    pub const SUM: u8 = 10;
    pub const NONE: u8 = 11;
    pub const SOME: u8 = 12;
    pub const OK: u8 = 13;
    pub const ERR: u8 = 14;
    pub const LIST: u8 = 15;
    pub const MAP: u8 = 16;
    pub const SET: u8 = 17;
    pub const PID: u8 = 18;
    pub const JSON: u8 = 19;
    pub const DATETIME: u8 = 20;
    pub const TEXT: u8 = 21;
    pub const REQUEST: u8 = 22;
    pub const RESPONSE: u8 = 23;
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn put_int(out: &mut Vec<u8>, v: i64) {
    put_varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

pub fn put_text(out: &mut Vec<u8>, s: &[u8]) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// A cursor over untrusted input: every read checks the bounds.
pub struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(input: &'a [u8]) -> Reader<'a> {
        Reader { input, pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.input.len() - self.pos
    }

    pub fn u8(&mut self) -> Result<u8, CodecError> {
        let b = *self.input.get(self.pos).ok_or(CodecError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if n > self.remaining() {
            return Err(CodecError::Truncated);
        }
        let s = &self.input[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn u64_be(&mut self) -> Result<u64, CodecError> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    pub fn varint(&mut self) -> Result<u64, CodecError> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(CodecError::BadVarint);
            }
            v |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(CodecError::BadVarint)
    }

    pub fn int(&mut self) -> Result<i64, CodecError> {
        let z = self.varint()?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    /// A count of at most `MAX_ELEMENTS` (`what` names it in the error).
    pub fn count(&mut self, what: &'static str) -> Result<usize, CodecError> {
        let n = self.varint()?;
        if n > MAX_ELEMENTS as u64 {
            return Err(CodecError::TooLarge { what, len: n });
        }
        Ok(n as usize)
    }

    /// A length-prefixed UTF-8 text of at most `MAX_STRING` bytes.
    pub fn text(&mut self) -> Result<&'a str, CodecError> {
        let n = self.varint()?;
        if n > MAX_STRING as u64 {
            return Err(CodecError::TooLarge {
                what: "string",
                len: n,
            });
        }
        let b = self.bytes(n as usize)?;
        std::str::from_utf8(b).map_err(|_| CodecError::InvalidUtf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_overflow() {
        for v in [0u64, 1, 127, 128, 300, u64::MAX, u64::MAX - 1, 1 << 63] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(Reader::new(&out).varint(), Ok(v));
        }
        for v in [0i64, -1, 1, i64::MIN, i64::MAX, -64, 64] {
            let mut out = Vec::new();
            put_int(&mut out, v);
            assert_eq!(Reader::new(&out).int(), Ok(v));
        }
        let eleven = [0x80u8; 10];
        assert_eq!(Reader::new(&eleven).varint(), Err(CodecError::BadVarint));
        let over = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(Reader::new(&over).varint(), Err(CodecError::BadVarint));
        assert_eq!(Reader::new(&[0x80]).varint(), Err(CodecError::Truncated));
    }
}
