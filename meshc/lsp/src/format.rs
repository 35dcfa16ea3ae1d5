//! `textDocument/formatting` and `textDocument/rangeFormatting` (spec tooling §1.10): the
//! buffer goes through exactly the engine of `meshc fmt` (`mesh_syntax::fmt::format_source`,
//! default options as the command has, safety net included), and the result is sent back as
//! line edits: the hunks of a line diff between the buffer and the formatted text, so the
//! editor keeps its cursor and folds outside the lines that change. Range formatting formats
//! the whole file (the layout of a line depends on the lines around it) and keeps only the
//! hunks that touch the requested lines.
//!
//! A buffer that does not parse gets no edits (its syntax errors are already published as
//! diagnostics), never a partly formatted text; a refusal of the safety net is an error the
//! client shows.

use crate::convert::LineIndex;
use lsp_types::{Range, TextEdit};
use mesh_syntax::fmt::{format_source, FmtError, FmtOptions};

/// Above this many cells the diff of the changed middle is not computed line by line: the
/// middle is replaced as one edit (still correct, only coarser).
const DIFF_CELLS: usize = 16_000_000;

/// The edits that format `text`: `Ok(None)` when it does not parse, `Ok(Some(vec![]))`
/// when it is already canonical, `Err` when the formatter's safety net refused its output.
/// With `lines` (an inclusive range of zero-based lines) only the hunks touching those lines.
pub fn edits(
    text: &str,
    lines: Option<(u32, u32)>,
    opts: &FmtOptions,
) -> Result<Option<Vec<TextEdit>>, String> {
    let formatted = match format_source(text, opts) {
        Ok(formatted) => formatted,
        Err(FmtError::Parse(_)) => return Ok(None),
        Err(FmtError::Internal(why)) => return Err(format!("internal formatter error: {why}")),
    };
    let old: Vec<&str> = text.split_inclusive('\n').collect();
    let new: Vec<&str> = formatted.split_inclusive('\n').collect();
    let starts = line_starts(&old, text.len());
    let index = LineIndex::new(text);
    let edits = hunks(&old, &new)
        .into_iter()
        .filter(|h| lines.is_none_or(|(first, last)| h.touches(first as usize, last as usize)))
        .map(|h| TextEdit {
            range: Range::new(
                index.position(starts[h.old.0]),
                index.position(starts[h.old.1]),
            ),
            new_text: new[h.new.0..h.new.1].concat(),
        })
        .collect();
    Ok(Some(edits))
}

/// Byte offset of the start of each line, plus the text's end.
fn line_starts(lines: &[&str], len: usize) -> Vec<usize> {
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    for line in lines {
        starts.push(at);
        at += line.len();
    }
    starts.push(len);
    starts
}

/// Old lines `old.0..old.1` become new lines `new.0..new.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hunk {
    old: (usize, usize),
    new: (usize, usize),
}

impl Hunk {
    /// Whether the hunk changes one of the old lines `first..=last` (an insertion touches the
    /// line it is inserted before).
    fn touches(&self, first: usize, last: usize) -> bool {
        let (start, end) = self.old;
        start <= last && end.max(start + 1) > first
    }
}

