//! The one diagnostic type used by every compiler stage, and its two renderings: ariadne
//! (human, spec tooling §1.1.1) and JSON lines (spec tooling §1.1.3). Rendering is pure: it
//! returns text; only the CLI writes to stderr.

use crate::span::{FileId, SourceMap, Span};
use ariadne::{Color, Config, Label as ALabel, Report, ReportKind};

mod code;
pub use code::{Code, LAST_SPEC_CODE};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A compiler diagnostic: data only; constructors live in each stage's catalogue module.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// `P0001`, `E0001`, `W0001`, `C0001`, …
    pub code: Code,
    pub severity: Severity,
    /// The headline (`expected Int, found String`).
    pub message: String,
    /// The first label is the primary one.
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// A replacement text suggestion for the primary span.
    pub fix: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The text that should replace the primary span (`--json`'s `fix`).
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// Human rendering with ariadne: `[CODE] Error: headline`, `file:line:col`, excerpt, help.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let kind = match self.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let Some(primary) = self.primary_span() else {
            let mut out = format!(
                "[{}] {}: {}\n",
                self.code,
                if self.is_error() { "Error" } else { "Warning" },
                self.message
            );
            for n in &self.notes {
                out.push_str(&format!("Note: {n}\n"));
            }
            if let Some(h) = &self.help {
                out.push_str(&format!("Help: {h}\n"));
            }
            return out;
        };
        let mut report = Report::build(kind, (primary.file, primary.range()))
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(ariadne::IndexType::Byte),
            )
            .with_code(self.code)
            .with_message(&self.message);
        // A label in another file (a definition in another module) shows that file's
        // excerpt: the cache below serves every file of the map. ariadne shows labels in
        // their order, starting a new excerpt whenever a label is above the previous one: the
        // order is by file (the primary's first) and line, so each file is one excerpt.
        let mut files = vec![primary.file];
        for (i, label) in self.labels.iter().enumerate() {
            let rank = files
                .iter()
                .position(|&f| f == label.span.file)
                .unwrap_or_else(|| {
                    files.push(label.span.file);
                    files.len() - 1
                });
            let (line, _) = sources
                .get(label.span.file)
                .line_col(label.span.start as usize);
            let order = i32::try_from(rank * 1_000_000 + line.min(999_999)).unwrap_or(i32::MAX);
            let mut l = ALabel::new((label.span.file, label.span.range()))
                .with_message(&label.message)
                .with_order(order);
            if color {
                l = l.with_color(if i == 0 { Color::Red } else { Color::Blue });
            }
            report = report.with_label(l);
        }
        for n in &self.notes {
            report = report.with_note(n);
        }
        if let Some(h) = &self.help {
            report = report.with_help(h);
        }
        let mut buf = Vec::new();
        if report.finish().write(MapCache(sources), &mut buf).is_err() {
            let file = sources.get(primary.file);
            let (line, col) = file.line_col(primary.start as usize);
            return format!(
                "[{}] {}\n  at {}:{}:{}\n",
                self.code, self.message, file.path, line, col
            );
        }
        String::from_utf8_lossy(&buf).into_owned()
    }

    /// One compact JSON object (spec tooling §1.1.3): `code`, `severity`, `message`, `file`
    /// (the primary span's, `""` without one), `spans` (byte offsets, 1-based line and column
    /// in Unicode scalar values, the label's text) and `fix`. The format has one file per
    /// diagnostic, so a label in another file (a definition in another module) is left out
    /// rather than given offsets a reader would apply to the wrong file.
    pub fn to_json(&self, sources: &SourceMap) -> String {
        let primary = self.primary_span();
        let file = primary
            .map(|s| sources.get(s.file).path.clone())
            .unwrap_or_default();
        let spans: Vec<serde_json::Value> = self
            .labels
            .iter()
            .filter(|l| primary.is_some_and(|p| p.file == l.span.file))
            .map(|l| {
                let f = sources.get(l.span.file);
                let (line, col) = f.line_col(l.span.start as usize);
                let (end_line, end_col) = f.line_col(l.span.end as usize);
                serde_json::json!({
                    "start": l.span.start, "end": l.span.end,
                    "line": line, "col": col, "end_line": end_line, "end_col": end_col,
                    "label": l.message,
                })
            })
            .collect();
        serde_json::json!({
            "code": self.code.as_str(),
            "severity": if self.is_error() { "error" } else { "warning" },
            "message": self.message,
            "file": file,
            "spans": spans,
            "fix": self.fix,
        })
        .to_string()
    }
}

