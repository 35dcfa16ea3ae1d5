//! The [`Session`]: a program's sources and the front-end stages over them. Sources come from
//! project discovery (`from_project`, the only IO here) or from memory (`new`), and an editor's
//! unsaved buffers replace files' texts (`set_source`). Every stage call starts from the
//! current texts, so a long-running process re-checks after each edit; nothing is leaked or
//! cached between calls (memory stays flat: see the `session` tests).

use crate::migration::MigrationEntry;
use crate::project::{self, Project};
use crate::timings::{Stage, Timings};
use crate::DriverError;
use mesh_sema::lower::ModuleInput;
use mesh_sema::Checked;
use mesh_syntax::diagnostic::{Code, Diagnostic};
use mesh_syntax::parser;
use mesh_syntax::span::{FileId, SourceFile, SourceMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A program's sources and what the stages need to know about it.
pub struct Session {
    sources: SourceMap,
    /// The module files, in discovery order.
    modules: Vec<FileId>,
    entry_module: String,
    /// The package (and executable) name.
    name: String,
    root: PathBuf,
    /// Manifest warnings, reported with the program's diagnostics.
    warnings: Vec<String>,
    timings: Timings,
    /// `meshc test`: the test file that is the entry (its DSL lowered before analysis) and its
    /// path as reports show it (relative to the project root).
    test_entry: Option<(FileId, String)>,
    /// `meshc migrate` / `meshc check`: the migration file that is the entry, and the `main`
    /// to generate for it (`migration.rs`).
    migration: Option<(FileId, MigrationEntry)>,
}

/// The result of parsing every module.
pub struct Parsed {
    pub modules: Vec<ParsedModule>,
    /// Lexical and syntax errors of all files (plus the manifest's warnings).
    pub diagnostics: Vec<Diagnostic>,
}

/// One parsed file.
pub struct ParsedModule {
    pub file: FileId,
    /// Module name (`Main`, `Api.Router`).
    pub name: String,
    /// The AST: complete, or after syntax errors the declarations that parsed (comments and
    /// doc comments in `ast.comments`). `None` after lexical errors.
    pub ast: Option<mesh_syntax::ast::Module>,
    /// Whether the file parsed without errors.
    pub complete: bool,
}

/// The result of analysing the program.
pub struct Analysis {
    /// The parsed modules handed to analysis (their ASTs, recovered ones included).
    pub modules: Vec<ModuleInput>,
    /// The typed program: HIR, a type for every expression, local and function. Present even
    /// when there are errors (error nodes and error types where they are), so tools get the
    /// types and definitions of the rest; `None` only when imports form a cycle.
    pub program: Option<Checked>,
    /// What `meshc check` reports: the parse diagnostics when a file has syntax errors, else
    /// those of analysis (follow-on reports of analysing a partial program are dropped).
    pub diagnostics: Vec<Diagnostic>,
    /// A failure of the program as a whole that is not a diagnostic (`import cycle: A -> B ->
    /// A`), printed as the command's `error:` line.
    pub failure: Option<String>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.failure.is_some() || self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The checked program for MIR when there are no errors.
    pub fn into_checked(self) -> Option<Checked> {
        if self.has_errors() {
            return None;
        }
        self.program
    }
}

impl Session {
    /// A session over in-memory sources: every file is a module (named by its
    /// `SourceFile::module`), the entry module is `Main`.
    pub fn new(sources: SourceMap) -> Session {
        let modules = sources.files().map(|(id, _)| id).collect();
        Session {
            sources,
            modules,
            entry_module: "Main".into(),
            name: "main".into(),
            root: PathBuf::from("."),
            warnings: Vec::new(),
            timings: Timings::default(),
            test_entry: None,
            migration: None,
        }
    }

    /// Sets the entry module (the one whose `main` the program runs).
    pub fn with_entry(mut self, module: impl Into<String>) -> Session {
        self.entry_module = module.into();
        self
    }

    /// Discovers the project at `path` (a directory with or without `mesh.toml`, or one `.mpl`
    /// file) and reads its modules.
    pub fn from_project(path: &Path) -> Result<Session, DriverError> {
        let started = Instant::now();
        let project = project::load(path)?;
        let mut session = Session::read(project)?;
        session.timings.add(Stage::Discover, started.elapsed());
        Ok(session)
    }

    fn read(project: Project) -> Result<Session, DriverError> {
        let mut sources = SourceMap::new();
        let mut modules = Vec::new();
        for (path, module) in &project.modules {
            let text = std::fs::read_to_string(path)
                .map_err(|e| DriverError::new(format!("cannot read '{}': {e}", path.display())))?;
            let file = SourceFile::new(path.display().to_string(), module.clone(), text);
            modules.push(sources.add(file));
        }
        Ok(Session {
            sources,
            modules,
            entry_module: project.entry_module,
            name: project.name,
            root: project.root,
            warnings: project.warnings,
            timings: Timings::default(),
            test_entry: None,
            migration: None,
        })
    }

    /// `meshc test`: the project at `root` without its entry module, plus the test file `test`
    /// (path relative to `root`) as the entry module whose test DSL is lowered to a runner
    /// `main` (spec tooling §4.2).
    pub fn for_test_file(root: &Path, test: &Path) -> Result<Session, DriverError> {
        let started = Instant::now();
        let mut project = project::load(root)?;
        let entry = project.entry_module.clone();
        project.modules.retain(|(_, m)| *m != entry);
        let mut session = Session::read(project)?;
        let full = root.join(test);
        let text = std::fs::read_to_string(&full)
            .map_err(|e| DriverError::new(format!("cannot read '{}': {e}", full.display())))?;
        let shown = test.display().to_string();
        let file = session
            .sources
            .add(SourceFile::new(shown.clone(), entry.clone(), text));
        session.modules.push(file);
        session.entry_module = entry;
        session.test_entry = Some((file, shown));
        session.timings.add(Stage::Discover, started.elapsed());
        Ok(session)
    }

    /// A migration program (tooling §6.2): the file `path` alone, as the entry module with a
    /// generated `main` (see `migration.rs`); `shown` is its path in reports.
    pub fn for_migration(
        path: &Path,
        shown: &str,
        entry: MigrationEntry,
    ) -> Result<Session, DriverError> {
        let started = Instant::now();
        let text = std::fs::read_to_string(path)
            .map_err(|e| DriverError::new(format!("cannot read '{}': {e}", path.display())))?;
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new(shown.to_string(), "Main".to_string(), text));
        let mut session = Session::new(sources);
        session.name = format!("{}_{}", entry.version, entry.name);
        session.root = path
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
            .to_path_buf();
        session.migration = Some((file, entry));
        session.timings.add(Stage::Discover, started.elapsed());
        Ok(session)
    }

    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn entry_module(&self) -> &str {
        &self.entry_module
    }

    pub fn timings(&self) -> &Timings {
        &self.timings
    }

    /// Adds the time of a stage run outside the session (code generation, linking).
    pub fn record(&mut self, stage: Stage, time: std::time::Duration) {
        self.timings.add(stage, time);
    }

    /// Replaces the text of the module file at `path` (as the session shows it: the path
    /// discovery produced, or the `SourceFile::path` given to `new`): an editor's unsaved
    /// buffer wins over the file on disk.
    pub fn set_source(
        &mut self,
        path: &str,
        text: impl Into<String>,
    ) -> Result<FileId, DriverError> {
        let file = self
            .sources
            .find(path)
            .ok_or_else(|| DriverError::new(format!("'{path}' is not a module of this session")))?;
        self.sources.set_text(file, text);
        Ok(file)
    }

    /// Parses every module. Files with errors still yield their intact declarations.
    pub fn parse(&mut self) -> Parsed {
        let started = Instant::now();
        let mut diagnostics: Vec<Diagnostic> = self
            .warnings
            .iter()
            .map(|w| Diagnostic::warning(Code::C0001, w.clone()))
            .collect();
        let mut modules = Vec::new();
        for &file in &self.modules {
            let source = self.sources.get(file);
            let mut result = parser::parse_module(file, &source.text);
            let complete = result.module.is_some();
            diagnostics.extend(result.diagnostics);
            if let Some((_, shown)) = self.test_entry.as_ref().filter(|t| t.0 == file) {
                for ast in [&mut result.module, &mut result.recovered]
                    .into_iter()
                    .flatten()
                {
                    if let Err(d) = mesh_sema::testdsl::lower_test_file(ast, source, shown) {
                        diagnostics.push(*d);
                    }
                }
            }
            if let Some((_, entry)) = self.migration.as_ref().filter(|m| m.0 == file) {
                // Reported once, for the complete AST or else the recovered one.
                if let Some(ast) = result.module.as_mut().or(result.recovered.as_mut()) {
                    if let Err(d) = crate::migration::add_entry(ast, entry) {
                        diagnostics.push(*d);
                    }
                }
            }
            modules.push(ParsedModule {
                file,
                name: source.module.clone(),
                ast: result.module.or(result.recovered),
                complete,
            });
        }
        self.timings.add(Stage::Parse, started.elapsed());
        Parsed {
            modules,
            diagnostics,
        }
    }

    /// Parses and analyses the program. The stages stop between each other as the spec's
    /// build pipeline says (analysis diagnostics only when every file parsed, no analysis of
    /// an import cycle), but analysis still runs on what parsed so the result has types.
    pub fn analyze(&mut self) -> Analysis {
        let parsed = self.parse();
        let parse_failed = parsed.has_errors();
        let mut diagnostics = parsed.diagnostics;
        let started = Instant::now();
        let modules: Vec<ModuleInput> = parsed
            .modules
            .into_iter()
            .filter_map(|m| {
                Some(ModuleInput {
                    name: m.name,
                    ast: m.ast?,
                })
            })
            .collect();
        let graph: Vec<_> = modules.iter().map(|m| (m.name.as_str(), &m.ast)).collect();
        if let Err(message) = project::check_imports(&graph) {
            self.timings.add(Stage::ResolveLower, started.elapsed());
            return Analysis {
                modules,
                program: None,
                diagnostics,
                failure: (!parse_failed).then_some(message),
            };
        }
        let mut phase_start = started;
        let timings = &mut self.timings;
        let analysis = mesh_sema::analyze_partial(&modules, &self.entry_module, &mut |phase| {
            let stage = match phase {
                mesh_sema::Phase::Lower => Stage::ResolveLower,
                mesh_sema::Phase::Check => Stage::Typecheck,
            };
            timings.add(stage, phase_start.elapsed());
            phase_start = Instant::now();
        });
        if !parse_failed {
            diagnostics.extend(analysis.diagnostics);
        }
        Analysis {
            modules,
            program: Some(Checked {
                program: analysis.program,
                types: analysis.types,
            }),
            diagnostics,
            failure: None,
        }
    }

    /// Lowers a checked (error-free) program to verified MIR, optimised when `opt_level` > 0.
    /// A MIR verification failure is a compiler bug and panics.
    pub fn lower_mir(&mut self, mut checked: Checked, opt_level: u8) -> mesh_mir::Program {
        let started = Instant::now();
        let mut program = mesh_mir::lower::lower(&mut checked);
        // `meshc test` executables register clustered work but never start it (§4.1).
        program.test_build = self.test_entry.is_some();
        if opt_level > 0 {
            mesh_mir::opt::optimise(&mut program);
        }
        if let Err(e) = mesh_mir::verify::verify(&program) {
            panic!("MIR verification failed: {e}");
        }
        self.timings.add(Stage::Mir, started.elapsed());
        program
    }
}
