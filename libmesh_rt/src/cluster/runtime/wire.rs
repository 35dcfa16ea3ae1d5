//! The payloads of the continuity frames (runtime-cluster §3.5) for `cluster::Message`:
//! `AUTHORITY` (role, epoch), `CONTINUITY_PREPARE` (request id, record),
//! `CONTINUITY_PREPARE_ACK` (request id, ok | error reason), `CONTINUITY_UPSERT` (watermark,
//! record), `CONTINUITY_SYNC` (watermark, count, records), `SYNC_DONE` (empty). A record
//! carries every field of `Record`, the internal `written_epoch`, `attempt_epoch` and
//! `required_replicas` included, in declaration order (strings length-prefixed, integers
//! big-endian u64, enumerations and booleans one byte). Decoding refuses unknown enumeration
//! values, short payloads and trailing bytes.

use crate::cluster::node::Message;
use crate::cluster::record::{Authority, Health, Outcome, Phase, Record, ReplicaStatus, Role};
use crate::dist::frame::{kind, FrameError, Rd, Wr};

/// The frame kind and payload of `message`.
pub fn encode(message: &Message) -> (u8, Vec<u8>) {
    match message {
        Message::Authority(a) => (kind::AUTHORITY, authority(Wr::new(), *a).done()),
        Message::Prepare { request_id, record } => (
            kind::CONTINUITY_PREPARE,
            put_record(Wr::new().u64(*request_id), record).done(),
        ),
        Message::PrepareAck { request_id, result } => {
            let w = Wr::new().u64(*request_id);
            let w = match result {
                Ok(()) => w.u8(0),
                Err(reason) => w.u8(1).str(reason),
            };
            (kind::CONTINUITY_PREPARE_ACK, w.done())
        }
        Message::Upsert { watermark, record } => (
            kind::CONTINUITY_UPSERT,
            put_record(Wr::new().u64(*watermark), record).done(),
        ),
        Message::Sync { watermark, records } => {
            let mut w = Wr::new().u64(*watermark).u64(records.len() as u64);
            for r in records {
                w = put_record(w, r);
            }
            (kind::CONTINUITY_SYNC, w.done())
        }
        Message::SyncDone => (kind::SYNC_DONE, Vec::new()),
    }
}

/// The message of a continuity frame (`None`: not a continuity kind).
pub fn decode(k: u8, payload: &[u8]) -> Result<Option<Message>, FrameError> {
    let mut rd = Rd(payload);
    let message = match k {
        kind::AUTHORITY => Message::Authority(get_authority(&mut rd)?),
        kind::CONTINUITY_PREPARE => Message::Prepare {
            request_id: rd.u64()?,
            record: get_record(&mut rd)?,
        },
        kind::CONTINUITY_PREPARE_ACK => {
            let request_id = rd.u64()?;
            let result = match rd.u8()? {
                0 => Ok(()),
                1 => Err(rd.str()?.to_string()),
                _ => return Err(FrameError::Malformed),
            };
            Message::PrepareAck { request_id, result }
        }
        kind::CONTINUITY_UPSERT => Message::Upsert {
            watermark: rd.u64()?,
            record: get_record(&mut rd)?,
        },
        kind::CONTINUITY_SYNC => {
            let watermark = rd.u64()?;
            let count = rd.u64()?;
            // Each record takes well over one byte: a count beyond the payload is a lie.
            if count > payload.len() as u64 {
                return Err(FrameError::Malformed);
            }
            let mut records = Vec::with_capacity(count as usize);
            for _ in 0..count {
                records.push(get_record(&mut rd)?);
            }
            Message::Sync { watermark, records }
        }
        kind::SYNC_DONE => Message::SyncDone,
        _ => return Ok(None),
    };
    rd.end()?;
    Ok(Some(message))
}

fn authority(w: Wr, a: Authority) -> Wr {
    w.u8(match a.role {
        Role::Primary => 0,
        Role::Standby => 1,
    })
    .u64(a.epoch)
}

fn get_authority(rd: &mut Rd) -> Result<Authority, FrameError> {
    let role = match rd.u8()? {
        0 => Role::Primary,
        1 => Role::Standby,
        _ => return Err(FrameError::Malformed),
    };
    Ok(Authority {
        role,
        epoch: rd.u64()?,
    })
}

fn put_record(w: Wr, r: &Record) -> Wr {
    w.str(&r.request_key)
        .str(&r.payload_hash)
        .u64(r.attempt)
        .u8(r.phase as u8)
        .u8(r.result as u8)
        .str(&r.ingress_node)
        .str(&r.owner_node)
        .str(&r.replica_node)
        .u64(r.replication_count)
        .u8(r.replica_status as u8)
        .u8(r.cluster_role as u8)
        .u64(r.promotion_epoch)
        .u8(r.replication_health as u8)
        .str(&r.execution_node)
        .str(&r.declared_handler_runtime_name)
        .u8(u8::from(r.routed_remotely))
        .u8(u8::from(r.fell_back_locally))
        .str(&r.error)
        .u64(r.written_epoch)
        .u64(r.attempt_epoch)
        .u8(r.required_replicas)
}

