//! The comments of one file, kept beside its AST (`ast::Module::comments`) for the formatter and
//! the language server (spec §1.3: comments are trivia to the grammar, never to the tools).
//!
//! *Decision:* a per-file list in source order plus an attachment map for doc comments, rather
//! than leading/trailing comment fields on every node kind. A formatter interleaves comments by
//! position: before printing a node it emits the comments that start before the node (those
//! `between` the previous node's end and its start), an `own_line` comment on its own line and
//! an end-of-line one after the code it follows, and a comment inside a node whose children
//! it re-flows is still found by range (`between`), so none can be lost. Hover needs the doc
//! of a declaration: `##` lines directly above it are attached to the declaration's first
//! token (`doc_for`), `##!` lines to the module (`module_doc`).

use crate::lexer::{self, CommentKind};
use crate::span::{FileId, Span};
use crate::token::Token;

/// One comment: its span (markers included), form and text without the markers.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub span: Span,
    pub kind: CommentKind,
    pub text: String,
    /// Whether only whitespace precedes it on its line (else it ends a line of code).
    pub own_line: bool,
}

/// A run of consecutive `##` lines and the declaration they document.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// Indices into [`Comments::list`], in order.
    pub comments: std::ops::Range<usize>,
    /// Byte offset of the first token after the run (the declaration's first token: `fn`,
    /// `pub`, `@cluster`, `struct`, …).
    pub target: u32,
    /// Byte offset of the end of the target token's line: any span starting on that line at
    /// or after `target` (the declaration, or its name) finds this doc.
    pub target_line_end: u32,
}

/// All comments of a file and the attachment of its doc comments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comments {
    /// Every comment, in source order.
    pub list: Vec<Comment>,
    /// Doc comment runs, in source order.
    pub docs: Vec<Doc>,
}

impl Comments {
    /// Collects the lexer's comments of `src` and attaches doc runs to the token that follows
    /// them (`tokens` is the lexer's token stream).
    pub fn build(
        file: FileId,
        src: &str,
        lexed: &[lexer::Comment],
        tokens: &[lexer::Spanned],
    ) -> Comments {
        let list: Vec<Comment> = lexed
            .iter()
            .map(|c| {
                let line_start = src
                    .get(..c.start)
                    .and_then(|s| s.rfind(['\n', '\r']))
                    .map_or(0, |i| i + 1);
                let own_line = src
                    .get(line_start..c.start)
                    .is_some_and(|s| s.trim().is_empty());
                Comment {
                    span: Span::new(file, c.start, c.end),
                    kind: c.kind,
                    text: c.text.clone(),
                    own_line,
                }
            })
            .collect();
        let mut docs = Vec::new();
        let mut i = 0;
        while i < list.len() {
            if list[i].kind != CommentKind::Doc {
                i += 1;
                continue;
            }
            let first = i;
            while list.get(i + 1).is_some_and(|c| {
                c.kind == CommentKind::Doc && gap_is_blank(src, list[i].span.end, c.span.start)
            }) {
                i += 1;
            }
            let end = list[i].span.end as usize;
            i += 1;
            // The documented token: the first one after the run, with only whitespace between.
            let next = tokens
                .iter()
                .find(|(l, t, _)| *l >= end && *t != Token::Newline);
            let Some(&(target, _, _)) = next else {
                continue;
            };
            let between_is_blank = src.get(end..target).is_some_and(|s| s.trim().is_empty());
            if !between_is_blank
                || list
                    .get(i)
                    .is_some_and(|c| (c.span.start as usize) < target)
            {
                continue;
            }
            let line_end = src
                .get(target..)
                .and_then(|s| s.find(['\n', '\r']))
                .map_or(src.len(), |n| target + n);
            docs.push(Doc {
                comments: first..i,
                target: clamp(target),
                target_line_end: clamp(line_end),
            });
        }
        Comments { list, docs }
    }

    /// The comments that start in `start..end` (byte offsets), in order.
    pub fn between(&self, start: u32, end: u32) -> &[Comment] {
        let from = self.list.partition_point(|c| c.span.start < start);
        let to = self.list.partition_point(|c| c.span.start < end);
        self.list.get(from..to.max(from)).unwrap_or(&[])
    }

    /// The doc comment of the declaration at `span` (the whole declaration or its name on the
    /// declaration's first line): the `##` lines joined by newlines, each without its marker
    /// and one leading space.
    pub fn doc_for(&self, span: Span) -> Option<String> {
        let doc = self
            .docs
            .iter()
            .find(|d| d.target <= span.start && span.start <= d.target_line_end)?;
        Some(join(self.list.get(doc.comments.clone())?))
    }

    /// The module's documentation: its `##!` lines joined by newlines.
    pub fn module_doc(&self) -> Option<String> {
        let lines: Vec<Comment> = self
            .list
            .iter()
            .filter(|c| c.kind == CommentKind::ModuleDoc)
            .cloned()
            .collect();
        (!lines.is_empty()).then(|| join(&lines))
    }
}

fn join(comments: &[Comment]) -> String {
    comments
        .iter()
        .map(|c| c.text.strip_prefix(' ').unwrap_or(&c.text).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether only whitespace lies between two offsets.
fn gap_is_blank(src: &str, from: u32, to: u32) -> bool {
    src.get(from as usize..to as usize)
        .is_some_and(|s| s.trim().is_empty())
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
