//! Reading the site's Markdown sources: every page under `website/src` and its fenced code
//! blocks (info string split into a language and comma-separated attributes, the body with the
//! fence's indentation removed, the line of the opening fence, and the info string of the block
//! that follows it, so a Mesh block can be paired with the ```output block shown after it).

use std::fs;
use std::path::{Path, PathBuf};

/// One Markdown file of the site.
pub struct Page {
    /// Path relative to `website/src`, with `/` separators (`tour/basics.md`).
    pub name: String,
    pub text: String,
}

/// One fenced code block.
#[derive(Clone, Debug)]
pub struct Block {
    pub page: String,
    /// 1-based line of the opening fence.
    pub line: usize,
    pub lang: String,
    pub attrs: Vec<String>,
    pub body: String,
}

impl Block {
    /// Whether the info string carries `name` (`mesh,fragment`) or `name=…`.
    pub fn has(&self, name: &str) -> bool {
        self.attr(name).is_some()
    }

    /// The value of `name=value`, or `""` for a bare `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find_map(|attr| match attr.split_once('=') {
                Some((key, value)) if key == name => Some(value),
                None if attr == name => Some(""),
                _ => None,
            })
    }

    /// `page:line`, how failures name a block.
    pub fn location(&self) -> String {
        format!("website/src/{}:{}", self.page, self.line)
    }
}

/// Every `.md` file under `src`, sorted by name.
pub fn pages(src: &Path) -> Result<Vec<Page>, String> {
    let mut files = Vec::new();
    collect(src, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = path
                .strip_prefix(src)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            Ok(Page { name, text })
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "md") {
            out.push(path);
        }
    }
    Ok(())
}

/// The fenced blocks of a page, in order. A fence is three or more backticks after at most
/// the indentation of a list item; the block ends at a fence of at least as many backticks.
pub fn blocks(page: &Page) -> Vec<Block> {
    let mut out = Vec::new();
    let lines: Vec<&str> = page.text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, ticks, info)) = fence(lines[i]) else {
            i += 1;
            continue;
        };
        let start = i;
        let mut body = String::new();
        i += 1;
        while i < lines.len() {
            if let Some((_, closing, rest)) = fence(lines[i]) {
                if closing >= ticks && rest.is_empty() {
                    break;
                }
            }
            let line = lines[i];
            let cut = line.len() - line.trim_start().len();
            body.push_str(&line[cut.min(indent)..]);
            body.push('\n');
            i += 1;
        }
        i += 1;
        let mut parts = info.split(',').map(str::trim);
        let lang = parts.next().unwrap_or_default().to_string();
        out.push(Block {
            page: page.name.clone(),
            line: start + 1,
            lang,
            attrs: parts
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            body,
        });
    }
    out
}

/// `(indentation, number of backticks, info string)` when `line` opens or closes a fence.
fn fence(line: &str) -> Option<(usize, usize, &str)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let ticks = trimmed.chars().take_while(|&c| c == '`').count();
    if ticks < 3 || indent > 8 {
        return None;
    }
    Some((indent, ticks, trimmed[ticks..].trim()))
}

/// Whether the block right after `index` (blank lines between) is an ```output block.
pub fn output_after(page: &Page, blocks: &[Block], index: usize) -> Option<String> {
    let next = blocks.get(index + 1)?;
    if next.lang != "output" {
        return None;
    }
    // Only blank lines may stand between the two fences.
    let lines: Vec<&str> = page.text.lines().collect();
    let this_end = closing_line(&lines, blocks[index].line - 1)?;
    let between = &lines[this_end + 1..next.line - 1];
    between
        .iter()
        .all(|l| l.trim().is_empty())
        .then(|| next.body.clone())
}

/// The index of the fence closing the block opened at `open`.
fn closing_line(lines: &[&str], open: usize) -> Option<usize> {
    let (_, ticks, _) = fence(lines[open])?;
    (open + 1..lines.len()).find(|&i| {
        fence(lines[i]).is_some_and(|(_, closing, rest)| closing >= ticks && rest.is_empty())
    })
}
