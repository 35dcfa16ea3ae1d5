//! Tests of the connection state machine, and the driver the property tests share
//! (`transcript`): it plays the socket loop with an echoing handler.

use super::*;

/// What a driven connection did, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Dispatched(Request),
    Wrote(Vec<u8>),
    Continue,
    Closed,
}

/// How the input ends when the connection still wants to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum End {
    /// The peer closes its side.
    PeerClosed,
    /// Nothing more arrives; time passes beyond the idle deadline.
    Silence,
}

/// The handler every driven request gets: echoes method, path, query and body.
pub(crate) fn echo(request: &Request) -> Response {
    Response::new(
        200,
        format!(
            "{} {} ?{} [{}]",
            request.method(),
            request.path(),
            request.query(),
            request.body()
        ),
    )
}

/// The bytes of one response and what follows them.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outgoing {
    bytes: Vec<u8>,
    /// The connection closes after writing them.
    close: bool,
}

/// `Conn::respond` into a fresh buffer.
fn respond(conn: &mut Conn, response: &Response, date: Option<&str>, now: u64) -> Outgoing {
    let mut bytes = Vec::new();
    let close = conn.respond(response, date, now, &mut bytes);
    Outgoing { bytes, close }
}

/// Feeds `chunks` one read at a time (chunk `i` at time `i` ms) and answers each request with
/// `echo`, recording every event until the connection closes.
pub(crate) fn transcript(chunks: &[&[u8]], end: End) -> Vec<Event> {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    let mut events = Vec::new();
    for (index, chunk) in chunks.iter().enumerate() {
        let now = index as u64;
        conn.received(chunk, now);
        if drive(&mut conn, now, &mut events) {
            return events;
        }
    }
    let now = match end {
        End::PeerClosed => {
            conn.peer_closed();
            chunks.len() as u64
        }
        End::Silence => u64::MAX,
    };
    assert!(
        drive(&mut conn, now, &mut events),
        "the connection must close at the end: {events:?}"
    );
    events
}

/// Polls until the connection wants to read (false) or has closed (true).
fn drive(conn: &mut Conn, now: u64, events: &mut Vec<Event>) -> bool {
    loop {
        match conn.poll(now) {
            Action::Read { deadline_ms } => {
                assert!(deadline_ms > now, "a read deadline lies in the future");
                return false;
            }
            Action::Write(bytes) => {
                assert_eq!(bytes, response::CONTINUE);
                events.push(Event::Continue);
            }
            Action::Dispatch(request) => {
                assert_eq!(conn.poll(now), Action::AwaitResponse);
                let outgoing = respond(conn, &echo(&request), None, now);
                events.push(Event::Dispatched(request));
                events.push(Event::Wrote(outgoing.bytes));
                if outgoing.close {
                    events.push(Event::Closed);
                    return true;
                }
            }
            Action::AwaitResponse => panic!("the driver answers every request at once"),
            Action::WriteAndClose(bytes) => {
                events.push(Event::Wrote(bytes));
                events.push(Event::Closed);
                return true;
            }
            Action::Close => {
                events.push(Event::Closed);
                return true;
            }
        }
    }
}

/// The transcript rendered as text: `> METHOD path` for dispatches, `< ` + the response bytes.
fn render(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|event| match event {
            Event::Dispatched(request) => format!("> {} {}", request.method(), request.path()),
            Event::Wrote(bytes) => format!("< {}", String::from_utf8_lossy(bytes)),
            Event::Continue => "< 100 Continue".to_owned(),
            Event::Closed => "closed".to_owned(),
        })
        .collect()
}

fn ok(body: &str, close: bool) -> String {
    let connection = if close { "Connection: close\r\n" } else { "" };
    format!(
        "< HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n{connection}\r\n{body}",
        body.len()
    )
}