fn pick<T: Copy>(values: &[T], index: u8) -> Result<T, FrameError> {
    values
        .get(usize::from(index))
        .copied()
        .ok_or(FrameError::Malformed)
}

fn get_bool(rd: &mut Rd) -> Result<bool, FrameError> {
    pick(&[false, true], rd.u8()?)
}

fn get_record(rd: &mut Rd) -> Result<Record, FrameError> {
    use Health as H;
    use ReplicaStatus as S;
    Ok(Record {
        request_key: rd.str()?.to_string(),
        payload_hash: rd.str()?.to_string(),
        attempt: rd.u64()?,
        phase: pick(
            &[Phase::Submitted, Phase::Completed, Phase::Rejected],
            rd.u8()?,
        )?,
        result: pick(
            &[Outcome::Pending, Outcome::Succeeded, Outcome::Rejected],
            rd.u8()?,
        )?,
        ingress_node: rd.str()?.to_string(),
        owner_node: rd.str()?.to_string(),
        replica_node: rd.str()?.to_string(),
        replication_count: rd.u64()?,
        replica_status: pick(
            &[
                S::Unassigned,
                S::Preparing,
                S::Mirrored,
                S::OwnerLost,
                S::DegradedContinuing,
                S::Rejected,
            ],
            rd.u8()?,
        )?,
        cluster_role: pick(&[Role::Primary, Role::Standby], rd.u8()?)?,
        promotion_epoch: rd.u64()?,
        replication_health: pick(
            &[H::LocalOnly, H::Healthy, H::Degraded, H::Unavailable],
            rd.u8()?,
        )?,
        execution_node: rd.str()?.to_string(),
        declared_handler_runtime_name: rd.str()?.to_string(),
        routed_remotely: get_bool(rd)?,
        fell_back_locally: get_bool(rd)?,
        error: rd.str()?.to_string(),
        written_epoch: rd.u64()?,
        attempt_epoch: rd.u64()?,
        required_replicas: pick(&[0, 1], rd.u8()?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            request_key: "startup::Work.add".into(),
            payload_hash: "startup-payload::Work.add".into(),
            attempt: 7,
            phase: Phase::Rejected,
            result: Outcome::Rejected,
            ingress_node: "a@127.0.0.1:4370".into(),
            owner_node: "a@127.0.0.1:4370".into(),
            replica_node: "b@[::1]:4370".into(),
            replication_count: 2,
            replica_status: ReplicaStatus::DegradedContinuing,
            cluster_role: Role::Standby,
            promotion_epoch: 3,
            replication_health: Health::Unavailable,
            execution_node: "b@[::1]:4370".into(),
            declared_handler_runtime_name: "Work.add".into(),
            routed_remotely: true,
            fell_back_locally: false,
            error: "owner_lost:a@127.0.0.1:4370".into(),
            written_epoch: 2,
            attempt_epoch: 1,
            required_replicas: 1,
        }
    }

    fn round_trip(m: Message) {
        let (k, payload) = encode(&m);
        assert_eq!(decode(k, &payload), Ok(Some(m)));
        // Every strict prefix is refused, never a panic or a different message.
        for cut in 0..payload.len() {
            assert!(decode(k, &payload[..cut]).is_err(), "prefix {cut} accepted");
        }
        let mut longer = payload.clone();
        longer.push(0);
        assert_eq!(decode(k, &longer), Err(FrameError::Malformed));
    }

    #[test]
    fn every_message_round_trips_with_every_record_field() {
        round_trip(Message::Authority(Authority {
            role: Role::Standby,
            epoch: 9,
        }));
        round_trip(Message::Prepare {
            request_id: 4,
            record: record(),
        });
        round_trip(Message::PrepareAck {
            request_id: 4,
            result: Ok(()),
        });
        round_trip(Message::PrepareAck {
            request_id: 5,
            result: Err("prepare_write_failed".into()),
        });
        round_trip(Message::Upsert {
            watermark: 8,
            record: record(),
        });
        let mut other = record();
        other.request_key = "http-route::Api.get::1".into();
        other.phase = Phase::Submitted;
        other.required_replicas = 0;
        round_trip(Message::Sync {
            watermark: 8,
            records: vec![record(), other],
        });
        round_trip(Message::Sync {
            watermark: 0,
            records: vec![],
        });
        let (k, payload) = encode(&Message::SyncDone);
        assert_eq!(decode(k, &payload), Ok(Some(Message::SyncDone)));
    }

    #[test]
    fn hostile_payloads_are_refused() {
        let (k, mut payload) = encode(&Message::Upsert {
            watermark: 1,
            record: record(),
        });
        // The phase byte of the record is out of range.
        let phase_at = 8 + 4 + record().request_key.len() + 4 + record().payload_hash.len() + 8;
        payload[phase_at] = 9;
        assert_eq!(decode(k, &payload), Err(FrameError::Malformed));
        let huge = Wr::new().u64(1).u64(u64::MAX).done();
        assert_eq!(
            decode(kind::CONTINUITY_SYNC, &huge),
            Err(FrameError::Malformed)
        );
        assert_eq!(decode(kind::PING, &[]), Ok(None));
    }
}
