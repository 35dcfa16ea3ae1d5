//! Tests of the request-head parser and the §18.3 accessors.

use super::*;

fn parse(bytes: &[u8]) -> HeadParse {
    parse_head(bytes, &Limits::DEFAULT)
}

fn complete(bytes: &[u8]) -> (RequestHead, usize) {
    match parse(bytes) {
        HeadParse::Complete { head, head_len } => (head, head_len),
        other => panic!("expected a complete head, got {other:?}"),
    }
}

fn rejected(bytes: &[u8]) -> u16 {
    match parse(bytes) {
        HeadParse::Reject(reject) => reject.status(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn request_with_headers(count: usize) -> Vec<u8> {
    let mut text = String::from("GET / HTTP/1.1\r\n");
    for index in 0..count {
        text.push_str(&format!("X-H{index}: v\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

#[test]
fn simple_get_parses_method_path_query_and_headers() {
    let bytes = b"GET /items/7?x=1&y=2 HTTP/1.1\r\nHost: example\r\nX-Trace:  abc \t\r\n\r\nrest";
    let (head, head_len) = complete(bytes);
    assert_eq!(head_len, bytes.len() - 4);
    assert_eq!(head.method(), "GET");
    assert_eq!(head.path(), "/items/7");
    assert_eq!(head.query(), "x=1&y=2");
    assert_eq!(head.version, Version::Http11);
    assert_eq!(head.headers().get("x-trace"), Some("abc"));
    assert_eq!(head.headers().get("HOST"), Some("example"));
    assert_eq!(head.content_length, 0);
    assert!(head.keep_alive);
    assert!(!head.expects_continue);
}

#[test]
fn every_prefix_of_a_valid_head_needs_more() {
    let bytes = b"POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\n";
    for end in 0..bytes.len() {
        assert_eq!(
            parse(&bytes[..end]),
            HeadParse::NeedMore,
            "prefix of {end} bytes"
        );
    }
    assert_eq!(complete(bytes).0.content_length, 3);
}

#[test]
fn leading_empty_lines_are_skipped() {
    let (head, head_len) = complete(b"\r\n\r\nGET /x HTTP/1.1\r\n\r\n");
    assert_eq!(head.path(), "/x");
    assert_eq!(head_len, 23);
}

#[test]
fn malformed_request_lines_are_400() {
    for bytes in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET / FTP/1.1\r\n\r\n",
        b"G(T / HTTP/1.1\r\n\r\n",
        b" GET / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    ] {
        assert_eq!(rejected(bytes), 400, "{:?}", String::from_utf8_lossy(bytes));
    }
}

#[test]
fn invalid_utf8_in_the_path_is_400_and_in_header_values_is_replaced() {
    assert_eq!(rejected(b"GET /caf\xe9 HTTP/1.1\r\n\r\n"), 400);
    let (head, _) = complete(b"GET / HTTP/1.1\r\nX-Name: caf\xe9\r\n\r\n");
    assert_eq!(head.headers().get("x-name"), Some("caf\u{FFFD}"));
}

#[test]
fn one_hundred_headers_are_accepted_and_one_more_is_431() {
    let (head, _) = complete(&request_with_headers(100));
    assert_eq!(head.headers().len(), 100);
    assert_eq!(head.headers().get("x-h99"), Some("v"));
    assert_eq!(rejected(&request_with_headers(101)), 431);
}

#[test]
fn heads_with_more_headers_than_the_first_parse_has_room_for_parse_in_full() {
    // The first parse has room for 32 headers; 33 to 100 take the second one, complete or
    // not yet.
    for count in [31, 32, 33, 64, 100] {
        let bytes = request_with_headers(count);
        let (head, head_len) = complete(&bytes);
        assert_eq!((head.headers().len(), head_len), (count, bytes.len()));
        assert_eq!(head.headers().get(&format!("x-h{}", count - 1)), Some("v"));
        assert_eq!(parse(&bytes[..bytes.len() - 2]), HeadParse::NeedMore);
    }
}

#[test]
fn head_of_exactly_8_kib_is_accepted_and_one_byte_more_is_431() {
    let fixed = "GET / HTTP/1.1\r\nX-Pad: \r\n\r\n".len();
    let exact = format!(
        "GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(8192 - fixed)
    );
    assert_eq!(exact.len(), 8192);
    let (head, head_len) = complete(exact.as_bytes());
    assert_eq!(head_len, 8192);
    assert_eq!(
        head.headers().get("x-pad").map(str::len),
        Some(8192 - fixed)
    );
    let over = format!(
        "GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(8193 - fixed)
    );
    assert_eq!(rejected(over.as_bytes()), 431);
    // Unfinished oversized headers are refused as soon as the limit is reached.
    assert_eq!(rejected(&over.as_bytes()[..8192]), 431);
    assert_eq!(parse(&over.as_bytes()[..8191]), HeadParse::NeedMore);
}

#[test]
fn a_request_line_longer_than_the_head_limit_is_400() {
    let line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
    assert_eq!(rejected(line.as_bytes()), 400);
    assert_eq!(rejected(&[b'\r', b'\n'].repeat(5000)), 400);
}

#[test]
fn content_length_frames_the_body() {
    let (head, _) = complete(b"POST /a HTTP/1.1\r\ncontent-length: 12\r\n\r\n");
    assert_eq!(head.content_length, 12);
    let (head, _) = complete(b"POST /a HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n");
    assert_eq!(head.content_length, 5);
}

#[test]
fn bad_content_lengths_are_400_and_huge_ones_413() {
    for value in ["", "-1", "+5", "5a", "0x10", "1 2", "5, 5"] {
        let bytes = format!("POST / HTTP/1.1\r\nContent-Length: {value}\r\n\r\n");
        assert_eq!(rejected(bytes.as_bytes()), 400, "Content-Length: {value:?}");
    }
    assert_eq!(
        rejected(b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
        400
    );
    assert_eq!(
        rejected(b"POST / HTTP/1.1\r\nContent-Length: 16777217\r\n\r\n"),
        413
    );
    assert_eq!(
        rejected(b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
        413
    );
    let (head, _) = complete(b"POST / HTTP/1.1\r\nContent-Length: 16777216\r\n\r\n");
    assert_eq!(head.content_length, 16_777_216);
}

#[test]
fn transfer_encoding_without_length_is_411_and_with_length_400() {
    assert_eq!(
        rejected(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
        411
    );
    assert_eq!(
        rejected(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        411
    );
    assert_eq!(
        rejected(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"),
        400
    );
}

#[test]
fn keep_alive_follows_version_and_connection_header() {
    assert!(
        complete(b"GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n")
            .0
            .keep_alive
    );
    assert!(
        !complete(b"GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")
            .0
            .keep_alive
    );
    assert!(
        !complete(b"GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n")
            .0
            .keep_alive
    );
    assert!(!complete(b"GET / HTTP/1.0\r\n\r\n").0.keep_alive);
    assert!(
        !complete(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .0
            .keep_alive
    );
}

#[test]
fn expect_continue_is_noted_only_for_http11_requests_with_a_body() {
    let with_body = b"POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n";
    assert!(complete(with_body).0.expects_continue);
    assert!(
        !complete(b"POST / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n")
            .0
            .expects_continue
    );
    assert!(
        !complete(b"POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
            .0
            .expects_continue
    );
}

#[test]
fn absolute_form_targets_are_reduced_to_their_path() {
    assert_eq!(
        complete(b"GET http://h:1/a/b?c=d HTTP/1.1\r\n\r\n")
            .0
            .path(),
        "/a/b"
    );
    let (head, _) = complete(b"GET HTTPS://h?q=1 HTTP/1.1\r\n\r\n");
    assert_eq!((head.path(), head.query()), ("/", "q=1"));
    assert_eq!(complete(b"OPTIONS * HTTP/1.1\r\n\r\n").0.path(), "*");
    assert_eq!(complete(b"GET /a?b?c HTTP/1.1\r\n\r\n").0.query(), "b?c");
}

#[test]
fn request_accessors_follow_section_18_3() {
    let bytes = b"POST /p?name=J%C3%BCrgen+X&flag&n=1&n=2 HTTP/1.1\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 3\r\n\r\n";
    let (head, head_len) = complete(bytes);
    assert_eq!(head_len, bytes.len());
    let mut request = Request::new(head, b"a\xffb");
    request.params.push(("id".to_owned(), "7".to_owned()));
    assert_eq!(request.method(), "POST");
    assert_eq!(request.path(), "/p");
    assert_eq!(request.body(), "a\u{FFFD}b");
    assert_eq!(request.header("X-A"), Some("2"));
    assert_eq!(request.header("missing"), None);
    assert_eq!(request.query_param("name").as_deref(), Some("Jürgen X"));
    assert_eq!(request.query_param("flag"), None);
    assert_eq!(request.query_param("n").as_deref(), Some("2"));
    assert_eq!(request.param("id"), Some("7"));
    assert_eq!(request.param("other"), None);
}

#[test]
fn headers_keep_their_order_and_name_case_with_trimmed_values() {
    let (head, _) = complete(b"GET / HTTP/1.1\r\nA: \t x \r\nb:y\r\nA:  \r\n\r\n");
    let headers = head.headers();
    assert_eq!(headers.get("a"), Some(""));
    assert_eq!(headers.get_all("a").collect::<Vec<_>>(), ["x", ""]);
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [("A", "x"), ("b", "y"), ("A", "")]
    );
    assert_eq!(headers.at(1), Some(("b", "y")));
    assert_eq!(headers.at(3), None);
    assert!(!headers.is_empty());
    let (bare, _) = complete(b"GET / HTTP/1.1\r\n\r\n");
    assert!(bare.headers().is_empty());
}

#[test]
fn a_request_keeps_its_head_parts_and_body_in_one_text() {
    let bytes =
        b"PUT /a/b?x=%20 HTTP/1.1\r\nHost: h\r\nX-Bin: \xff\xfe\r\nContent-Length: 4\r\n\r\n";
    let (head, _) = complete(bytes);
    let request = Request::new(head, b"b\xc3\xa9!");
    assert_eq!(
        (request.method(), request.path(), request.query()),
        ("PUT", "/a/b", "x=%20")
    );
    assert_eq!(request.header("x-bin"), Some("\u{FFFD}\u{FFFD}"));
    assert_eq!(request.header("content-length"), Some("4"));
    assert_eq!(request.body(), "b\u{e9}!");
    assert_eq!(request.version, Version::Http11);
}

#[test]
fn limits_other_than_the_spec_are_honoured() {
    let many = Limits {
        max_headers: 200,
        max_head_bytes: 64 * 1024,
        ..Limits::DEFAULT
    };
    assert!(matches!(
        parse_head(&request_with_headers(150), &many),
        HeadParse::Complete { .. }
    ));
    assert_eq!(
        parse_head(&request_with_headers(201), &many),
        HeadParse::Reject(Reject::HeaderFieldsTooLarge)
    );
    let few = Limits {
        max_headers: 2,
        ..Limits::DEFAULT
    };
    assert_eq!(
        parse_head(&request_with_headers(3), &few),
        HeadParse::Reject(Reject::HeaderFieldsTooLarge)
    );
    let small_bodies = Limits {
        max_body_bytes: 4,
        ..Limits::DEFAULT
    };
    let five = b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n";
    assert_eq!(
        parse_head(five, &small_bodies),
        HeadParse::Reject(Reject::PayloadTooLarge)
    );
}