fn rejection(status: &str, body: &str) -> String {
    format!(
        "< HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn pipelined_requests_are_answered_in_order_on_one_connection() {
    let input = b"GET /a HTTP/1.1\r\n\r\nPOST /b?x=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\n\r\n";
    let events = transcript(&[input], End::PeerClosed);
    assert_eq!(
        render(&events),
        [
            "> GET /a".to_owned(),
            ok("GET /a ? []", false),
            "> POST /b".to_owned(),
            ok("POST /b ?x=1 [abc]", false),
            "> GET /c".to_owned(),
            ok("GET /c ? []", true),
            "closed".to_owned(),
        ]
    );
}

#[test]
fn keep_alive_connections_wait_for_the_next_request() {
    let mut conn = Conn::new(Limits::DEFAULT, 1_000);
    conn.received(b"GET / HTTP/1.1\r\n\r\n", 1_000);
    let Action::Dispatch(request) = conn.poll(1_000) else {
        panic!("expected a request")
    };
    assert_eq!(conn.poll(1_000), Action::AwaitResponse);
    let outgoing = respond(&mut conn, &echo(&request), None, 5_000);
    assert!(!outgoing.close);
    // The idle clock restarts when the response goes out.
    assert_eq!(
        conn.poll(6_000),
        Action::Read {
            deadline_ms: 35_000
        }
    );
    assert_eq!(conn.poll(35_000), Action::Close);
}

#[test]
fn a_body_shorter_than_its_length_waits_then_times_out() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    conn.received(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", 0);
    assert_eq!(
        conn.poll(0),
        Action::Read {
            deadline_ms: 30_000
        }
    );
    conn.received(b"def", 20_000);
    assert_eq!(
        conn.poll(20_000),
        Action::Read {
            deadline_ms: 50_000
        }
    );
    assert_eq!(
        conn.poll(49_999),
        Action::Read {
            deadline_ms: 50_000
        }
    );
    assert_eq!(conn.poll(50_000), Action::Close);
    assert_eq!(conn.poll(50_001), Action::Close);
}

#[test]
fn a_body_completed_later_is_dispatched_whole() {
    let events = transcript(
        &[
            b"POST /p HTTP/1.1\r\nContent-Length: 6\r\n\r\nab",
            b"cd",
            b"ef",
        ],
        End::PeerClosed,
    );
    assert_eq!(
        render(&events),
        [
            "> POST /p".to_owned(),
            ok("POST /p ? [abcdef]", false),
            "closed".to_owned()
        ]
    );
}

#[test]
fn an_idle_connection_without_any_request_is_closed_after_30_s() {
    let mut conn = Conn::new(Limits::DEFAULT, 7);
    assert_eq!(
        conn.poll(7),
        Action::Read {
            deadline_ms: 30_007
        }
    );
    assert_eq!(conn.poll(30_007), Action::Close);
    assert_eq!(transcript(&[], End::Silence), [Event::Closed]);
}

#[test]
fn a_partial_head_then_silence_closes_without_an_answer() {
    assert_eq!(
        transcript(&[b"GET / HTTP/1.1\r\nHost: x"], End::Silence),
        [Event::Closed]
    );
    assert_eq!(
        transcript(&[b"GET / HTTP/1.1\r\nHost: x"], End::PeerClosed),
        [Event::Closed]
    );
}

#[test]
fn too_many_headers_get_431_and_close() {
    let mut input = String::from("GET / HTTP/1.1\r\n");
    for index in 0..101 {
        input.push_str(&format!("H{index}: v\r\n"));
    }
    input.push_str("\r\n");
    let events = transcript(&[input.as_bytes()], End::PeerClosed);
    assert_eq!(
        render(&events),
        [
            rejection(
                "431 Request Header Fields Too Large",
                "Request Header Fields Too Large"
            ),
            "closed".to_owned()
        ]
    );
}

#[test]
fn an_oversized_head_gets_431_as_soon_as_8_kib_arrive() {
    let head = format!("GET / HTTP/1.1\r\nX-Big: {}", "a".repeat(10_000));
    let (first, second) = head.as_bytes().split_at(8_000);
    let events = transcript(&[first, second], End::Silence);
    assert_eq!(
        render(&events),
        [
            rejection(
                "431 Request Header Fields Too Large",
                "Request Header Fields Too Large"
            ),
            "closed".to_owned()
        ]
    );
}

#[test]
fn garbage_request_lines_get_400_and_close() {
    for input in [
        &b"HELLO\r\n\r\n"[..],
        b"GET / HTTP/1.1 extra\r\n\r\n",
        b"\0\0\0\0",
        b"GET /\xff\xfe HTTP/1.1\r\n\r\n",
    ] {
        let events = transcript(&[input], End::PeerClosed);
        assert_eq!(
            render(&events),
            [
                rejection("400 Bad Request", "Bad Request"),
                "closed".to_owned()
            ],
            "{input:?}"
        );
    }
}

#[test]
fn a_bad_request_after_a_good_one_is_answered_after_it() {
    let events = transcript(
        &[b"GET /ok HTTP/1.1\r\n\r\nnonsense\r\n\r\n"],
        End::PeerClosed,
    );
    assert_eq!(
        render(&events),
        [
            "> GET /ok".to_owned(),
            ok("GET /ok ? []", false),
            rejection("400 Bad Request", "Bad Request"),
            "closed".to_owned()
        ]
    );
}

#[test]
fn chunked_without_length_gets_411() {
    let events = transcript(
        &[b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"],
        End::PeerClosed,
    );
    assert_eq!(
        render(&events),
        [
            rejection("411 Length Required", "Length Required"),
            "closed".to_owned()
        ]
    );
}

#[test]
fn invalid_utf8_bodies_reach_the_handler_with_replacement_characters() {
    let events = transcript(
        &[b"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\na\xc3(b"],
        End::PeerClosed,
    );
    let Some(Event::Dispatched(request)) = events.first() else {
        panic!("expected a request: {events:?}")
    };
    assert_eq!(request.body(), "a\u{FFFD}(b");
}

#[test]
fn http10_requests_are_answered_then_closed() {
    let events = transcript(
        &[b"GET /old HTTP/1.0\r\n\r\nGET /more HTTP/1.0\r\n\r\n"],
        End::PeerClosed,
    );
    assert_eq!(
        render(&events),
        [
            "> GET /old".to_owned(),
            ok("GET /old ? []", true),
            "closed".to_owned()
        ]
    );
}

#[test]
fn head_requests_get_headers_only() {
    let events = transcript(&[b"HEAD /h HTTP/1.1\r\n\r\n"], End::PeerClosed);
    let expected = ok("HEAD /h ? []", false);
    let expected = expected
        .strip_suffix("HEAD /h ? []")
        .expect("the body ends the response");
    assert_eq!(render(&events), ["> HEAD /h", expected, "closed"]);
}

#[test]
fn expect_continue_gets_100_before_the_body_is_read() {
    let head = b"PUT /u HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
    let events = transcript(&[head, b"hi"], End::PeerClosed);
    assert_eq!(
        render(&events),
        [
            "< 100 Continue".to_owned(),
            "> PUT /u".to_owned(),
            ok("PUT /u ? [hi]", false),
            "closed".to_owned()
        ]
    );
    // A body that came with the head needs no interim response.
    let whole = [&head[..], b"hi"].concat();
    let events = transcript(&[&whole], End::PeerClosed);
    assert_eq!(
        render(&events),
        [
            "> PUT /u".to_owned(),
            ok("PUT /u ? [hi]", false),
            "closed".to_owned()
        ]
    );
}

#[test]
fn a_handler_asking_to_close_closes_the_connection() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    conn.received(b"GET / HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n", 0);
    assert!(matches!(conn.poll(0), Action::Dispatch(_)));
    let mut response = Response::new(200, "bye");
    response
        .headers
        .push(("Connection".to_owned(), "close".to_owned()));
    let outgoing = respond(&mut conn, &response, None, 0);
    assert!(outgoing.close);
    assert!(String::from_utf8_lossy(&outgoing.bytes).contains("\r\nConnection: close\r\n"));
    assert_eq!(conn.poll(0), Action::Close);
}

#[test]
fn a_panicking_handler_gets_500_and_the_connection_lives_on() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    conn.received(b"GET /boom HTTP/1.1\r\n\r\nGET /fine HTTP/1.1\r\n\r\n", 0);
    assert!(matches!(conn.poll(0), Action::Dispatch(_)));
    let outgoing = respond(
        &mut conn,
        &Response::internal_error(),
        Some(&response::http_date(0)),
        0,
    );
    assert_eq!(
        String::from_utf8_lossy(&outgoing.bytes),
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 21\r\n\
         Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n\r\nInternal Server Error"
    );
    assert!(!outgoing.close);
    let Action::Dispatch(request) = conn.poll(0) else {
        panic!("the next request follows")
    };
    assert_eq!(request.path(), "/fine");
}

