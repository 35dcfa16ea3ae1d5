use super::*;
use proptest::prelude::*;

#[test]
fn frames_round_trip_split_anywhere() {
    let mut wire = Vec::new();
    encode(&mut wire, kind::SEND, b"hello", None);
    encode(&mut wire, kind::PING, &[], None);
    for split in 0..wire.len() {
        let mut r = FrameReader::new(SESSION_LIMIT);
        r.feed(&wire[..split]);
        let mut got = Vec::new();
        while let Some(f) = r.next_frame().expect("valid") {
            got.push(f);
        }
        r.feed(&wire[split..]);
        while let Some(f) = r.next_frame().expect("valid") {
            got.push(f);
        }
        assert_eq!(
            got,
            vec![(kind::SEND, b"hello".to_vec()), (kind::PING, vec![])]
        );
    }
}

#[test]
fn oversized_and_empty_frames_are_errors() {
    let mut r = FrameReader::new(HANDSHAKE_LIMIT);
    r.feed(&(HANDSHAKE_LIMIT as u32 + 1).to_be_bytes());
    assert_eq!(
        r.next_frame(),
        Err(FrameError::TooLarge(HANDSHAKE_LIMIT + 1))
    );
    let mut r = FrameReader::new(HANDSHAKE_LIMIT);
    r.feed(&[0, 0, 0, 0]);
    assert_eq!(r.next_frame(), Err(FrameError::Malformed));
}

#[test]
fn tags_bind_key_direction_sequence_and_content() {
    let frames = |key: &[u8], dir: u8| {
        let mut m = MacState::new(key, dir);
        let mut wire = Vec::new();
        encode(&mut wire, kind::SEND, b"a", Some(&mut m));
        encode(&mut wire, kind::SEND, b"b", Some(&mut m));
        wire
    };
    let read_all = |wire: &[u8], key: &[u8], dir: u8| {
        let mut r = FrameReader::new(SESSION_LIMIT);
        r.mac = Some(MacState::new(key, dir));
        r.feed(wire);
        let mut out = Vec::new();
        loop {
            match r.next_frame() {
                Ok(Some(f)) => out.push(f.1),
                Ok(None) => return Ok(out),
                Err(e) => return Err(e),
            }
        }
    };
    let wire = frames(b"k1", 0);
    assert_eq!(
        read_all(&wire, b"k1", 0),
        Ok(vec![b"a".to_vec(), b"b".to_vec()])
    );
    assert_eq!(read_all(&wire, b"k2", 0), Err(FrameError::AuthFailed));
    assert_eq!(read_all(&wire, b"k1", 1), Err(FrameError::AuthFailed));
    // A replayed or dropped frame breaks the sequence.
    let first = 4 + 1 + 1 + TAG_LEN;
    let mut replay = wire[..first].to_vec();
    replay.extend_from_slice(&wire[..first]);
    assert_eq!(read_all(&replay, b"k1", 0), Err(FrameError::AuthFailed));
    assert_eq!(
        read_all(&wire[first..], b"k1", 0),
        Err(FrameError::AuthFailed)
    );
    let mut flipped = wire.clone();
    flipped[5] ^= 1;
    assert_eq!(read_all(&flipped, b"k1", 0), Err(FrameError::AuthFailed));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Arbitrary bytes, fed in arbitrary pieces, never panic the decoder; every frame it
    /// returns respects the limit.
    #[test]
    fn decoder_survives_any_input(data in proptest::collection::vec(any::<u8>(), 0..2048), cut in 0usize..2048, mac in any::<bool>()) {
        let mut r = FrameReader::new(HANDSHAKE_LIMIT);
        if mac {
            r.mac = Some(MacState::new(b"key", 0));
        }
        let cut = cut.min(data.len());
        for piece in [&data[..cut], &data[cut..]] {
            r.feed(piece);
            while let Ok(Some((_, payload))) = r.next_frame() {
                prop_assert!(payload.len() < HANDSHAKE_LIMIT);
            }
        }
        // Field readers on arbitrary payloads fail cleanly.
        let mut rd = Rd(&data);
        let _ = (rd.u8(), rd.str(), rd.u64(), rd.bytes(), rd.end());
    }
}

/// Frames read through `fill` (the socket writes into the reader's own buffer) in pieces of
/// every size come out whole and in order, large ones included, and the buffer offers room
/// for the rest of a large frame at once (more than the usual 64 KiB).
#[test]
fn fill_reads_in_place_and_hands_out_whole_frames() {
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let mut send = MacState::new(b"k", 0);
    let mut wire = Vec::new();
    encode(&mut wire, kind::SEND, b"small", Some(&mut send));
    encode(&mut wire, kind::SEND, &big, Some(&mut send));
    encode(&mut wire, kind::PING, &[], Some(&mut send));
    for piece in [1, 7, 4096, 65_536, 300_000] {
        let mut r = FrameReader::new(SESSION_LIMIT);
        r.mac = Some(MacState::new(b"k", 0));
        let mut at = 0;
        let mut got: Vec<(u8, Vec<u8>)> = Vec::new();
        let mut largest_room = 0;
        while at < wire.len() {
            let n = r
                .fill(|room: &mut [u8]| -> Result<usize, ()> {
                    largest_room = largest_room.max(room.len());
                    let n = piece.min(room.len()).min(wire.len() - at);
                    room[..n].copy_from_slice(&wire[at..at + n]);
                    Ok(n)
                })
                .expect("fill");
            at += n;
            while let Some((k, p)) = r.next_frame_ref().expect("valid") {
                got.push((k, p.to_vec()));
            }
        }
        assert_eq!(
            got,
            vec![
                (kind::SEND, b"small".to_vec()),
                (kind::SEND, big.clone()),
                (kind::PING, vec![])
            ],
            "pieces of {piece}"
        );
        assert!(largest_room > 100_000, "room {largest_room}");
    }
}

/// A frame written around its payload (the gathered write) is byte for byte the frame
/// `encode` makes, tag included.
#[test]
fn encode_around_splices_to_the_same_bytes() {
    let payload: Vec<u8> = (0..20_000u32).map(|i| i as u8).collect();
    let (mut a, mut b) = (MacState::new(b"key", 1), MacState::new(b"key", 1));
    let mut whole = Vec::new();
    encode(&mut whole, kind::SEND, b"first", Some(&mut a));
    encode(&mut whole, kind::SEND, &payload, Some(&mut a));
    let mut around = Vec::new();
    encode(&mut around, kind::SEND, b"first", Some(&mut b));
    let at = encode_around(&mut around, kind::SEND, &payload, Some(&mut b));
    let mut spliced = around[..at].to_vec();
    spliced.extend_from_slice(&payload);
    spliced.extend_from_slice(&around[at..]);
    assert_eq!(spliced, whole);
}
