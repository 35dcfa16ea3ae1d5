//! Conversions between the compiler's view of a file (byte offsets, filesystem paths) and the
//! protocol's (`file://` URIs, zero-based line and UTF-16 column positions).

use lsp_types::{Position, Range, Uri};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The start of each line of a text, for offset ↔ position conversion.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of `pos`; a column past the end of its line is the line's end, a line
    /// past the end of the text is the text's end.
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= pos.character {
                return start + i;
            }
            units += to_u32(c.len_utf16());
        }
        end
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The filesystem path of a `file://` URI (percent-escapes decoded); `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path` is not ours; `file:///path` has an empty authority.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8_lossy(&out).into_owned()))
}

/// The `file://` URI of an absolute path, escaping what a URI path cannot hold.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "let é = \"😀x\"\nnext";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        // `let é = "` is 9 units, the emoji 2 more.
        assert_eq!(index.position(x), Position::new(0, 11));
        assert_eq!(index.offset(Position::new(0, 11)), x);
        assert_eq!(index.position(text.len()), Position::new(1, 4));
        assert_eq!(index.offset(Position::new(1, 99)), text.len());
        assert_eq!(
            index.offset(Position::new(0, 99)),
            text.find('\n').unwrap_or(0)
        );
    }

    #[test]
    fn uris_round_trip_with_escapes() {
        let path = Path::new("/tmp/my project/ä.mpl");
        let uri = path_to_uri(path).expect("valid uri");
        assert_eq!(uri.as_str(), "file:///tmp/my%20project/%C3%A4.mpl");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
    }
}
