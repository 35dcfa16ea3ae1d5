//! Encoding a value by its descriptor.

use super::CodecError;
use mesh_rt_abi::TypeDesc;

/// Appends the wire form of the message `word` (a value of the current process of static type
/// `desc`) to `out`: version, fingerprint, value. On error `out` is left as it was.
pub fn encode(word: u64, desc: *const TypeDesc, out: &mut Vec<u8>) -> Result<(), CodecError> {
    let _ = (word, desc, out);
    Err(CodecError::NotDistributed)
}

/// The wire form of `word` in a new buffer.
pub fn encode_message(word: u64, desc: *const TypeDesc) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    encode(word, desc, &mut out)?;
    Ok(out)
}
