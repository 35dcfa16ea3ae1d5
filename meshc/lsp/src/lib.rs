//! mesh_lsp: the Mesh language server (`meshc lsp`, spec tooling §1.10). JSON-RPC on stdio
//! through `lsp-server`, answered synchronously on one thread in the order requests come:
//! every edit re-analyses the project with `mesh_driver` (open buffers overlaid on the files
//! on disk) and publishes its diagnostics with the same codes and texts as `meshc build`;
//! hover, definition, symbols, completion and signature help read the latest analysis;
//! formatting runs the `meshc fmt` engine on the buffer (`format.rs`).
#![forbid(unsafe_code)]

pub mod complete;
pub mod convert;
pub mod format;
pub mod query;
pub mod workspace;

use convert::{path_to_uri, uri_to_path, LineIndex};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{self as lt, Uri};
use mesh_syntax::diagnostic::{Diagnostic, Severity};
use mesh_syntax::span::Span;
use serde_json::Value;
use std::path::{Path, PathBuf};
use workspace::{diagnostics_by_file, Project, Workspace};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server on stdin/stdout until the client's `exit`.
pub fn run_stdio() -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

fn capabilities() -> lt::ServerCapabilities {
    lt::ServerCapabilities {
        text_document_sync: Some(lt::TextDocumentSyncCapability::Options(
            lt::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lt::TextDocumentSyncKind::FULL),
                save: Some(lt::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lt::OneOf::Left(true)),
        document_symbol_provider: Some(lt::OneOf::Left(true)),
        completion_provider: Some(lt::CompletionOptions {
            trigger_characters: Some(vec![".".into()]),
            ..Default::default()
        }),
        signature_help_provider: Some(lt::SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            retrigger_characters: None,
            work_done_progress_options: Default::default(),
        }),
        document_formatting_provider: Some(lt::OneOf::Left(true)),
        document_range_formatting_provider: Some(lt::OneOf::Left(true)),
        ..Default::default()
    }
}

/// The initialize handshake, then the message loop.
pub fn serve(connection: &Connection) -> Result<(), Error> {
    let caps = serde_json::to_value(capabilities())?;
    connection.initialize(caps)?;
    let mut server = Server {
        connection,
        workspace: Workspace::default(),
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let id = request.id.clone();
                let outcome = guarded(&mut server, |s| s.request(request));
                if outcome.is_none() {
                    server.send(Message::Response(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "internal error in the Mesh language server (see its log)".into(),
                    )))?;
                }
            }
            Message::Notification(note) => {
                guarded(&mut server, |s| s.notification(note));
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// Runs a handler; a panic in the compiler (a bug, reported on stderr by the panic hook) does
/// not end the session: the projects are dropped and analysed afresh on the next message.
/// An error writing to the client is logged the same way.
fn guarded(
    server: &mut Server<'_>,
    handler: impl FnOnce(&mut Server<'_>) -> Result<(), Error>,
) -> Option<()> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(server)));
    match result {
        Ok(Ok(())) => Some(()),
        Ok(Err(e)) => {
            eprintln!("mesh lsp: {e}");
            Some(())
        }
        Err(_) => {
            server.workspace.forget_projects();
            None
        }
    }
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
}

