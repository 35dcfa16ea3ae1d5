//! Framing (runtime-cluster §3.1) and the per-frame MAC (§3.2, session integrity): every frame
//! is a `u32` big-endian length of the rest, a `u8` kind, the payload and, once a session's key
//! is known, a 16-byte tag `HMAC-SHA256(K, direction ‖ sequence ‖ kind ‖ payload)[..16]`.
//! Pure code (no sockets): `FrameReader` takes bytes as they arrive and hands out whole frames,
//! `encode` builds one. Also the payload field codec (`Wr`/`Rd`) every message kind uses.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Frame kinds on the wire.
pub mod kind {
    pub const HELLO: u8 = 1;
    pub const CHALLENGE: u8 = 2;
    pub const PROOF: u8 = 3;
    pub const REJECT: u8 = 4;
    pub const PING: u8 = 10;
    pub const PONG: u8 = 11;
    pub const SEND: u8 = 20;
    pub const REG_SEND: u8 = 21;
    pub const SPAWN: u8 = 22;
    pub const SPAWN_REPLY: u8 = 23;
    pub const LINK: u8 = 24;
    pub const UNLINK: u8 = 25;
    pub const EXIT: u8 = 26;
    pub const MONITOR: u8 = 27;
    pub const DEMONITOR: u8 = 28;
    pub const MONITOR_EXIT: u8 = 29;
    pub const PEER_LIST: u8 = 30;
    pub const GLOBAL_REGISTER: u8 = 31;
    pub const GLOBAL_UNREGISTER: u8 = 32;
    pub const GLOBAL_SYNC: u8 = 33;
    pub const AUTHORITY: u8 = 40;
    pub const CONTINUITY_PREPARE: u8 = 41;
    pub const CONTINUITY_PREPARE_ACK: u8 = 42;
    pub const CONTINUITY_UPSERT: u8 = 43;
    pub const CONTINUITY_SYNC: u8 = 44;
    pub const SYNC_DONE: u8 = 45;
    pub const ROUTE_CALL: u8 = 50;
    pub const ROUTE_REPLY: u8 = 51;
    pub const OPERATOR_QUERY: u8 = 60;
    pub const OPERATOR_REPLY: u8 = 61;
}

/// The largest handshake frame (length field value).
pub const HANDSHAKE_LIMIT: usize = 4 * 1024;
/// The largest frame after the handshake.
pub const SESSION_LIMIT: usize = 16 * 1024 * 1024;
/// Bytes of a frame's MAC tag.
pub const TAG_LEN: usize = 16;

/// Why the byte stream is not a valid frame sequence.
#[derive(Debug, PartialEq, Eq)]
pub enum FrameError {
    /// The length field exceeds the limit (`frame_too_large`).
    TooLarge(usize),
    /// A frame too short for its kind (and tag).
    Malformed,
    /// The tag does not match (`frame_auth_failed`).
    AuthFailed,
}

impl FrameError {
    /// The reason as logged.
    pub fn reason(&self) -> &'static str {
        match self {
            FrameError::TooLarge(_) => "frame_too_large",
            FrameError::Malformed => "malformed_frame",
            FrameError::AuthFailed => "frame_auth_failed",
        }
    }
}

/// One direction's MAC state: the session key, the direction byte and the next sequence
/// number.
pub struct MacState {
    mac: Hmac<Sha256>,
    direction: u8,
    seq: u64,
}

impl MacState {
    /// `key` is the session key K, `direction` 0 for frames the initiator sends, 1 for the
    /// acceptor's.
    pub fn new(key: &[u8], direction: u8) -> MacState {
        MacState {
            mac: <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length"),
            direction,
            seq: 0,
        }
    }

    fn tag(&mut self, kind: u8, payload: &[u8]) -> [u8; TAG_LEN] {
        let mut m = self.mac.clone();
        m.update(&[self.direction]);
        m.update(&self.seq.to_be_bytes());
        m.update(&[kind]);
        m.update(payload);
        self.seq += 1;
        let full = m.finalize().into_bytes();
        let mut tag = [0; TAG_LEN];
        tag.copy_from_slice(&full[..TAG_LEN]);
        tag
    }
}

/// Appends one frame to `out` (with a tag when `mac` is given).
pub fn encode(out: &mut Vec<u8>, kind: u8, payload: &[u8], mac: Option<&mut MacState>) {
    let tag = mac.map(|m| m.tag(kind, payload));
    let len = 1 + payload.len() + tag.map_or(0, |t| t.len());
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out.push(kind);
    out.extend_from_slice(payload);
    if let Some(t) = tag {
        out.extend_from_slice(&t);
    }
}

/// Appends one frame to `out` without its payload, for a vectored write of large payloads:
/// the length and kind, then the tag (when `mac` is given). Returns the offset in `out`
/// where the payload belongs (between the two).
pub fn encode_around(
    out: &mut Vec<u8>,
    kind: u8,
    payload: &[u8],
    mac: Option<&mut MacState>,
) -> usize {
    let tag = mac.map(|m| m.tag(kind, payload));
    let len = 1 + payload.len() + tag.map_or(0, |t| t.len());
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out.push(kind);
    let at = out.len();
    if let Some(t) = tag {
        out.extend_from_slice(&t);
    }
    at
}

/// Reassembles frames from a byte stream. The bytes live in one buffer that the socket reads
/// into directly ([`FrameReader::fill`]) and frames are handed out as slices of it
/// ([`FrameReader::next_frame_ref`]): a frame's bytes are copied once, by the kernel, before
/// the message is built from them.
pub struct FrameReader {
    /// Storage; `buf[at..end]` holds the unread bytes, the rest is room to read into.
    buf: Vec<u8>,
    /// Where the unread bytes start.
    at: usize,
    /// Where they end.
    end: usize,
    pub limit: usize,
    pub mac: Option<MacState>,
}

