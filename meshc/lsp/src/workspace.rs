//! The server's state: the open buffers and one driver [`Session`] per project, re-analysed
//! after every edit. A project is the nearest ancestor directory with a `mesh.toml` (spec
//! tooling §1.10), or the file alone when there is none. Open buffers overlay the files on
//! disk (`Session::set_source`); closing a buffer puts the disk text back.

use mesh_driver::{Analysis, Session};
use mesh_syntax::diagnostic::Diagnostic;
use mesh_syntax::span::FileId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One project: its session (the current texts) and the analysis of those texts.
pub struct Project {
    pub session: Session,
    pub analysis: Analysis,
    /// Why the project's directory could not be loaded (a bad `mesh.toml`) when the server fell
    /// back to checking the file alone; shown on the file like a failure.
    pub load_error: Option<String>,
}

impl Project {
    /// The session's file id of `path`.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        self.session.sources().find(&path.display().to_string())
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.session.sources().get(file).text
    }

    pub fn module(&self, file: FileId) -> &str {
        &self.session.sources().get(file).module
    }

    /// Analyses the program with `text` in place of file `file`'s text, then puts the real
    /// text back (without re-analysing: `self.analysis` stays that of the real texts). Used
    /// by completion to type an edited copy of the buffer.
    pub fn analyze_with(&mut self, file: FileId, text: String) -> Analysis {
        let path = self.session.sources().get(file).path.clone();
        let real = self.session.sources().get(file).text.clone();
        let _ = self.session.set_source(&path, text);
        let analysis = self.session.analyze();
        let _ = self.session.set_source(&path, real);
        analysis
    }
}

/// Diagnostics of one file, as the protocol wants them grouped.
pub struct FileDiagnostics {
    pub path: PathBuf,
    pub file: FileId,
    pub diagnostics: Vec<Diagnostic>,
    /// The program's failure that is not a diagnostic (`import cycle: A -> B -> A`), shown on
    /// the entry module.
    pub failure: Option<String>,
}

#[derive(Default)]
pub struct Workspace {
    open: BTreeMap<PathBuf, String>,
    /// Projects by root (a directory, or a lone file).
    projects: BTreeMap<PathBuf, Project>,
}

/// The project root of `path`: the nearest ancestor with `mesh.toml`, else the file itself.
pub fn root_of(path: &Path) -> PathBuf {
    path.ancestors()
        .skip(1)
        .find(|dir| dir.join("mesh.toml").is_file())
        .map_or_else(|| path.to_path_buf(), Path::to_path_buf)
}

impl Workspace {
    /// Records an opened or changed buffer and re-analyses its project.
    pub fn set_buffer(&mut self, path: &Path, text: String) -> Result<&Project, String> {
        self.open.insert(path.to_path_buf(), text);
        self.refresh(path)
    }

    /// The text of `path` as the editor sees it: the open buffer, else the file on disk.
    pub fn text_of(&self, path: &Path) -> Option<String> {
        self.open
            .get(path)
            .cloned()
            .or_else(|| std::fs::read_to_string(path).ok())
    }

    /// Forgets a closed buffer: the project sees the file on disk again.
    pub fn close_buffer(&mut self, path: &Path) -> Result<&Project, String> {
        self.open.remove(path);
        let root = root_of(path);
        if let Some(project) = self.projects.get_mut(&root) {
            if let Ok(text) = std::fs::read_to_string(path) {
                let _ = project
                    .session
                    .set_source(&path.display().to_string(), text);
            }
        }
        self.refresh(path)
    }

    /// Re-discovers the project of `path` from disk (a file was saved, created or deleted)
    /// and re-analyses it.
    pub fn reload(&mut self, path: &Path) -> Result<&Project, String> {
        self.projects.remove(&root_of(path));
        self.refresh(path)
    }

    /// Whether the project with this root has been loaded.
    pub fn is_loaded(&self, root: &Path) -> bool {
        self.projects.contains_key(root)
    }

    /// Drops every project (keeping the open buffers): after a compiler panic a session may
    /// be half-updated, so the next message loads and analyses afresh.
    pub fn forget_projects(&mut self) {
        self.projects.clear();
    }

    /// The project `path` belongs to, as last analysed.
    pub fn project(&mut self, path: &Path) -> Option<&mut Project> {
        let root = root_of(path);
        if !self.projects.contains_key(&root) {
            self.refresh(path).ok()?;
        }
        self.projects.get_mut(&root)
    }

    /// Brings the project of `path` up to date with the open buffers and analyses it. A
    /// project that does not list `path` (a new file) is discovered again.
    fn refresh(&mut self, path: &Path) -> Result<&Project, String> {
        let root = root_of(path);
        let stale = self
            .projects
            .get(&root)
            .is_none_or(|p| p.file(path).is_none() && path.is_file());
        if stale {
            let (session, load_error) = match Session::from_project(&root) {
                Ok(session) => (session, None),
                Err(e) => (
                    Session::from_project(path).map_err(|e| e.message)?,
                    Some(e.message),
                ),
            };
            let project = Project {
                session,
                analysis: empty_analysis(),
                load_error,
            };
            self.projects.insert(root.clone(), project);
        }
        let project = self
            .projects
            .get_mut(&root)
            .ok_or_else(|| "project vanished".to_string())?;
        for (open, text) in &self.open {
            let key = open.display().to_string();
            if project.session.sources().find(&key).is_some() {
                let file = project.session.sources().find(&key);
                let same = file.is_some_and(|f| project.session.sources().get(f).text == *text);
                if !same {
                    let _ = project.session.set_source(&key, text.clone());
                }
            }
        }
        project.analysis = project.session.analyze();
        Ok(project)
    }
}

fn empty_analysis() -> Analysis {
    Analysis {
        modules: Vec::new(),
        program: None,
        diagnostics: Vec::new(),
        failure: None,
    }
}

/// The project's diagnostics per module file (every file listed, so fixed files are cleared).
/// A diagnostic without a location (a manifest warning, an import cycle) goes to the entry
/// module's first line.
pub fn diagnostics_by_file(project: &Project) -> Vec<FileDiagnostics> {
    let sources = project.session.sources();
    let mut out: Vec<FileDiagnostics> = sources
        .files()
        .map(|(file, source)| FileDiagnostics {
            path: PathBuf::from(&source.path),
            file,
            diagnostics: Vec::new(),
            failure: None,
        })
        .collect();
    let entry = sources
        .files()
        .position(|(_, f)| f.module == project.session.entry_module())
        .unwrap_or(0);
    let mut unplaced: Vec<Diagnostic> = Vec::new();
    for d in &project.analysis.diagnostics {
        match d.labels.first() {
            Some(label) => {
                if let Some(slot) = out.get_mut(label.span.file.0 as usize) {
                    slot.diagnostics.push(d.clone());
                }
            }
            None => unplaced.push(d.clone()),
        }
    }
    if let Some(slot) = out.get_mut(entry) {
        slot.diagnostics.extend(unplaced);
        slot.failure = project
            .analysis
            .failure
            .clone()
            .or_else(|| project.load_error.clone());
    }
    out
}