impl Server<'_> {
    fn send(&self, message: Message) -> Result<(), Error> {
        self.connection.sender.send(message)?;
        Ok(())
    }

    fn notify<N: lt::notification::Notification>(&self, params: N::Params) -> Result<(), Error> {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )))
    }

    fn log(&self, message: String) -> Result<(), Error> {
        self.notify::<lt::notification::LogMessage>(lt::LogMessageParams {
            typ: lt::MessageType::WARNING,
            message,
        })
    }

    fn notification(&mut self, note: Notification) -> Result<(), Error> {
        use lt::notification as n;
        let result = match note.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let p: lt::DidOpenTextDocumentParams = serde_json::from_value(note.params)?;
                path_of(&p.text_document.uri)
                    .map(|path| self.workspace.set_buffer(&path, p.text_document.text))
            }
            n::DidChangeTextDocument::METHOD => {
                let p: lt::DidChangeTextDocumentParams = serde_json::from_value(note.params)?;
                let text = p.content_changes.into_iter().next_back().map(|c| c.text);
                match (path_of(&p.text_document.uri), text) {
                    (Some(path), Some(text)) => Some(self.workspace.set_buffer(&path, text)),
                    _ => None,
                }
            }
            n::DidCloseTextDocument::METHOD => {
                let p: lt::DidCloseTextDocumentParams = serde_json::from_value(note.params)?;
                path_of(&p.text_document.uri).map(|path| self.workspace.close_buffer(&path))
            }
            n::DidSaveTextDocument::METHOD => {
                let p: lt::DidSaveTextDocumentParams = serde_json::from_value(note.params)?;
                path_of(&p.text_document.uri).map(|path| self.workspace.reload(&path))
            }
            n::DidChangeWatchedFiles::METHOD => {
                // Files created, deleted or changed outside the editor: discover the loaded
                // projects they belong to again (each once).
                let p: lt::DidChangeWatchedFilesParams = serde_json::from_value(note.params)?;
                let mut roots = std::collections::BTreeMap::new();
                for change in &p.changes {
                    if let Some(path) = path_of(&change.uri) {
                        let root = workspace::root_of(&path);
                        if self.workspace.is_loaded(&root) {
                            roots.entry(root).or_insert(path);
                        }
                    }
                }
                for path in roots.values() {
                    match self.workspace.reload(path) {
                        Ok(project) => {
                            for m in publish(project) {
                                self.send(m)?;
                            }
                        }
                        Err(e) => self.log(e)?,
                    }
                }
                None
            }
            _ => None,
        };
        match result {
            Some(Ok(project)) => {
                let messages = publish(project);
                for m in messages {
                    self.send(m)?;
                }
                Ok(())
            }
            Some(Err(e)) => self.log(e),
            None => Ok(()),
        }
    }

    fn request(&mut self, request: Request) -> Result<(), Error> {
        use lt::request as r;
        let id = request.id.clone();
        let result: Result<Value, Error> = match request.method.as_str() {
            r::HoverRequest::METHOD => {
                let p: lt::HoverParams = serde_json::from_value(request.params)?;
                let at = p.text_document_position_params;
                Ok(serde_json::to_value(self.hover(&at))?)
            }
            r::GotoDefinition::METHOD => {
                let p: lt::GotoDefinitionParams = serde_json::from_value(request.params)?;
                let at = p.text_document_position_params;
                Ok(serde_json::to_value(self.definition(&at))?)
            }
            r::DocumentSymbolRequest::METHOD => {
                let p: lt::DocumentSymbolParams = serde_json::from_value(request.params)?;
                Ok(serde_json::to_value(self.symbols(&p.text_document.uri))?)
            }
            r::Completion::METHOD => {
                let p: lt::CompletionParams = serde_json::from_value(request.params)?;
                Ok(serde_json::to_value(
                    self.completion(&p.text_document_position),
                )?)
            }
            r::SignatureHelpRequest::METHOD => {
                let p: lt::SignatureHelpParams = serde_json::from_value(request.params)?;
                let at = p.text_document_position_params;
                Ok(serde_json::to_value(self.signature_help(&at))?)
            }
            r::Formatting::METHOD => {
                let p: lt::DocumentFormattingParams = serde_json::from_value(request.params)?;
                self.formatting(&p.text_document.uri, None)
            }
            r::RangeFormatting::METHOD => {
                let p: lt::DocumentRangeFormattingParams = serde_json::from_value(request.params)?;
                // A range ending at column 0 of a line does not include that line.
                let (start, end) = (p.range.start, p.range.end);
                let last = if end.character == 0 && end.line > start.line {
                    end.line - 1
                } else {
                    end.line
                };
                let lines = (start.line, last);
                self.formatting(&p.text_document.uri, Some(lines))
            }
            method => {
                return self.send(Message::Response(Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("unsupported request {method}"),
                )));
            }
        };
        self.respond(id, result)
    }

    fn respond(&self, id: RequestId, result: Result<Value, Error>) -> Result<(), Error> {
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
        };
        self.send(Message::Response(response))
    }

    /// The edits formatting the document (or the lines `first..=last` of it): none when it
    /// does not parse; an error when the formatter's safety net refuses its output.
    fn formatting(&self, uri: &Uri, lines: Option<(u32, u32)>) -> Result<Value, Error> {
        let path = path_of(uri).ok_or_else(|| format!("not a file URI: {}", uri.as_str()))?;
        let text = self
            .workspace
            .text_of(&path)
            .ok_or_else(|| format!("cannot read {}", path.display()))?;
        let edits = format::edits(&text, lines, &mesh_syntax::fmt::FmtOptions::default())
            .map_err(|why| format!("{why} in {}", path.display()))?;
        Ok(serde_json::to_value(edits)?)
    }

    /// The project, file and byte offset of a document position.
    fn locate(
        &mut self,
        at: &lt::TextDocumentPositionParams,
    ) -> Option<(&mut Project, mesh_syntax::span::FileId, usize)> {
        let path = path_of(&at.text_document.uri)?;
        let project = self.workspace.project(&path)?;
        let file = project.file(&path)?;
        let offset = LineIndex::new(project.text(file)).offset(at.position);
        Some((project, file, offset))
    }

    fn hover(&mut self, at: &lt::TextDocumentPositionParams) -> Option<lt::Hover> {
        let (project, file, offset) = self.locate(at)?;
        let checked = project.analysis.program.as_ref()?;
        let hit = query::hit_at(&checked.program, file, u32::try_from(offset).ok()?)?;
        let mut text = query::hover(checked, hit)?;
        if let Some(doc) = doc_comment(project, checked, hit) {
            text.push_str("\n\n");
            text.push_str(&doc);
        }
        Some(lt::Hover {
            contents: lt::HoverContents::Markup(lt::MarkupContent {
                kind: lt::MarkupKind::Markdown,
                value: text,
            }),
            range: None,
        })
    }

    fn definition(
        &mut self,
        at: &lt::TextDocumentPositionParams,
    ) -> Option<lt::GotoDefinitionResponse> {
        let (project, file, offset) = self.locate(at)?;
        let checked = project.analysis.program.as_ref()?;
        let hit = query::hit_at(&checked.program, file, u32::try_from(offset).ok()?)?;
        let span = query::definition(checked, hit)?;
        Some(lt::GotoDefinitionResponse::Scalar(location(project, span)?))
    }

    fn symbols(&mut self, uri: &Uri) -> Option<lt::DocumentSymbolResponse> {
        let path = path_of(uri)?;
        let project = self.workspace.project(&path)?;
        let file = project.file(&path)?;
        let checked = project.analysis.program.as_ref()?;
        let index = LineIndex::new(project.text(file));
        let symbols = query::symbols(checked, file);
        Some(lt::DocumentSymbolResponse::Nested(
            symbols
                .into_iter()
                .map(|s| document_symbol(&index, s))
                .collect(),
        ))
    }

    fn completion(
        &mut self,
        at: &lt::TextDocumentPositionParams,
    ) -> Option<lt::CompletionResponse> {
        let (project, file, offset) = self.locate(at)?;
        let items = complete::complete(project, file, offset);
        Some(lt::CompletionResponse::Array(
            items
                .into_iter()
                .map(|i| lt::CompletionItem {
                    label: i.label,
                    kind: Some(completion_kind(i.kind)),
                    detail: (!i.detail.is_empty()).then_some(i.detail),
                    ..Default::default()
                })
                .collect(),
        ))
    }

    fn signature_help(&mut self, at: &lt::TextDocumentPositionParams) -> Option<lt::SignatureHelp> {
        let (project, file, offset) = self.locate(at)?;
        let sig = complete::signature(project, file, offset)?;
        let active = u32::try_from(sig.active).ok();
        Some(lt::SignatureHelp {
            signatures: vec![lt::SignatureInformation {
                label: sig.label,
                documentation: None,
                parameters: Some(
                    sig.params
                        .into_iter()
                        .map(|p| lt::ParameterInformation {
                            label: lt::ParameterLabel::Simple(p),
                            documentation: None,
                        })
                        .collect(),
                ),
                active_parameter: active,
            }],
            active_signature: Some(0),
            active_parameter: active,
        })
    }
}

