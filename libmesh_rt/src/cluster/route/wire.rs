//! The payloads of `ROUTE_CALL` and `ROUTE_REPLY` (runtime-cluster §3.5), in the session's
//! field codec (`dist::frame::{Wr, Rd}`):
//!
//! ```text
//! ROUTE_CALL  = request_id:u64 runtime_name:str request_key:str count:u64 ingress:str
//!               replica:str payload_hash:str request:bytes (the encoded §3.6 Request)
//! ROUTE_REPLY = request_id:u64 status:u8 (0 ok, 1 rejected) attempt_id:str
//!               ok: response:bytes (the encoded §3.6 Response) | rejected: reason:str
//! ```
//!
//! Decision: the ingress does not submit before calling; the owner submits (it is the node
//! that runs the attempt, so the continuity core's rules for running attempts, prepares to the
//! replica and completion hold unchanged), and the attempt id travels back in the reply
//! instead of in the call.

use crate::dist::frame::{FrameError, Rd, Wr};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteCall {
    pub request_id: u64,
    pub runtime_name: String,
    pub request_key: String,
    /// The declared `n`.
    pub count: u64,
    pub ingress: String,
    /// The replica placement chose (`""` for none).
    pub replica: String,
    pub payload_hash: String,
    pub request: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The handler returned this encoded response.
    Ok(Vec<u8>),
    /// The request was rejected (or the handler crashed: `handler_crashed`).
    Rejected(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteReply {
    pub request_id: u64,
    /// `""` when no record was created.
    pub attempt_id: String,
    pub outcome: Outcome,
}

impl RouteCall {
    pub fn encode(&self) -> Vec<u8> {
        Wr::new()
            .u64(self.request_id)
            .str(&self.runtime_name)
            .str(&self.request_key)
            .u64(self.count)
            .str(&self.ingress)
            .str(&self.replica)
            .str(&self.payload_hash)
            .bytes(&self.request)
            .done()
    }

    pub fn decode(payload: &[u8]) -> Result<RouteCall, FrameError> {
        let mut rd = Rd(payload);
        let call = RouteCall {
            request_id: rd.u64()?,
            runtime_name: rd.str()?.to_string(),
            request_key: rd.str()?.to_string(),
            count: rd.u64()?,
            ingress: rd.str()?.to_string(),
            replica: rd.str()?.to_string(),
            payload_hash: rd.str()?.to_string(),
            request: rd.bytes()?.to_vec(),
        };
        rd.end()?;
        Ok(call)
    }
}

impl RouteReply {
    pub fn encode(&self) -> Vec<u8> {
        let wr = Wr::new().u64(self.request_id);
        match &self.outcome {
            Outcome::Ok(response) => wr.u8(0).str(&self.attempt_id).bytes(response),
            Outcome::Rejected(reason) => wr.u8(1).str(&self.attempt_id).str(reason),
        }
        .done()
    }

    pub fn decode(payload: &[u8]) -> Result<RouteReply, FrameError> {
        let mut rd = Rd(payload);
        let request_id = rd.u64()?;
        let status = rd.u8()?;
        let attempt_id = rd.str()?.to_string();
        let outcome = match status {
            0 => Outcome::Ok(rd.bytes()?.to_vec()),
            1 => Outcome::Rejected(rd.str()?.to_string()),
            _ => return Err(FrameError::Malformed),
        };
        rd.end()?;
        Ok(RouteReply {
            request_id,
            attempt_id,
            outcome,
        })
    }
}
