//! The built site: `mdbook build` into a scratch directory, every internal link and anchor of
//! the generated HTML resolved, and one page rendered by headless Chromium without console
//! errors.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mesh_tests::process::{run_with_timeout, Status};

const MDBOOK_TIMEOUT: Duration = Duration::from_secs(300);
const BROWSER_TIMEOUT: Duration = Duration::from_secs(120);

/// Builds `website/` into `out` with `mdbook build`.
pub fn build(website: &Path, out: &Path) -> Result<(), String> {
    let _ = fs::remove_dir_all(out);
    let mut command = Command::new("mdbook");
    command.arg("build").arg(website).arg("--dest-dir").arg(out);
    let result = run_with_timeout(&mut command, MDBOOK_TIMEOUT)
        .map_err(|e| format!("cannot run mdbook ({e}): `bash scripts/bootstrap.sh` installs it"))?;
    let stderr = String::from_utf8_lossy(&result.stderr);
    if result.status != Status::Exited(0) {
        return Err(format!(
            "mdbook build failed ({}):\n{stderr}",
            result.status
        ));
    }
    // mdBook reports broken SUMMARY entries and the like as warnings; the site has none.
    if let Some(line) = stderr
        .lines()
        .find(|l| l.contains("WARN") || l.contains("ERROR"))
    {
        return Err(format!("mdbook build warned: {line}\n{stderr}"));
    }
    Ok(())
}

/// Every `.html` file under `dir` except the generated all-in-one and error pages.
fn html_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            html_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !matches!(name, "print.html" | "404.html" | "toc.html") {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// The values of an attribute (`href="…"`) in an HTML text.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!("{attribute}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Every relative link of the built site names a file that exists, and its `#fragment` an
/// element id of that file.
pub fn check_links(out: &Path) -> Result<usize, String> {
    let mut files = Vec::new();
    html_files(out, &mut files)?;
    let mut ids: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in &files {
        let html =
            fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for href in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if href.contains("://")
                || href.starts_with("mailto:")
                || href.starts_with("data:")
                || href.starts_with("javascript:")
            {
                continue;
            }
            let href = href.replace("&amp;", "&");
            let (path_part, fragment) = match href.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (href.clone(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or_default().to_string();
            let base = file.parent().unwrap_or(out);
            let mut target = if path_part.is_empty() {
                file.clone()
            } else {
                base.join(&path_part)
            };
            if path_part.ends_with('/') || target.is_dir() {
                target = target.join("index.html");
            }
            checked += 1;
            let page = file.strip_prefix(out).unwrap_or(file).display().to_string();
            let Ok(target) = target.canonicalize() else {
                problems.push(format!(
                    "{page}: link `{href}` names a file that does not exist"
                ));
                continue;
            };
            if !target.starts_with(out.canonicalize().map_err(|e| e.to_string())?) {
                problems.push(format!("{page}: link `{href}` leaves the site (link repository files as `code`, not as links)"));
                continue;
            }
            if let (Some(fragment), true) =
                (fragment, target.extension().is_some_and(|e| e == "html"))
            {
                if fragment.is_empty() {
                    continue;
                }
                let list = match ids.get(&target) {
                    Some(list) => list,
                    None => {
                        let text = fs::read_to_string(&target).unwrap_or_default();
                        let found = attribute_values(&text, "id")
                            .into_iter()
                            .map(str::to_string)
                            .collect();
                        ids.entry(target.clone()).or_insert(found)
                    }
                };
                if !list.contains(&fragment) {
                    problems.push(format!(
                        "{page}: link `{href}` names an anchor that does not exist"
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems.join("\n"))
    }
}

/// Renders `page` in headless Chromium: no console message at all (errors, warnings, uncaught
/// exceptions), the Mesh code highlighted, and the rendered DOM has the page's heading and the
/// navigation that mdBook's scripts fill in.
pub fn render_in_browser(page: &Path, heading: &str) -> Result<(), String> {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or("no chromium on PATH: `bash scripts/bootstrap.sh` installs Debian's chromium")?;
    let profile = page.parent().unwrap_or(page).join(".chromium-profile");
    let mut command = Command::new(browser);
    command
        .arg("--headless")
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--enable-logging=stderr")
        .arg("--v=0")
        .arg("--virtual-time-budget=5000")
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()));
    let out = run_with_timeout(&mut command, BROWSER_TIMEOUT)
        .map_err(|e| format!("cannot run {browser}: {e}"))?;
    let _ = fs::remove_dir_all(&profile);
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    if out.status != Status::Exited(0) {
        return Err(format!("{browser} failed ({}):\n{log}", out.status));
    }
    // The site's head script (website/theme/head.hbs) records console errors and uncaught
    // exceptions in an attribute of <html>.
    if !dom.contains("<html") {
        return Err(format!("{browser} printed no page:\n{log}"));
    }
    if let Some(at) = dom.find("data-console-errors=\"") {
        let rest = &dom[at + "data-console-errors=\"".len()..];
        let errors = rest.split('"').next().unwrap_or_default();
        return Err(format!(
            "the page logged errors in the browser console: {errors}"
        ));
    }
    // Chromium logs every console message (any level) as `…:CONSOLE(line)] "text"`. The site
    // prints none: the Mesh and output languages are registered with highlight.js by
    // website/theme/head.hbs, so even its "unknown language" warnings are gone.
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    if !console.is_empty() {
        return Err(format!(
            "the page wrote to the browser console:\n{}",
            console.join("\n")
        ));
    }
    if !dom.contains(heading) {
        return Err(format!(
            "the rendered page lacks its heading `{heading}`:\n{}",
            &dom[..dom.len().min(4000)]
        ));
    }
    if !dom.contains("hljs-keyword") {
        return Err(
            "the page's Mesh code was not highlighted (website/theme/head.hbs)".to_string(),
        );
    }
    // The navigation is filled in by mdBook's scripts: its presence shows they ran.
    if !dom.contains("chapter-item") {
        return Err(format!(
            "the rendered page has no navigation (did the scripts run?):\n{}",
            &dom[..dom.len().min(4000)]
        ));
    }
    Ok(())
}
