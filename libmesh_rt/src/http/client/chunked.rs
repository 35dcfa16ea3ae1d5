//! The chunked transfer coding of response bodies (RFC 9112 §7.1), decoded incrementally from
//! the front of the client's buffer. Chunk extensions are ignored and trailers skipped; size
//! lines and trailers are bounded so a hostile server cannot grow the buffer without end.

/// Longest chunk-size line (with extensions) accepted.
const MAX_LINE: usize = 4096;
/// Most trailer bytes accepted after the last chunk.
const MAX_TRAILERS: usize = 8192;

/// Where the decoder is in the body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ChunkedDecoder {
    state: State,
    trailer_bytes: usize,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    #[default]
    Size,
    Data(u64),
    DataEnd,
    Trailer,
    Done,
}

/// One decoding step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChunkStep {
    /// Body bytes (never empty, at most the requested maximum).
    Data(Vec<u8>),
    NeedMore,
    /// The last chunk and the trailers have been read.
    Done,
    Error(&'static str),
}

impl ChunkedDecoder {
    /// Consumes what it can from the front of `buffer`, returning at most `max` body bytes.
    pub(crate) fn step(&mut self, buffer: &mut Vec<u8>, max: usize) -> ChunkStep {
        loop {
            match self.state {
                State::Size => {
                    let Some(line) = take_line(buffer, MAX_LINE) else {
                        return if buffer.len() > MAX_LINE {
                            ChunkStep::Error("chunk size line too long")
                        } else {
                            ChunkStep::NeedMore
                        };
                    };
                    let Some(size) = chunk_size(&line) else {
                        return ChunkStep::Error("invalid chunk size");
                    };
                    self.state = if size == 0 {
                        State::Trailer
                    } else {
                        State::Data(size)
                    };
                }
                State::Data(remaining) => {
                    let available = buffer.len().min(max);
                    let take = usize::try_from(remaining)
                        .map_or(available, |remaining| remaining.min(available));
                    if take == 0 {
                        return ChunkStep::NeedMore;
                    }
                    let data: Vec<u8> = buffer.drain(..take).collect();
                    let left = remaining - take as u64;
                    self.state = if left == 0 {
                        State::DataEnd
                    } else {
                        State::Data(left)
                    };
                    return ChunkStep::Data(data);
                }
                State::DataEnd => match buffer.as_slice() {
                    [] | [b'\r'] => return ChunkStep::NeedMore,
                    [b'\r', b'\n', ..] => {
                        buffer.drain(..2);
                        self.state = State::Size;
                    }
                    [b'\n', ..] => {
                        buffer.drain(..1);
                        self.state = State::Size;
                    }
                    _ => return ChunkStep::Error("missing line break after chunk data"),
                },
                State::Trailer => {
                    let limit = MAX_TRAILERS.saturating_sub(self.trailer_bytes);
                    let Some(line) = take_line(buffer, limit) else {
                        return if buffer.len() > limit {
                            ChunkStep::Error("trailers too large")
                        } else {
                            ChunkStep::NeedMore
                        };
                    };
                    self.trailer_bytes += line.len() + 1;
                    if line.is_empty() || line == b"\r" {
                        self.state = State::Done;
                    }
                }
                State::Done => return ChunkStep::Done,
            }
        }
    }
}

/// Removes and returns the first line (without its `\n`) if it ends within `limit` bytes.
fn take_line(buffer: &mut Vec<u8>, limit: usize) -> Option<Vec<u8>> {
    let end = buffer
        .iter()
        .take(limit.saturating_add(1))
        .position(|&byte| byte == b'\n')?;
    let mut line: Vec<u8> = buffer.drain(..=end).collect();
    line.pop();
    Some(line)
}

/// The hex size before any `;extension`, surrounded by optional spaces and tabs.
fn chunk_size(line: &[u8]) -> Option<u64> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let digits = line.split(|&byte| byte == b';').next()?;
    let digits = std::str::from_utf8(digits).ok()?.trim_matches([' ', '\t']);
    if digits.is_empty()
        || digits.len() > 16
        || !digits.bytes().all(|byte| byte.is_ascii_hexdigit())
    {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `input` fed in pieces of `piece` bytes; returns the body or the error.
    fn decode(input: &[u8], piece: usize, max: usize) -> Result<Vec<u8>, &'static str> {
        let mut decoder = ChunkedDecoder::default();
        let mut buffer = Vec::new();
        let mut body = Vec::new();
        let mut pieces = input.chunks(piece.max(1));
        loop {
            match decoder.step(&mut buffer, max) {
                ChunkStep::Data(data) => {
                    assert!(!data.is_empty() && data.len() <= max);
                    body.extend(data);
                }
                ChunkStep::NeedMore => match pieces.next() {
                    Some(next) => buffer.extend_from_slice(next),
                    None => return Err("truncated"),
                },
                ChunkStep::Done => return Ok(body),
                ChunkStep::Error(reason) => return Err(reason),
            }
        }
    }

    #[test]
    fn chunks_are_joined_whatever_the_piece_size() {
        let input = b"5\r\nhello\r\n1;ext=1\r\n \r\nB\r\nworld, etc.\r\n0\r\nX-Trailer: 1\r\n\r\n";
        for piece in [1, 2, 3, 7, 100] {
            assert_eq!(
                decode(input, piece, 8192),
                Ok(b"hello world, etc.".to_vec()),
                "piece {piece}"
            );
        }
        assert_eq!(decode(input, 100, 2), Ok(b"hello world, etc.".to_vec()));
    }

    #[test]
    fn bare_line_feeds_are_accepted() {
        assert_eq!(decode(b"3\nabc\n0\n\n", 1, 10), Ok(b"abc".to_vec()));
    }

    #[test]
    fn malformed_chunks_are_errors() {
        assert_eq!(decode(b"zz\r\n", 10, 10), Err("invalid chunk size"));
        assert_eq!(decode(b"\r\n", 10, 10), Err("invalid chunk size"));
        assert_eq!(
            decode(b"11111111111111111\r\n", 100, 10),
            Err("invalid chunk size")
        );
        assert_eq!(
            decode(b"3\r\nabcX\r\n", 10, 10),
            Err("missing line break after chunk data")
        );
        assert_eq!(
            decode(&[b'1'; 5000], 5000, 10),
            Err("chunk size line too long")
        );
        let mut trailers = b"0\r\n".to_vec();
        trailers.extend(b"X: y\r\n".repeat(2000));
        assert_eq!(decode(&trailers, 100, 10), Err("trailers too large"));
        assert_eq!(decode(b"5\r\nab", 1, 10), Err("truncated"));
    }

    #[test]
    fn a_huge_declared_chunk_streams_what_arrives() {
        let mut decoder = ChunkedDecoder::default();
        let mut buffer = b"FFFFFFFFFFFFFFFF\r\nabc".to_vec();
        assert_eq!(
            decoder.step(&mut buffer, 8192),
            ChunkStep::Data(b"abc".to_vec())
        );
        assert_eq!(decoder.step(&mut buffer, 8192), ChunkStep::NeedMore);
    }
}