/// The least room [`FrameReader::fill`] offers a read.
const MIN_READ: usize = 64 * 1024;

impl FrameReader {
    pub fn new(limit: usize) -> FrameReader {
        FrameReader {
            buf: Vec::new(),
            at: 0,
            end: 0,
            limit,
            mac: None,
        }
    }

    /// Makes room for at least `want` more bytes after the unread ones: moves the unread
    /// bytes (less than one frame, since frames are taken before more are read) to the front
    /// when the room behind them is short, and grows the storage if that is not enough.
    fn reserve(&mut self, want: usize) {
        if self.at == self.end {
            self.at = 0;
            self.end = 0;
        }
        if self.buf.len() - self.end >= want {
            return;
        }
        if self.at > 0 {
            self.buf.copy_within(self.at..self.end, 0);
            self.end -= self.at;
            self.at = 0;
        }
        if self.buf.len() - self.end < want {
            self.buf.resize(self.end + want, 0);
        }
    }

    /// Adds received bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.reserve(bytes.len());
        self.buf[self.end..self.end + bytes.len()].copy_from_slice(bytes);
        self.end += bytes.len();
    }

    /// Reads from the stream into the buffer: `read` gets the free room (at least 64 KiB, or
    /// the rest of the frame being received when that is larger) and returns how many bytes
    /// it wrote there; that count is returned (0: the end of the stream).
    pub fn fill<E>(
        &mut self,
        read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<usize, E> {
        let pending = self.end - self.at;
        let mut want = MIN_READ;
        if pending >= 4 {
            let b = &self.buf[self.at..];
            let len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
            if len <= self.limit {
                want = want.max((4 + len).saturating_sub(pending));
            }
        }
        self.reserve(want);
        let n = read(&mut self.buf[self.end..])?;
        self.end += n.min(self.buf.len() - self.end);
        Ok(n)
    }

    /// The next whole frame, `Ok(None)` when more bytes are needed. After an error the stream
    /// is unusable (the connection closes).
    pub fn next_frame(&mut self) -> Result<Option<(u8, Vec<u8>)>, FrameError> {
        Ok(self.next_frame_ref()?.map(|(k, p)| (k, p.to_vec())))
    }

    /// As [`FrameReader::next_frame`], the payload borrowed from the buffer (valid until the
    /// reader is used again).
    pub fn next_frame_ref(&mut self) -> Result<Option<(u8, &[u8])>, FrameError> {
        let rest = &self.buf[self.at..self.end];
        if rest.len() < 4 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len > self.limit {
            return Err(FrameError::TooLarge(len));
        }
        let tag_len = if self.mac.is_some() { TAG_LEN } else { 0 };
        if len < 1 + tag_len {
            return Err(FrameError::Malformed);
        }
        if rest.len() < 4 + len {
            return Ok(None);
        }
        let frame = &rest[4..4 + len];
        let kind = frame[0];
        let payload = &frame[1..len - tag_len];
        if let Some(mac) = self.mac.as_mut() {
            let want = mac.tag(kind, payload);
            let got = &frame[len - tag_len..];
            if !bool::from(subtle::ConstantTimeEq::ct_eq(&want[..], got)) {
                return Err(FrameError::AuthFailed);
            }
        }
        let start = self.at + 5;
        self.at += 4 + len;
        Ok(Some((kind, &self.buf[start..start + len - 1 - tag_len])))
    }
}

/// Builds a payload field by field (big-endian integers, length-prefixed bytes).
#[derive(Default)]
pub struct Wr(pub Vec<u8>);

impl Wr {
    pub fn new() -> Wr {
        Wr(Vec::new())
    }
    pub fn u8(mut self, v: u8) -> Wr {
        self.0.push(v);
        self
    }
    pub fn u64(mut self, v: u64) -> Wr {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn bytes(mut self, v: &[u8]) -> Wr {
        self.0.extend_from_slice(&(v.len() as u32).to_be_bytes());
        self.0.extend_from_slice(v);
        self
    }
    pub fn str(self, v: &str) -> Wr {
        self.bytes(v.as_bytes())
    }
    pub fn done(self) -> Vec<u8> {
        self.0
    }
}

/// Reads a payload field by field; every read fails on a short or invalid payload.
pub struct Rd<'a>(pub &'a [u8]);

impl<'a> Rd<'a> {
    pub fn u8(&mut self) -> Result<u8, FrameError> {
        let (&b, rest) = self.0.split_first().ok_or(FrameError::Malformed)?;
        self.0 = rest;
        Ok(b)
    }
    pub fn u64(&mut self) -> Result<u64, FrameError> {
        if self.0.len() < 8 {
            return Err(FrameError::Malformed);
        }
        let (head, rest) = self.0.split_at(8);
        self.0 = rest;
        Ok(u64::from_be_bytes(
            head.try_into().map_err(|_| FrameError::Malformed)?,
        ))
    }
    pub fn bytes(&mut self) -> Result<&'a [u8], FrameError> {
        if self.0.len() < 4 {
            return Err(FrameError::Malformed);
        }
        let len = u32::from_be_bytes([self.0[0], self.0[1], self.0[2], self.0[3]]) as usize;
        let rest = &self.0[4..];
        if rest.len() < len {
            return Err(FrameError::Malformed);
        }
        let (v, rest) = rest.split_at(len);
        self.0 = rest;
        Ok(v)
    }
    pub fn str(&mut self) -> Result<&'a str, FrameError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| FrameError::Malformed)
    }
    /// The unread rest.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.0)
    }
    /// Fails unless everything was read.
    pub fn end(&self) -> Result<(), FrameError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(FrameError::Malformed)
        }
    }
}

#[cfg(test)]
mod tests;