#[test]
fn shutdown_finishes_the_request_in_flight_with_connection_close() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    conn.received(b"GET / HTTP/1.1\r\n\r\nGET /queued HTTP/1.1\r\n\r\n", 0);
    let Action::Dispatch(request) = conn.poll(0) else {
        panic!("expected a request")
    };
    conn.shutdown();
    let outgoing = respond(&mut conn, &echo(&request), None, 0);
    assert!(outgoing.close);
    assert!(String::from_utf8_lossy(&outgoing.bytes).contains("\r\nConnection: close\r\n"));
    assert_eq!(conn.poll(0), Action::Close);
}

#[test]
fn shutdown_closes_a_connection_between_requests() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    conn.received(b"GET / HTTP/1.1\r\nHo", 0);
    assert_eq!(
        conn.poll(0),
        Action::Read {
            deadline_ms: 30_000
        }
    );
    assert_eq!(conn.buffered(), 18);
    conn.shutdown();
    assert_eq!(conn.poll(1), Action::Close);
}

#[test]
fn a_handler_1xx_response_closes_the_connection() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    conn.received(b"GET / HTTP/1.1\r\n\r\n", 0);
    assert!(matches!(conn.poll(0), Action::Dispatch(_)));
    assert!(respond(&mut conn, &Response::new(103, ""), None, 0).close);
}

