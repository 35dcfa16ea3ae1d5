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

/// Reassembles frames from a byte stream.
pub struct FrameReader {
    buf: Vec<u8>,
    /// Where the unread bytes of `buf` start.
    at: usize,
    pub limit: usize,
    pub mac: Option<MacState>,
}

impl FrameReader {
    pub fn new(limit: usize) -> FrameReader {
        FrameReader {
            buf: Vec::new(),
            at: 0,
            limit,
            mac: None,
        }
    }

    /// Adds received bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.at > 0 && self.at == self.buf.len() {
            self.buf.clear();
            self.at = 0;
        } else if self.at > 64 * 1024 && self.at * 2 > self.buf.len() {
            self.buf.drain(..self.at);
            self.at = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole frame, `Ok(None)` when more bytes are needed. After an error the stream
    /// is unusable (the connection closes).
    pub fn next_frame(&mut self) -> Result<Option<(u8, Vec<u8>)>, FrameError> {
        let rest = &self.buf[self.at..];
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
        let payload = payload.to_vec();
        self.at += 4 + len;
        Ok(Some((kind, payload)))
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