/// The renderer's view of a [`SourceMap`]: files by id, shown by path.
struct MapCache<'a>(&'a SourceMap);

impl ariadne::Cache<FileId> for MapCache<'_> {
    type Storage = String;

    fn fetch(&mut self, id: &FileId) -> Result<&ariadne::Source<String>, impl std::fmt::Debug> {
        Ok::<_, ()>(self.0.get(*id).excerpt())
    }

    fn display<'b>(&self, id: &'b FileId) -> Option<impl std::fmt::Display + 'b> {
        Some(self.0.get(*id).path.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::SourceFile;

    #[test]
    fn render_shows_code_location_and_label() {
        let mut map = SourceMap::new();
        let id = map.add(SourceFile::new(
            "main.mpl",
            "Main",
            "fn main() do\n  let x = 1 + \"a\"\nend\n",
        ));
        let d = Diagnostic::error(Code::E0001, "expected Int, found String")
            .with_label(Span::new(id, 25, 28), "this is a String");
        let text = d.render(&map, false);
        assert!(
            text.contains("[E0001] Error: expected Int, found String"),
            "{text}"
        );
        assert!(text.contains("main.mpl:2:13"), "{text}");
        assert!(text.contains("this is a String"), "{text}");
        let json = d.to_json(&map);
        assert!(json.contains(r#""line":2,"col":13"#), "{json}");
    }

    #[test]
    fn a_label_in_another_file_shows_that_files_excerpt() {
        let mut map = SourceMap::new();
        let main = map.add(SourceFile::new(
            "main.mpl",
            "Main",
            "from Geo import area\nfn main() do\n  area(\"x\")\nend\n",
        ));
        let geo = map.add(SourceFile::new(
            "geo.mpl",
            "Geo",
            "pub fn area(side :: Int) -> Int = side * side\n",
        ));
        let d = Diagnostic::error(Code::E0001, "expected Int, found String")
            .with_label(Span::new(main, 41, 44), "expected Int, found String")
            .with_label(Span::new(geo, 12, 23), "the parameter is declared here");
        let text = d.render(&map, false);
        let expected = "\
[E0001] Error: expected Int, found String
   ╭─[ main.mpl:3:8 ]
   │
 3 │   area(\"x\")
   │        ─┬─  
   │         ╰─── expected Int, found String
   │
   ├─[ geo.mpl:1:13 ]
   │
 1 │ pub fn area(side :: Int) -> Int = side * side
   │             ─────┬─────  
   │                  ╰─────── the parameter is declared here
───╯
";
        assert_eq!(text, expected);
    }

    #[test]
    fn json_is_one_compact_object_with_the_spec_fields_in_order() {
        let mut map = SourceMap::new();
        // `é` is two bytes, one Unicode scalar value: `countt` starts at byte 31, column 18.
        let main = map.add(SourceFile::new(
            "src/app.mpl",
            "App",
            "fn main() do\n  let s = \"é\" <> countt\nend\n",
        ));
        let geo = map.add(SourceFile::new("geo.mpl", "Geo", "pub fn f() = 1\n"));
        let d = Diagnostic::error(Code::E0004, "undefined variable: countt")
            .with_label(Span::new(main, 31, 37), "not found in this scope")
            .with_label(Span::new(main, 17, 18), "a \"quoted\" label")
            .with_label(Span::new(geo, 7, 8), "in another file")
            .with_help("did you mean `count`?")
            .with_fix("count");
        assert_eq!(
            d.to_json(&map),
            r#"{"code":"E0004","severity":"error","message":"undefined variable: countt","file":"src/app.mpl","spans":[{"start":31,"end":37,"line":2,"col":18,"end_line":2,"end_col":24,"label":"not found in this scope"},{"start":17,"end":18,"line":2,"col":5,"end_line":2,"end_col":6,"label":"a \"quoted\" label"}],"fix":"count"}"#
        );
        let w = Diagnostic::warning(Code::W0001, "redundant match arm (arm 2)");
        assert_eq!(
            w.to_json(&map),
            r#"{"code":"W0001","severity":"warning","message":"redundant match arm (arm 2)","file":"","spans":[],"fix":null}"#
        );
    }
}