#[test]
fn responding_outside_a_request_closes() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    let outgoing = respond(&mut conn, &Response::new(200, ""), None, 0);
    assert_eq!(
        outgoing,
        Outgoing {
            bytes: Vec::new(),
            close: true
        }
    );
    assert_eq!(conn.poll(0), Action::Close);
    conn.received(b"GET / HTTP/1.1\r\n\r\n", 0);
    assert_eq!(conn.buffered(), 0);
}

#[test]
fn a_too_large_body_gets_413() {
    let events = transcript(
        &[b"POST / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n"],
        End::PeerClosed,
    );
    assert_eq!(
        render(&events),
        [
            rejection("413 Content Too Large", "Content Too Large"),
            "closed".to_owned()
        ]
    );
}

#[test]
fn a_pipelined_request_split_across_reads_follows_the_dispatched_ones() {
    let events = transcript(
        &[
            b"GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HT",
            b"TP/1.1\r\n\r\n",
        ],
        End::PeerClosed,
    );
    let paths: Vec<&str> = events
        .iter()
        .filter_map(|event| match event {
            Event::Dispatched(request) => Some(request.path()),
            _ => None,
        })
        .collect();
    assert_eq!(paths, ["/1", "/2", "/3"]);
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    conn.received(&b"GET / HTTP/1.1\r\n\r\n".repeat(500), 0);
    for remaining in (0..500).rev() {
        let Action::Dispatch(_) = conn.poll(0) else {
            panic!("500 pipelined requests")
        };
        assert!(!respond(&mut conn, &Response::new(204, ""), None, 0).close);
        assert_eq!(conn.buffered(), remaining * 18);
    }
    assert_eq!(
        conn.poll(0),
        Action::Read {
            deadline_ms: 30_000
        }
    );
}

#[test]
fn reads_land_in_place_and_the_room_grows_for_a_large_body() {
    let mut conn = Conn::new(Limits::DEFAULT, 0);
    // A pipelined pair: the first request, then the head of a POST whose body is larger
    // than the least room, arriving in reads the size of the room offered.
    let body = "b".repeat(3 * READ_ROOM + 5);
    let mut wire = b"GET /first HTTP/1.1\r\n\r\n".to_vec();
    wire.extend_from_slice(
        format!(
            "POST /big HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    wire.extend_from_slice(body.as_bytes());
    let mut sent = 0;
    let mut dispatched = Vec::new();
    let mut reads = 0;
    while dispatched.len() < 2 {
        match conn.poll(reads) {
            Action::Read { .. } => {
                let room = conn.read_room(0);
                assert!(room.len() >= READ_ROOM);
                let n = room.len().min(wire.len() - sent);
                room[..n].copy_from_slice(&wire[sent..sent + n]);
                conn.filled(n, reads);
                sent += n;
                reads += 1;
            }
            Action::Dispatch(request) => {
                dispatched.push((request.path().to_owned(), request.body().len()));
                assert!(!respond(&mut conn, &Response::new(200, "ok"), None, reads).close);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        dispatched,
        [("/first".to_owned(), 0), ("/big".to_owned(), body.len())]
    );
    assert_eq!(conn.buffered(), 0);
    assert!(
        reads <= 4,
        "{reads} reads: the room doubles as the body accumulates"
    );
}