/// The `##` doc comment of the function or type a hit refers to.
fn doc_comment(project: &Project, checked: &mesh_sema::Checked, hit: query::Hit) -> Option<String> {
    let span = query::definition(checked, hit)?;
    let program = &checked.program;
    let declared = program.fns.iter().any(|f| f.name_span == span)
        || program.adts.iter().any(|a| a.span == span);
    if !declared || span.file.0 as usize >= project.session.sources().len() {
        return None;
    }
    let module = &project.session.sources().get(span.file).module;
    let input = project
        .analysis
        .modules
        .iter()
        .find(|m| m.name == *module)?;
    input.ast.comments.doc_for(span)
}

fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri_to_path(uri)
}

fn location(project: &Project, span: Span) -> Option<lt::Location> {
    let sources = project.session.sources();
    if span.file.0 as usize >= sources.len() {
        return None;
    }
    let source = sources.get(span.file);
    let index = LineIndex::new(&source.text);
    Some(lt::Location {
        uri: path_to_uri(&absolute(Path::new(&source.path)))?,
        range: index.range(span.start as usize, span.end as usize),
    })
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
}

/// The publishDiagnostics notifications of a project: one per module file.
fn publish(project: &Project) -> Vec<Message> {
    let sources = project.session.sources();
    diagnostics_by_file(project)
        .into_iter()
        .filter_map(|group| {
            let index = LineIndex::new(&sources.get(group.file).text);
            let mut diagnostics: Vec<lt::Diagnostic> = group
                .diagnostics
                .iter()
                .map(|d| to_lsp(project, &index, d))
                .collect();
            if let Some(failure) = group.failure {
                diagnostics.push(lt::Diagnostic {
                    range: lt::Range::default(),
                    severity: Some(lt::DiagnosticSeverity::ERROR),
                    source: Some("meshc".into()),
                    message: failure,
                    ..Default::default()
                });
            }
            let params = lt::PublishDiagnosticsParams {
                uri: path_to_uri(&absolute(&group.path))?,
                diagnostics,
                version: None,
            };
            Some(Message::Notification(Notification::new(
                lt::notification::PublishDiagnostics::METHOD.to_string(),
                params,
            )))
        })
        .collect()
}

