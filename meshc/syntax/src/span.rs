//! Source files and byte spans. A span is (FileId, start, end) in bytes; line and column are
//! computed only when a diagnostic is rendered.

use std::sync::OnceLock;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `[start, end)` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (relative to where meshc was invoked when possible).
    pub path: String,
    pub text: String,
    /// Module name derived from the path (`api/router.mpl` → `Api.Router`).
    pub module: String,
    line_starts: Vec<usize>,
    /// The text indexed by line for the diagnostic renderer, built on first use: building it
    /// per diagnostic would make rendering many diagnostics of a large file quadratic.
    excerpt: OnceLock<ariadne::Source<String>>,
}

impl SourceFile {
    pub fn new(
        path: impl Into<String>,
        module: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        SourceFile {
            path: path.into(),
            text,
            module: module.into(),
            line_starts,
            excerpt: OnceLock::new(),
        }
    }

    /// The renderer's view of the text (see `excerpt`).
    pub(crate) fn excerpt(&self) -> &ariadne::Source<String> {
        self.excerpt
            .get_or_init(|| ariadne::Source::from(self.text.clone()))
    }

    /// 1-based line and column (column counted in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// All files of one compilation.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(u32::try_from(self.files.len() - 1).expect("fewer than 2^32 source files"))
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Replaces the text of file `id` (an editor's unsaved buffer), keeping its id, path and
    /// module name.
    pub fn set_text(&mut self, id: FileId, text: impl Into<String>) {
        let file = &mut self.files[id.0 as usize];
        *file = SourceFile::new(std::mem::take(&mut file.path), file.module.clone(), text);
    }

    /// The file whose path (as shown to the user) is `path`.
    pub fn find(&self, path: &str) -> Option<FileId> {
        let index = self.files.iter().position(|f| f.path == path)?;
        Some(FileId(u32::try_from(index).ok()?))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_code_points_and_all_newline_forms() {
        let f = SourceFile::new("a.mpl", "Main", "ab\r\nhé x\ry");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(4), (2, 1));
        // 'x' is at byte 8 (h=4, é=5..7, space=7)
        assert_eq!(f.line_col(8), (2, 4));
        assert_eq!(f.line_col(10), (3, 1));
    }
}
