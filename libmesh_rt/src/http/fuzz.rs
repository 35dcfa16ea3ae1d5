//! Property tests ("fuzzing") of the HTTP parsers and the connection state machine: whatever
//! the bytes, nothing panics, every connection ends closed, and the outcome does not depend on
//! how the bytes were split into reads.
//!
//! Generators: arbitrary bytes; "HTTP soup" (request-line and header fragments, CRLFs, digits,
//! invalid UTF-8) concatenated at random; and valid request sequences (pipelined, with bodies)
//! mutated by deleting, inserting, duplicating and replacing bytes. Generated valid requests
//! also round-trip through the parser. The client's response parser gets the same treatment.
//! `MESH_HTTP_FUZZ_CASES` sets the cases per property (default 256); see
//! `libmesh_rt/src/http/FUZZING.md` for the long run and for reproducing a failure.

use super::client::response::{parse_response, ClientEvent, ResponseParser};
use super::conn::tests::{transcript, End, Event};
use super::request::{parse_head, HeadParse};
use super::router::{MethodFilter, Router};
use super::Limits;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;

fn config() -> Config {
    let cases = std::env::var("MESH_HTTP_FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- generators

/// Valid pipelined request sequences the mutations start from.
const SEEDS: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    b"GET /items/7?x=1&y=%20 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
    b"POST /items HTTP/1.1\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n{\"a\":[1,2]}",
    b"PUT /u HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbodyGET /next HTTP/1.1\r\nConnection: close\r\n\r\n",
    b"GET /old HTTP/1.0\r\n\r\n",
    b"HEAD /h HTTP/1.1\r\n\r\nDELETE /d/1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
];

/// Response seeds for the client parser.
const RESPONSE_SEEDS: &[&[u8]] = &[
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nT: 1\r\n\r\n",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\nX: y\r\n\r\nuntil close",
    b"HTTP/1.1 204 No Content\r\n\r\n",
];

const SOUP: &[&[u8]] = &[
    b"GET",
    b"POST",
    b"HEAD",
    b" ",
    b"  ",
    b"/",
    b"/a",
    b"?",
    b"=",
    b"&",
    b"%2",
    b"%41",
    b"HTTP/1.1",
    b"HTTP/1.0",
    b"HTTP/2",
    b"\r\n",
    b"\n",
    b"\r",
    b":",
    b"Host: x",
    b"Content-Length: ",
    b"0",
    b"5",
    b"12",
    b"-1",
    b"Transfer-Encoding: chunked",
    b"Connection: close",
    b"Connection: keep-alive",
    b"Expect: 100-continue",
    b"\xff",
    b"\xc3",
    b"\0",
    b"\t",
    b"abcde",
    b"{}",
];

#[derive(Clone, Debug)]
enum Mutation {
    Delete(Index, usize),
    Insert(Index, Vec<u8>),
    Duplicate(Index, usize),
    Replace(Index, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 1..16usize).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<Index>(), 1..64usize).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        (any::<Index>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Replace(at, byte)),
    ]
}

fn mutate(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for mutation in mutations {
        let at = |index: &Index, len: usize| if len == 0 { 0 } else { index.index(len) };
        match mutation {
            Mutation::Delete(index, len) => {
                let start = at(index, bytes.len());
                let end = (start + len).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Insert(index, inserted) => {
                let start = at(index, bytes.len() + 1);
                bytes.splice(start..start, inserted.iter().copied());
            }
            Mutation::Duplicate(index, len) => {
                let start = at(index, bytes.len());
                let end = (start + len).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Mutation::Replace(index, byte) => {
                if !bytes.is_empty() {
                    let position = at(index, bytes.len());
                    bytes[position] = *byte;
                }
            }
        }
    }
    bytes
}

fn mutated(seeds: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(seeds),
        prop::collection::vec(mutation(), 0..6),
    )
        .prop_map(|(seed, mutations)| mutate(seed, &mutations))
}

fn soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(SOUP), 0..40).prop_map(|parts| parts.concat())
}

/// A mutated seed with a header padded to bring the head near the 8 KiB limit.
fn near_the_limit() -> impl Strategy<Value = Vec<u8>> {
    (mutated(SEEDS), 7_900..8_300usize, any::<Index>()).prop_map(|(bytes, pad, at)| {
        let line_end = bytes
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(0, |end| end + 1);
        let start = at.index(bytes.len() + 1).max(line_end).min(bytes.len());
        let header = format!("X-Pad: {}\r\n", "p".repeat(pad));
        let mut padded = bytes;
        padded.splice(start..start, header.into_bytes());
        padded
    })
}

/// Any of the request generators.
fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..600),
        3 => soup(),
        3 => mutated(SEEDS),
        1 => near_the_limit(),
    ]
}

/// Cuts `bytes` at the given points (sorted, deduplicated).
fn split<'a>(bytes: &'a [u8], cuts: &[Index]) -> Vec<&'a [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|cut| cut.index(bytes.len() + 1)).collect();
    points.sort_unstable();
    points.dedup();
    let mut chunks = Vec::new();
    let mut start = 0;
    for point in points.into_iter().chain([bytes.len()]) {
        chunks.push(&bytes[start..point]);
        start = point;
    }
    chunks
}

/// A transcript without `100 Continue`, whose presence depends on whether the body came in
/// the same read as the head.
fn final_events(chunks: &[&[u8]], end: End) -> Vec<Event> {
    transcript(chunks, end)
        .into_iter()
        .filter(|event| *event != Event::Continue)
        .collect()
}