/// A compiler diagnostic as the protocol's: the headline as `meshc build` prints it, then its
/// notes and help; secondary labels as related information.
fn to_lsp(project: &Project, index: &LineIndex<'_>, d: &Diagnostic) -> lt::Diagnostic {
    let range = d.labels.first().map_or_else(lt::Range::default, |l| {
        index.range(l.span.start as usize, l.span.end as usize)
    });
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lt::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .filter_map(|l| {
            Some(lt::DiagnosticRelatedInformation {
                location: location(project, l.span)?,
                message: l.message.clone(),
            })
        })
        .collect();
    lt::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lt::DiagnosticSeverity::ERROR,
            Severity::Warning => lt::DiagnosticSeverity::WARNING,
        }),
        code: Some(lt::NumberOrString::String(d.code.as_str().to_string())),
        source: Some("meshc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out; it stays `None`.
fn document_symbol(index: &LineIndex<'_>, s: query::Symbol) -> lt::DocumentSymbol {
    let kind = match s.kind {
        query::SymbolKind::Function => lt::SymbolKind::FUNCTION,
        query::SymbolKind::Struct => lt::SymbolKind::STRUCT,
        query::SymbolKind::Enum => lt::SymbolKind::ENUM,
        query::SymbolKind::Field => lt::SymbolKind::FIELD,
        query::SymbolKind::Variant => lt::SymbolKind::ENUM_MEMBER,
    };
    let children: Vec<lt::DocumentSymbol> = s
        .children
        .into_iter()
        .map(|c| document_symbol(index, c))
        .collect();
    lt::DocumentSymbol {
        name: s.name,
        detail: (!s.detail.is_empty()).then_some(s.detail),
        kind,
        tags: None,
        deprecated: None,
        range: index.range(s.span.start as usize, s.span.end as usize),
        selection_range: index.range(s.name_span.start as usize, s.name_span.end as usize),
        children: (!children.is_empty()).then_some(children),
    }
}

fn completion_kind(kind: complete::ItemKind) -> lt::CompletionItemKind {
    match kind {
        complete::ItemKind::Local => lt::CompletionItemKind::VARIABLE,
        complete::ItemKind::Function => lt::CompletionItemKind::FUNCTION,
        complete::ItemKind::Field => lt::CompletionItemKind::FIELD,
        complete::ItemKind::Module => lt::CompletionItemKind::MODULE,
        complete::ItemKind::Type => lt::CompletionItemKind::STRUCT,
        complete::ItemKind::Keyword => lt::CompletionItemKind::KEYWORD,
    }
}
