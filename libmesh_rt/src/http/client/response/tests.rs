//! Tests of the client's response parser.

use super::*;

fn parse(bytes: &[u8]) -> Result<ClientResponse, ResponseError> {
    parse_response(bytes, false)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// Feeds `bytes` in pieces of `piece` bytes and collects (head, body, reusable).
fn incremental(
    bytes: &[u8],
    piece: usize,
    close_at_end: bool,
) -> Result<(ResponseHead, Vec<u8>, bool), ResponseError> {
    let mut parser = ResponseParser::new(false);
    let mut pieces = bytes.chunks(piece.max(1));
    let mut head = None;
    let mut body = Vec::new();
    loop {
        match parser.poll() {
            ClientEvent::Head(parsed) => head = Some(parsed),
            ClientEvent::Body(data) => {
                assert!(!data.is_empty() && data.len() <= MAX_BODY_PIECE);
                body.extend(data);
            }
            ClientEvent::Done { reusable } => {
                return Ok((head.expect("a head before the end"), body, reusable))
            }
            ClientEvent::NeedMore => match pieces.next() {
                Some(next) => parser.received(next),
                None if close_at_end => parser.peer_closed(),
                None => panic!("the response is not complete"),
            },
            ClientEvent::Error(error) => return Err(error),
        }
    }
}

#[test]
fn content_length_bodies_are_read_exactly() {
    let response = parse(b"HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Thing:  a \r\n\r\nhello")
        .expect("valid");
    assert_eq!(response.status, 201);
    assert_eq!(
        response.headers,
        pairs(&[("content-length", "5"), ("x-thing", "a")])
    );
    assert_eq!(response.body, "hello");
    let (_, body, reusable) = incremental(
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcEXTRA",
        1,
        false,
    )
    .expect("valid");
    assert_eq!((body.as_slice(), reusable), (&b"abc"[..], true));
}

#[test]
fn header_names_are_lower_case_and_the_last_value_wins() {
    let response = parse(b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Y: 1\r\nset-cookie: b=2\r\nContent-Length: 0\r\n\r\n").expect("valid");
    assert_eq!(
        response.headers,
        pairs(&[("set-cookie", "b=2"), ("x-y", "1"), ("content-length", "0")])
    );
}

#[test]
fn chunked_bodies_are_decoded_whatever_the_split() {
    let bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n";
    for piece in [1, 3, 10, 1000] {
        let (head, body, reusable) = incremental(bytes, piece, false).expect("valid");
        assert_eq!(
            (head.status, body.as_slice(), reusable),
            (200, &b"Wikipedia"[..], true),
            "piece {piece}"
        );
    }
    let both = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n";
    assert_eq!(
        parse(both).map(|response| response.body),
        Ok("x".to_owned())
    );
}

#[test]
fn bodies_without_framing_run_until_close_and_are_not_reusable() {
    let (_, body, reusable) =
        incremental(b"HTTP/1.1 200 OK\r\n\r\nstream until close", 4, true).expect("valid");
    assert_eq!(
        (body.as_slice(), reusable),
        (&b"stream until close"[..], false)
    );
    let gzip = parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz").expect("valid");
    assert_eq!(gzip.body, "zz");
}

#[test]
fn large_bodies_come_in_8_kib_pieces() {
    let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 20_000));
    let mut parser = ResponseParser::new(false);
    parser.received(&bytes);
    assert!(matches!(parser.poll(), ClientEvent::Head(_)));
    let sizes: Vec<usize> = std::iter::from_fn(|| match parser.poll() {
        ClientEvent::Body(data) => Some(data.len()),
        _ => None,
    })
    .collect();
    assert_eq!(sizes, [8192, 8192, 3616]);
    assert_eq!(parser.poll(), ClientEvent::Done { reusable: true });
    assert_eq!(parser.leftover(), b"");
}

#[test]
fn interim_responses_are_skipped() {
    let response = parse(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").expect("valid");
    assert_eq!((response.status, response.body.as_str()), (200, "ok"));
}

#[test]
fn bodiless_responses_end_at_the_head() {
    for bytes in [
        &b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n"[..],
        b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
    ] {
        let (_, body, reusable) = incremental(bytes, 7, false).expect("valid");
        assert_eq!((body.len(), reusable), (0, true));
    }
    let mut parser = ResponseParser::new(true);
    parser.received(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
    assert!(matches!(parser.poll(), ClientEvent::Head(_)));
    assert_eq!(parser.poll(), ClientEvent::Done { reusable: true });
}

#[test]
fn reuse_needs_http11_and_no_connection_close() {
    let reusable = |bytes: &[u8]| incremental(bytes, 100, true).expect("valid").2;
    assert!(reusable(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(!reusable(
        b"HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n"
    ));
    assert!(!reusable(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(!reusable(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
    ));
}

#[test]
fn truncated_and_malformed_responses_are_errors() {
    let reason = |bytes: &[u8]| parse(bytes).map(|_| ()).map_err(|error| error.to_string());
    assert_eq!(
        reason(b""),
        Err("connection closed before a response".to_owned())
    );
    assert_eq!(
        reason(b"HTTP/1.1 200 OK\r\nContent"),
        Err("connection closed in the response head".to_owned())
    );
    assert_eq!(
        reason(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"),
        Err("connection closed before the end of the body".to_owned())
    );
    assert_eq!(
        reason(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
        Err("connection closed before the end of the body".to_owned())
    );
    assert_eq!(
        reason(b"SSH-2.0-OpenSSH\r\n\r\n"),
        Err("malformed response head".to_owned())
    );
    assert_eq!(
        reason(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"),
        Err("invalid Content-Length".to_owned())
    );
    assert_eq!(
        reason(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
        Err("conflicting Content-Length headers".to_owned())
    );
    let mut huge = b"HTTP/1.1 200 OK\r\n".to_vec();
    huge.extend(b"X: y\r\n".repeat(12_000));
    assert_eq!(reason(&huge), Err("response head too large".to_owned()));
    let mut parser = ResponseParser::new(false);
    parser.received(b"garbage\r\n\r\n");
    let first = parser.poll();
    assert_eq!(parser.poll(), first, "errors are sticky");
}

#[test]
fn bodies_decode_invalid_utf8_with_replacement_characters() {
    let response = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\na\xffb").expect("valid");
    assert_eq!(response.body, "a\u{FFFD}b");
}

#[test]
fn head_header_lookup_is_case_insensitive_and_takes_the_last() {
    let head = ResponseHead {
        status: 200,
        headers: pairs(&[("a", "1"), ("a", "2")]),
    };
    assert_eq!(head.header("A"), Some("2"));
    assert_eq!(head.header("b"), None);
}
