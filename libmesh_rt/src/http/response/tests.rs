//! Tests of response encoding, reason phrases, dates and log lines (§18.5).

use super::*;

fn encoded(response: &Response, framing: &Framing<'_>) -> String {
    let mut out = Vec::new();
    encode(response, framing, &mut out);
    String::from_utf8(out).expect("responses are built from strings")
}

fn with_headers(status: u16, body: &str, headers: &[(&str, &str)]) -> Response {
    let headers = headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    Response {
        status,
        body: body.to_owned(),
        headers,
    }
}

#[test]
fn a_plain_response_carries_the_default_headers() {
    let text = encoded(&Response::new(200, "{\"ok\":true}"), &Framing::default());
    assert_eq!(
        text,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"
    );
}

#[test]
fn closing_and_date_are_written_after_the_length() {
    let date = http_date(784_111_777);
    let framing = Framing {
        close: true,
        head_request: false,
        date: Some(&date),
    };
    let text = encoded(&Response::new(201, "x"), &framing);
    assert_eq!(
        text,
        "HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 1\r\n\
         Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\n\r\nx"
    );
}

#[test]
fn user_headers_follow_the_defaults_and_content_type_replaces_the_default() {
    let response = with_headers(
        200,
        "<p>",
        &[
            ("X-One", "1"),
            ("content-TYPE", "text/html"),
            ("X-Two", "2"),
        ],
    );
    let text = encoded(&response, &Framing::default());
    assert_eq!(
        text,
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-One: 1\r\ncontent-TYPE: text/html\r\nX-Two: 2\r\n\r\n<p>"
    );
}

#[test]
fn server_owned_and_unsafe_user_headers_are_not_written() {
    let response = with_headers(
        200,
        "ok",
        &[
            ("Content-Length", "999"),
            ("Transfer-Encoding", "chunked"),
            ("Connection", "keep-alive"),
            ("X-Split", "a\r\nSet-Cookie: evil=1"),
            ("Bad Name", "x"),
            ("", "x"),
            ("X-Nul", "a\0b"),
            ("X-Fine", "fine"),
        ],
    );
    let text = encoded(&response, &Framing::default());
    assert_eq!(
        text,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 2\r\nX-Fine: fine\r\n\r\nok"
    );
}

#[test]
fn a_user_date_replaces_the_server_date() {
    let framing = Framing {
        date: Some("server"),
        ..Framing::default()
    };
    let text = encoded(&with_headers(200, "", &[("Date", "mine")]), &framing);
    assert!(!text.contains("server"), "{text}");
    assert!(text.contains("\r\nDate: mine\r\n"), "{text}");
}

#[test]
fn head_requests_get_the_length_but_no_body() {
    let framing = Framing {
        head_request: true,
        ..Framing::default()
    };
    let text = encoded(&Response::new(200, "hello"), &framing);
    assert_eq!(text, "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 5\r\n\r\n");
}

#[test]
fn bodiless_statuses_write_no_body() {
    let text = encoded(&Response::new(204, "ignored"), &Framing::default());
    assert_eq!(text, "HTTP/1.1 204 No Content\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 0\r\n\r\n");
    let text = encoded(&Response::new(304, "etag"), &Framing::default());
    assert_eq!(text, "HTTP/1.1 304 Not Modified\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 4\r\n\r\n");
}

#[test]
fn unregistered_statuses_get_an_empty_reason() {
    let text = encoded(&Response::new(599, "x"), &Framing::default());
    assert!(text.starts_with("HTTP/1.1 599 \r\n"), "{text}");
    assert_eq!(reason_phrase(999), "");
}

#[test]
fn reason_phrases_match_the_spec_list() {
    let spec = [
        (200, "OK"),
        (201, "Created"),
        (202, "Accepted"),
        (204, "No Content"),
        (301, "Moved Permanently"),
        (302, "Found"),
        (400, "Bad Request"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (405, "Method Not Allowed"),
        (411, "Length Required"),
        (429, "Too Many Requests"),
        (431, "Request Header Fields Too Large"),
        (500, "Internal Server Error"),
        (503, "Service Unavailable"),
    ];
    for (status, phrase) in spec {
        assert_eq!(reason_phrase(status), phrase);
    }
    assert_eq!(reason_phrase(418), "I'm a teapot");
}

#[test]
fn statuses_are_validated_only_against_100_to_999() {
    assert_eq!(valid_status(100), Some(100));
    assert_eq!(valid_status(999), Some(999));
    assert_eq!(valid_status(99), None);
    assert_eq!(valid_status(1000), None);
    assert_eq!(valid_status(-200), None);
    assert_eq!(valid_status(i64::from(u16::MAX) + 200), None);
}

#[test]
fn built_in_responses_have_the_spec_bodies() {
    assert_eq!(Response::not_found(), Response::new(404, "Not Found"));
    assert_eq!(
        Response::internal_error(),
        Response::new(500, "Internal Server Error")
    );
    assert_eq!(
        Response::rejection(431),
        Response::new(431, "Request Header Fields Too Large")
    );
}

#[test]
fn asks_to_close_reads_the_connection_header_tokens() {
    assert!(with_headers(200, "", &[("connection", "Close")]).asks_to_close());
    assert!(with_headers(200, "", &[("Connection", "upgrade, close")]).asks_to_close());
    assert!(!with_headers(200, "", &[("Connection", "keep-alive")]).asks_to_close());
    assert!(!Response::new(200, "").asks_to_close());
}

#[test]
fn http_dates_are_imf_fixdates() {
    assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    assert_eq!(http_date(1_798_761_599), "Thu, 31 Dec 2026 23:59:59 GMT");
    assert_eq!(http_date(4_107_542_400), "Mon, 01 Mar 2100 00:00:00 GMT");
}

#[test]
fn log_lines_are_exactly_the_spec_text() {
    assert_eq!(
        listening_line(8080),
        "[mesh-rt] HTTP server listening on [::]:8080"
    );
    assert_eq!(
        bind_failure_line(80, "Address already in use (os error 98)"),
        "[mesh-rt] Failed to start HTTP server on [::]:80: Address already in use (os error 98)"
    );
}

#[test]
fn lengths_and_statuses_are_written_in_decimal() {
    for (status, length) in [
        (100, 0),
        (200, 7),
        (404, 10),
        (599, 1_234_567),
        (999, 20_000_000),
    ] {
        let text = encoded(
            &Response::new(status, "x".repeat(length)),
            &Framing::default(),
        );
        let head = format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status));
        assert!(text.starts_with(&head), "{head}");
        let sent = if status < 200 { 0 } else { length };
        assert!(
            text.contains(&format!("\r\nContent-Length: {sent}\r\n")),
            "{status}"
        );
    }
}
