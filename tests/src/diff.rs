//! A small line diff for reporting expectation mismatches: a longest-common-subsequence table
//! over lines, printed like `diff -u` (hunks with three lines of context). Control characters
//! are shown escaped and a missing final newline is marked, so invisible differences show up.
//! Inputs too large for the quadratic table get a first-differing-line report instead.

use std::fmt::Write as _;

/// Lines of unchanged context printed around each change.
const CONTEXT: usize = 3;

/// Largest `expected lines × actual lines` table the LCS may allocate (4 bytes per cell).
const MAX_TABLE_CELLS: usize = 4_000_000;

/// One line of the edit script from `expected` to `actual`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// Renders the differences between `expected` and `actual`; the result is empty when they are
/// equal. Lines removed from the expectation start with `-`, lines only in the actual output
/// with `+`.
pub fn render_diff(expected: &str, actual: &str) -> String {
    if expected == actual {
        return String::new();
    }
    let old: Vec<&str> = expected.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();
    let empty = |text: &str| if text.is_empty() { " (empty)" } else { "" };
    let mut out = format!(
        "--- expected{}\n+++ actual{}\n",
        empty(expected),
        empty(actual)
    );
    if old.len().saturating_mul(new.len()) > MAX_TABLE_CELLS {
        render_first_difference(&mut out, &old, &new);
        return out;
    }
    render_hunks(&mut out, &edit_script(&old, &new));
    out
}

/// The shortest edit script turning `old` into `new`, through an LCS length table.
fn edit_script<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Edit<'a>> {
    let width = new.len() + 1;
    // lcs[i * width + j] = length of the LCS of old[i..] and new[j..].
    let mut lcs = vec![0u32; (old.len() + 1) * width];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i * width + j] = if old[i] == new[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut edits = Vec::with_capacity(old.len() + new.len());
    while i < old.len() && j < new.len() {
        if old[i] == new[j] {
            edits.push(Edit::Same(old[i]));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            edits.push(Edit::Removed(old[i]));
            i += 1;
        } else {
            edits.push(Edit::Added(new[j]));
            j += 1;
        }
    }
    edits.extend(old[i..].iter().map(|line| Edit::Removed(line)));
    edits.extend(new[j..].iter().map(|line| Edit::Added(line)));
    edits
}

/// Prints the changes of `edits` with `CONTEXT` lines around them, eliding longer unchanged runs.
fn render_hunks(out: &mut String, edits: &[Edit<'_>]) {
    let changed: Vec<usize> = (0..edits.len())
        .filter(|&index| !matches!(edits[index], Edit::Same(_)))
        .collect();
    let is_shown = |index: usize| {
        changed
            .iter()
            .any(|&change| index + CONTEXT >= change && index <= change + CONTEXT)
    };
    let (mut old_line, mut new_line) = (1, 1);
    let mut in_hunk = false;
    for (index, edit) in edits.iter().enumerate() {
        if is_shown(index) {
            if !in_hunk {
                let _ = writeln!(
                    out,
                    "@@ expected line {old_line}, actual line {new_line} @@"
                );
                in_hunk = true;
            }
            match edit {
                Edit::Same(line) => push_line(out, ' ', line),
                Edit::Removed(line) => push_line(out, '-', line),
                Edit::Added(line) => push_line(out, '+', line),
            }
        } else {
            in_hunk = false;
        }
        match edit {
            Edit::Same(_) => {
                old_line += 1;
                new_line += 1;
            }
            Edit::Removed(_) => old_line += 1,
            Edit::Added(_) => new_line += 1,
        }
    }
}

fn render_first_difference(out: &mut String, old: &[&str], new: &[&str]) {
    let first = old
        .iter()
        .zip(new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let _ = writeln!(
        out,
        "(too large for a full diff: {} expected lines, {} actual lines; first difference at line {})",
        old.len(),
        new.len(),
        first + 1
    );
    match old.get(first) {
        Some(line) => push_line(out, '-', line),
        None => out.push_str("-(end of expected output)\n"),
    }
    match new.get(first) {
        Some(line) => push_line(out, '+', line),
        None => out.push_str("+(end of actual output)\n"),
    }
}

/// Appends one diff line: the marker, the text with control characters escaped, and a note when
/// the line has no terminating newline.
fn push_line(out: &mut String, marker: char, line: &str) {
    out.push(marker);
    let (text, has_newline) = match line.strip_suffix('\n') {
        Some(text) => (text, true),
        None => (line, false),
    };
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    if !has_newline {
        out.push_str("\\ No newline at end\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(render_diff("a\nb\n", "a\nb\n"), "");
    }

    #[test]
    fn shows_a_changed_line_with_context() {
        let diff = render_diff("a\nb\nc\n", "a\nx\nc\n");
        assert_eq!(
            diff,
            "--- expected\n+++ actual\n@@ expected line 1, actual line 1 @@\n a\n-b\n+x\n c\n"
        );
    }

    #[test]
    fn shows_added_and_removed_lines() {
        let diff = render_diff("a\nb\n", "a\nb\nc\n");
        assert_eq!(
            diff,
            "--- expected\n+++ actual\n@@ expected line 1, actual line 1 @@\n a\n b\n+c\n"
        );
        let diff = render_diff("a\nb\n", "b\n");
        assert_eq!(
            diff,
            "--- expected\n+++ actual\n@@ expected line 1, actual line 1 @@\n-a\n b\n"
        );
    }

    #[test]
    fn elides_unchanged_lines_far_from_changes() {
        let expected: String = (1..=20).map(|n| format!("{n}\n")).collect();
        let actual: String = (1..=20)
            .map(|n| match n {
                3 => "three\n".to_string(),
                18 => "eighteen\n".to_string(),
                _ => format!("{n}\n"),
            })
            .collect();
        let diff = render_diff(&expected, &actual);
        assert_eq!(
            diff,
            "--- expected\n+++ actual\n\
             @@ expected line 1, actual line 1 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n\
             @@ expected line 15, actual line 15 @@\n 15\n 16\n 17\n-18\n+eighteen\n 19\n 20\n"
        );
    }

    #[test]
    fn marks_a_missing_final_newline() {
        let diff = render_diff("a\n", "a");
        assert_eq!(
            diff,
            "--- expected\n+++ actual\n@@ expected line 1, actual line 1 @@\n-a\n+a\n\\ No newline at end\n"
        );
    }

    #[test]
    fn escapes_control_characters() {
        let diff = render_diff("a\tb\n", "a b\r\n");
        assert_eq!(
            diff,
            "--- expected\n+++ actual\n@@ expected line 1, actual line 1 @@\n-a\\tb\n+a b\\r\n"
        );
    }

    #[test]
    fn reports_first_difference_of_huge_inputs() {
        let expected: String = (0..3000).map(|n| format!("{n}\n")).collect();
        let actual = expected.replace("1500\n", "x\n");
        let diff = render_diff(&expected, &actual);
        assert_eq!(
            diff,
            "--- expected\n+++ actual\n(too large for a full diff: 3000 expected lines, \
             3000 actual lines; first difference at line 1501)\n-1500\n+x\n"
        );
    }

    #[test]
    fn diffs_against_empty_output() {
        let diff = render_diff("Hello\n", "");
        assert_eq!(
            diff,
            "--- expected\n+++ actual (empty)\n@@ expected line 1, actual line 1 @@\n-Hello\n"
        );
    }
}