/// Status, headers and body of a parsed response, or the error text.
type Outcome = Result<(u16, Vec<(String, String)>, Vec<u8>), String>;

/// The client parser fed in chunks, the connection closing after the last.
fn client_outcome(chunks: &[&[u8]]) -> Outcome {
    let mut parser = ResponseParser::new(false);
    let mut remaining = chunks.iter();
    let mut head = None;
    let mut body = Vec::new();
    loop {
        match parser.poll() {
            ClientEvent::Head(parsed) => head = Some((parsed.status, parsed.headers)),
            ClientEvent::Body(data) => body.extend(data),
            ClientEvent::Done { .. } => {
                let (status, headers) = head.ok_or("done without a head")?;
                return Ok((status, headers, body));
            }
            ClientEvent::NeedMore => match remaining.next() {
                Some(chunk) => parser.received(chunk),
                None => parser.peer_closed(),
            },
            ClientEvent::Error(error) => return Err(error.to_string()),
        }
    }
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config())]

    #[test]
    fn head_parser_never_panics_and_stays_in_bounds(bytes in request_bytes()) {
        match parse_head(&bytes, &Limits::DEFAULT) {
            HeadParse::Complete { head_len, head } => {
                prop_assert!(head_len <= bytes.len() && head_len <= Limits::DEFAULT.max_head_bytes);
                prop_assert!(head.headers().len() <= Limits::DEFAULT.max_headers);
                prop_assert!(head.content_length <= Limits::DEFAULT.max_body_bytes);
            }
            HeadParse::NeedMore => prop_assert!(bytes.len() < Limits::DEFAULT.max_head_bytes),
            HeadParse::Reject(reject) => prop_assert!([400, 411, 413, 431].contains(&reject.status())),
        }
    }

    #[test]
    fn connections_give_the_same_answers_however_reads_are_split(
        bytes in request_bytes(),
        cuts in prop::collection::vec(any::<Index>(), 0..10),
        silence in any::<bool>(),
    ) {
        let end = if silence { End::Silence } else { End::PeerClosed };
        let whole = final_events(&[&bytes], end);
        prop_assert_eq!(whole.last(), Some(&Event::Closed));
        let pieces = split(&bytes, &cuts);
        prop_assert_eq!(final_events(&pieces, end), whole);
    }

    #[test]
    fn byte_at_a_time_reads_match_one_read(bytes in mutated(SEEDS)) {
        let pieces: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(final_events(&pieces, End::PeerClosed), final_events(&[&bytes], End::PeerClosed));
    }

    #[test]
    fn generated_requests_round_trip(
        method in "[A-Z]{1,8}",
        segments in prop::collection::vec("[a-zA-Z0-9._~%-]{0,6}", 0..5),
        query in prop::option::of("[a-z0-9=&+%]{0,12}"),
        headers in prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,10}", "[ -~]{0,20}"), 0..8),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let path = format!("/{}", segments.join("/"));
        let target = match &query { Some(query) => format!("{path}?{query}"), None => path.clone() };
        let mut text = format!("{method} {target} HTTP/1.1\r\n");
        let headers: Vec<_> = headers.into_iter().filter(|(name, _)| !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("transfer-encoding")).collect();
        for (name, value) in &headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut bytes = text.into_bytes();
        bytes.extend(&body);
        let events = transcript(&[&bytes], End::PeerClosed);
        let Some(Event::Dispatched(request)) = events.iter().find(|event| matches!(event, Event::Dispatched(_))) else {
            return Err(TestCaseError::fail(format!("no request in {events:?}")));
        };
        prop_assert_eq!(&request.method(), &method);
        prop_assert_eq!(&request.path(), &path);
        prop_assert_eq!(request.query(), query.as_deref().unwrap_or(""));
        prop_assert_eq!(&request.body(), &String::from_utf8_lossy(&body));
        for (name, value) in &headers {
            let last = headers.iter().rev().find(|(other, _)| other.eq_ignore_ascii_case(name)).map(|(_, value)| value.trim());
            prop_assert_eq!(request.header(name), last, "header {} (set to {:?})", name, value);
        }
    }

    #[test]
    fn client_parser_gives_the_same_result_however_reads_are_split(
        bytes in prop_oneof![prop::collection::vec(any::<u8>(), 0..400), mutated(RESPONSE_SEEDS)],
        cuts in prop::collection::vec(any::<Index>(), 0..10),
    ) {
        let whole = client_outcome(&[&bytes]);
        prop_assert_eq!(client_outcome(&split(&bytes, &cuts)), whole.clone());
        let parsed = parse_response(&bytes, false).map(|response| response.status).map_err(|error| error.to_string());
        prop_assert_eq!(parsed, whole.map(|(status, _, _)| status));
    }

    #[test]
    fn router_never_panics_and_finds_exact_routes(
        patterns in prop::collection::vec("(/(:?[a-z]{0,3}|\\*)){0,4}", 0..6),
        path in "(/[a-z%0-9]{0,3}){0,5}",
    ) {
        let mut router: Router<usize, ()> = Router::new();
        for (index, pattern) in patterns.iter().enumerate() {
            router.add_route(MethodFilter::Any, pattern, index);
        }
        let _ = router.dispatch("GET", &path);
        let exact = Router::<usize, ()>::new().with_route(MethodFilter::Get, &path, 7);
        if !path.contains(':') && !path.ends_with("/*") {
            prop_assert_eq!(exact.dispatch("GET", &path).endpoint, super::router::Endpoint::Handler(&7));
        }
    }
}
