//! The handshake's messages and proofs (runtime-cluster §3.2): `HELLO`, `CHALLENGE`, `PROOF`,
//! `REJECT`, the transcript `T` both proofs and the session key are bound to, and the
//! constant-time check. Pure code; `session.rs` runs the exchange over a socket.
//!
//! The cookie is only ever an HMAC key here: no function returns it or anything but MACs
//! derived from it, and MACs are never logged.

use super::frame::{FrameError, Rd, Wr};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The protocol version this runtime speaks.
pub const VERSION: u8 = 1;
/// Bytes of a nonce.
pub const NONCE_LEN: usize = 32;

/// Why a connection is being made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Node,
    Operator,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Node => "node",
            Purpose::Operator => "operator",
        }
    }
    fn byte(self) -> u8 {
        match self {
            Purpose::Node => 0,
            Purpose::Operator => 1,
        }
    }
    fn from_byte(b: u8) -> Result<Purpose, FrameError> {
        match b {
            0 => Ok(Purpose::Node),
            1 => Ok(Purpose::Operator),
            _ => Err(FrameError::Malformed),
        }
    }
}

/// `HELLO` (initiator → acceptor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hello {
    pub version: u8,
    pub purpose: Purpose,
    pub name: String,
    pub incarnation: u64,
    pub nonce: [u8; NONCE_LEN],
}

/// `CHALLENGE` (acceptor → initiator).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub version: u8,
    pub name: String,
    pub incarnation: u64,
    pub nonce: [u8; NONCE_LEN],
}

fn nonce(rd: &mut Rd) -> Result<[u8; NONCE_LEN], FrameError> {
    rd.bytes()?.try_into().map_err(|_| FrameError::Malformed)
}

impl Hello {
    pub fn encode(&self) -> Vec<u8> {
        Wr::new()
            .u8(self.version)
            .u8(self.purpose.byte())
            .str(&self.name)
            .u64(self.incarnation)
            .bytes(&self.nonce)
            .done()
    }
    /// Decodes a `HELLO`. A version this runtime does not speak still decodes (as far as
    /// its first byte), so the acceptor can answer `version_unsupported`.
    pub fn decode(payload: &[u8]) -> Result<Hello, FrameError> {
        let mut rd = Rd(payload);
        let version = rd.u8()?;
        if version != VERSION {
            return Ok(Hello {
                version,
                purpose: Purpose::Node,
                name: String::new(),
                incarnation: 0,
                nonce: [0; NONCE_LEN],
            });
        }
        let hello = Hello {
            version,
            purpose: Purpose::from_byte(rd.u8()?)?,
            name: rd.str()?.to_string(),
            incarnation: rd.u64()?,
            nonce: nonce(&mut rd)?,
        };
        rd.end()?;
        Ok(hello)
    }
}

impl Challenge {
    pub fn encode(&self) -> Vec<u8> {
        Wr::new()
            .u8(self.version)
            .str(&self.name)
            .u64(self.incarnation)
            .bytes(&self.nonce)
            .done()
    }
    pub fn decode(payload: &[u8]) -> Result<Challenge, FrameError> {
        let mut rd = Rd(payload);
        let c = Challenge {
            version: rd.u8()?,
            name: rd.str()?.to_string(),
            incarnation: rd.u64()?,
            nonce: nonce(&mut rd)?,
        };
        rd.end()?;
        Ok(c)
    }
}

/// The transcript `T`: every field of both opening messages, each length-prefixed.
pub fn transcript(hello: &Hello, challenge: &Challenge) -> Vec<u8> {
    Wr::new()
        .bytes(&[hello.version])
        .bytes(hello.purpose.as_str().as_bytes())
        .str(&hello.name)
        .str(&challenge.name)
        .bytes(&hello.incarnation.to_be_bytes())
        .bytes(&challenge.incarnation.to_be_bytes())
        .bytes(&hello.nonce)
        .bytes(&challenge.nonce)
        .done()
}

fn hmac(cookie: &[u8], label: &[u8], t: &[u8]) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(cookie).expect("HMAC takes any key length");
    m.update(label);
    m.update(t);
    m.finalize().into_bytes().into()
}

/// The initiator's proof `HMAC(cookie, "mesh-v1 initiator" ‖ T)`.
pub fn initiator_proof(cookie: &[u8], t: &[u8]) -> [u8; 32] {
    hmac(cookie, b"mesh-v1 initiator", t)
}

/// The acceptor's proof `HMAC(cookie, "mesh-v1 acceptor" ‖ T)`.
pub fn acceptor_proof(cookie: &[u8], t: &[u8]) -> [u8; 32] {
    hmac(cookie, b"mesh-v1 acceptor", t)
}

/// The session key `K = HMAC(cookie, "mesh-v1 session" ‖ T)`.
pub fn session_key(cookie: &[u8], t: &[u8]) -> [u8; 32] {
    hmac(cookie, b"mesh-v1 session", t)
}

/// Constant-time comparison of a received proof with the expected one.
pub fn proof_matches(expected: &[u8; 32], got: &[u8]) -> bool {
    got.len() == expected.len() && bool::from(expected[..].ct_eq(got))
}

/// 32 fresh random bytes.
pub fn fresh_nonce() -> [u8; NONCE_LEN] {
    let mut n = [0; NONCE_LEN];
    getrandom::fill(&mut n).expect("the system's random source works");
    n
}

/// A fresh random 64-bit value (incarnations, ping bodies).
pub fn random_u64() -> u64 {
    let mut b = [0; 8];
    getrandom::fill(&mut b).expect("the system's random source works");
    u64::from_ne_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Hello, Challenge) {
        (
            Hello {
                version: VERSION,
                purpose: Purpose::Node,
                name: "a@127.0.0.1:1".into(),
                incarnation: 7,
                nonce: [1; NONCE_LEN],
            },
            Challenge {
                version: VERSION,
                name: "b@127.0.0.1:2".into(),
                incarnation: 9,
                nonce: [2; NONCE_LEN],
            },
        )
    }

    #[test]
    fn messages_round_trip() {
        let (h, c) = pair();
        assert_eq!(Hello::decode(&h.encode()), Ok(h));
        assert_eq!(Challenge::decode(&c.encode()), Ok(c));
        assert_eq!(Hello::decode(&[]), Err(FrameError::Malformed));
        assert_eq!(Hello::decode(&[9]).map(|h| h.version), Ok(9));
    }

    #[test]
    fn proofs_depend_on_cookie_direction_and_every_transcript_field() {
        let (h, c) = pair();
        let t = transcript(&h, &c);
        let p = initiator_proof(b"cookie", &t);
        assert!(proof_matches(&p, &initiator_proof(b"cookie", &t)));
        assert!(!proof_matches(&p, &initiator_proof(b"cookiE", &t)));
        assert!(!proof_matches(&p, &acceptor_proof(b"cookie", &t)));
        assert!(!proof_matches(&p, &p[..31]));
        let mut h2 = h.clone();
        h2.name = "a@127.0.0.1:3".into();
        assert_ne!(transcript(&h2, &c), t);
        let mut c2 = c.clone();
        c2.incarnation = 10;
        assert_ne!(transcript(&h, &c2), t);
        // Moving bytes between adjacent fields changes the transcript (length prefixes).
        let mut h3 = h.clone();
        h3.name = "a@127.0.0.1:1b".into();
        let mut c3 = c.clone();
        c3.name = "@127.0.0.1:2".into();
        assert_ne!(transcript(&h3, &c3), t);
    }
}