/// The differing runs between two line lists: common prefix and suffix stripped, then a
/// longest-common-subsequence alignment of the middle.
fn hunks(old: &[&str], new: &[&str]) -> Vec<Hunk> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    if a.is_empty() && b.is_empty() {
        return Vec::new();
    }
    let whole = Hunk {
        old: (prefix, prefix + a.len()),
        new: (prefix, prefix + b.len()),
    };
    if a.is_empty() || b.is_empty() || (a.len() + 1) * (b.len() + 1) > DIFF_CELLS {
        return vec![whole];
    }
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let width = b.len() + 1;
    let mut lcs = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    let mut open: Option<(usize, usize)> = None;
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            if let Some((oi, nj)) = open.take() {
                out.push(Hunk {
                    old: (prefix + oi, prefix + i),
                    new: (prefix + nj, prefix + j),
                });
            }
            i += 1;
            j += 1;
            continue;
        }
        open.get_or_insert((i, j));
        if j < b.len() && (i == a.len() || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j]) {
            j += 1;
        } else {
            i += 1;
        }
    }
    if let Some((oi, nj)) = open {
        out.push(Hunk {
            old: (prefix + oi, prefix + a.len()),
            new: (prefix + nj, prefix + b.len()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies edits (non-overlapping, any order) to `text`.
    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let index = LineIndex::new(text);
        let mut spans: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|e| {
                (
                    index.offset(e.range.start),
                    index.offset(e.range.end),
                    e.new_text.as_str(),
                )
            })
            .collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.0));
        let mut out = text.to_string();
        for (start, end, new) in spans {
            out.replace_range(start..end, new);
        }
        out
    }

    const MESSY: &str =
        "fn main() do\n    let x=1\n  println(\"#{x}\")\nend\nfn two() -> Int = 2\n";

    #[test]
    fn edits_turn_the_buffer_into_the_formatted_text() {
        let opts = FmtOptions::default();
        let want = format_source(MESSY, &opts).expect("formats");
        let edits = edits(MESSY, None, &opts)
            .expect("no internal error")
            .expect("parses");
        assert_eq!(apply(MESSY, &edits), want);
        // Two separate changes: line 1's spacing, and the blank line before `fn two`.
        assert_eq!(edits.len(), 2, "{edits:?}");
        assert_eq!(edits[0].range.start.line, 1);
        assert_eq!(edits[0].new_text, "  let x = 1\n");
        assert_eq!(edits[1].range.start.line, 4);
        assert_eq!(edits[1].range.end.line, 4);
        assert_eq!(edits[1].new_text, "\n");
    }

    #[test]
    fn canonical_text_needs_no_edit_and_broken_text_gets_none() {
        let opts = FmtOptions::default();
        let canonical = format_source(MESSY, &opts).expect("formats");
        assert_eq!(edits(&canonical, None, &opts), Ok(Some(Vec::new())));
        assert_eq!(
            edits("fn main( do\n  let x=1\nend\n", None, &opts),
            Ok(None)
        );
    }

    #[test]
    fn range_formatting_keeps_only_hunks_on_the_range() {
        let opts = FmtOptions::default();
        let only_last = edits(MESSY, Some((4, 4)), &opts)
            .expect("no internal error")
            .expect("parses");
        assert_eq!(only_last.len(), 1);
        assert_eq!(only_last[0].new_text, "\n");
        let only_first = edits(MESSY, Some((0, 2)), &opts)
            .expect("no internal error")
            .expect("parses");
        assert_eq!(
            apply(MESSY, &only_first),
            MESSY.replace("    let x=1", "  let x = 1")
        );
    }

    #[test]
    fn a_missing_final_newline_and_crlf_lines_are_fixed() {
        let opts = FmtOptions::default();
        for text in [
            "fn main() do\n  println(\"a\")\nend",
            "fn main() do\r\n  println(\"a\")\r\nend\r\n",
        ] {
            let edits = edits(text, None, &opts)
                .expect("no internal error")
                .expect("parses");
            assert_eq!(apply(text, &edits), "fn main() do\n  println(\"a\")\nend\n");
        }
    }

    #[test]
    fn hunks_align_insertions_deletions_and_changes() {
        let old = ["a\n", "b\n", "c\n", "d\n"];
        let new = ["a\n", "x\n", "c\n", "d\n", "e\n"];
        assert_eq!(
            hunks(&old, &new),
            vec![
                Hunk {
                    old: (1, 2),
                    new: (1, 2)
                },
                Hunk {
                    old: (4, 4),
                    new: (4, 5)
                }
            ]
        );
        assert!(hunks(&old, &old).is_empty());
        assert_eq!(
            hunks(&old, &["a\n", "d\n"]),
            vec![Hunk {
                old: (1, 3),
                new: (1, 1)
            }]
        );
    }
}
