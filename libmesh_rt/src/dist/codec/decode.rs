//! Decoding a message by the receiver's descriptor.

use super::CodecError;
use crate::mem::Fragment;
use mesh_rt_abi::TypeDesc;

/// Decodes `input` (a whole message: version, fingerprint, value) as a value of type `desc`,
/// built in the current process's heap. The result is only referenced by the returned word:
/// keep it in a local (or root it) before the next allocation.
pub fn decode(input: &[u8], desc: *const TypeDesc) -> Result<u64, CodecError> {
    let _ = (input, desc);
    Err(CodecError::NoDescriptor)
}

/// As `decode`, into a new fragment (outside every heap, what a mailbox envelope holds).
pub fn decode_fragment(input: &[u8], desc: *const TypeDesc) -> Result<Fragment, CodecError> {
    let _ = (input, desc);
    Err(CodecError::NoDescriptor)
}
