//! The `Session` API over in-memory sources and projects on disk: partial parses keep their
//! intact declarations and comments, analysis with errors still yields the types of the rest,
//! an overlay beats the file on disk, analysis never panics on the e2e compile-fail fixtures,
//! and checking the same program 1,000 times in one process does not grow memory.

use mesh_driver::Session;
use mesh_sema::print;
use mesh_syntax::ast::ItemKind;
use mesh_syntax::span::{SourceFile, SourceMap};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};

/// A session over `(path, module, text)` files, entry `Main`.
fn session(files: &[(&str, &str, &str)]) -> Session {
    let mut sources = SourceMap::new();
    for (path, module, text) in files {
        sources.add(SourceFile::new(*path, *module, *text));
    }
    Session::new(sources)
}

fn fn_names(module: &mesh_syntax::ast::Module) -> Vec<&str> {
    module
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Fn(f) => Some(f.name.name.as_str()),
            _ => None,
        })
        .collect()
}

/// The `fn …` lines of the types dump, that is each function's generalised signature.
fn signatures(analysis: &mesh_driver::Analysis) -> Vec<String> {
    let checked = analysis.program.as_ref().expect("a typed program");
    print::types(&checked.program, &checked.types)
        .lines()
        .filter(|l| l.starts_with("fn "))
        .map(str::to_string)
        .collect()
}

#[test]
fn partial_parse_keeps_the_intact_items() {
    let mut s = session(&[(
        "main.mpl",
        "Main",
        "fn one() = 1\nfn broken() = * 2\nfn two() = 2\n",
    )]);
    let parsed = s.parse();
    assert!(parsed.has_errors());
    assert_eq!(parsed.diagnostics.len(), 1);
    let module = &parsed.modules[0];
    assert!(!module.complete);
    assert_eq!(
        fn_names(module.ast.as_ref().expect("recovered")),
        ["one", "two"]
    );
}

#[test]
fn comments_are_attached_to_the_tree() {
    let src = "##! Shapes.\n\n## The area.\n## In square units.\nfn area(w, h) = w * h # product\n\nfn main() = area(1, 2)\n";
    let mut s = session(&[("main.mpl", "Main", src)]);
    let parsed = s.parse();
    let ast = parsed.modules[0].ast.as_ref().expect("parses");
    let ItemKind::Fn(area) = &ast.items[0].kind else {
        panic!("the first item is a function");
    };
    assert_eq!(
        ast.comments.doc_for(area.name.span).as_deref(),
        Some("The area.\nIn square units.")
    );
    assert_eq!(ast.comments.module_doc().as_deref(), Some("Shapes."));
    let texts: Vec<&str> = ast.comments.list.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [" Shapes.", " The area.", " In square units.", " product"]
    );
}

#[test]
fn analysis_with_a_type_error_still_types_the_other_functions() {
    let mut s = session(&[(
        "main.mpl",
        "Main",
        "fn inc(x :: Int) = x + 1\nfn bad() = 1 + \"a\"\nfn pair(a, b) = (a, b)\nfn main() = inc(2)\n",
    )]);
    let analysis = s.analyze();
    assert!(analysis.has_errors());
    assert!(analysis
        .diagnostics
        .iter()
        .any(|d| d.code.as_str() == "E0001"));
    let sigs = signatures(&analysis);
    assert!(
        sigs.contains(&"fn Main.inc/1 :: Fun(Int) -> Int".to_string()),
        "{sigs:?}"
    );
    assert!(
        sigs.contains(&"fn Main.pair/2 :: Fun(A, B) -> (A, B)".to_string()),
        "{sigs:?}"
    );
    assert!(
        analysis.into_checked().is_none(),
        "no MIR for a program with errors"
    );
}

#[test]
fn analysis_with_resolution_and_syntax_errors_still_types_the_rest() {
    // An undefined name: reported once, the checker still types the other functions.
    let mut s = session(&[(
        "main.mpl",
        "Main",
        "fn inc(x :: Int) = x + 1\nfn bad() = nowhere(1)\nfn main() = inc(2)\n",
    )]);
    let analysis = s.analyze();
    assert_eq!(analysis.diagnostics.len(), 1, "{:?}", analysis.diagnostics);
    assert!(signatures(&analysis).contains(&"fn Main.inc/1 :: Fun(Int) -> Int".to_string()));
    // A syntax error in one module: the parse error is all that is reported, and the intact
    // declarations of both modules are typed.
    let mut s = session(&[
        (
            "main.mpl",
            "Main",
            "import Util\nfn broken() = )\nfn main() = Util.twice(2)\n",
        ),
        ("util.mpl", "Util", "pub fn twice(x) = x * 2\n"),
    ]);
    let analysis = s.analyze();
    assert_eq!(analysis.diagnostics.len(), 1, "{:?}", analysis.diagnostics);
    assert_eq!(analysis.diagnostics[0].code.as_str(), "P0001");
    let sigs = signatures(&analysis);
    assert!(
        sigs.contains(&"fn Main.main/0 :: Fun() -> Int".to_string()),
        "{sigs:?}"
    );
    assert!(
        sigs.contains(&"fn Util.twice/1 :: Fun(Int) -> Int".to_string()),
        "{sigs:?}"
    );
}

#[test]
fn a_clean_program_reaches_mir() {
    let mut s = session(&[("main.mpl", "Main", "fn main() = println(\"hi\")\n")]);
    let analysis = s.analyze();
    assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
    let checked = analysis.into_checked().expect("checked");
    let mir = s.lower_mir(checked, 0);
    assert!(mir.to_string().contains("main"));
    let stages: Vec<&str> = s
        .timings()
        .stages()
        .iter()
        .map(|(st, _)| st.name())
        .collect();
    assert_eq!(stages, ["parse", "resolve/lower", "typecheck", "mir"]);
}

/// A fresh directory under the system temp dir holding `files` (relative path, text).
fn project_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mesh-driver-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a parent"))
            .expect("temp dirs are creatable");
        std::fs::write(&path, text).expect("temp files are writable");
    }
    dir
}

#[test]
fn an_overlay_beats_the_file_on_disk() {
    let dir = project_dir("overlay", &[("main.mpl", "fn main() = 1\n")]);
    let mut s = Session::from_project(&dir).expect("the project loads");
    let path = dir.join("main.mpl").display().to_string();
    s.set_source(&path, "fn main() = helper()\nfn helper() = \"buffer\"\n")
        .expect("main.mpl is a module of the session");
    let sigs = signatures(&s.analyze());
    assert_eq!(
        sigs,
        [
            "fn Main.main/0 :: Fun() -> String",
            "fn Main.helper/0 :: Fun() -> String"
        ]
    );
    assert!(s.set_source("elsewhere.mpl", "").is_err());
    let stages: Vec<&str> = s
        .timings()
        .stages()
        .iter()
        .map(|(st, _)| st.name())
        .collect();
    assert_eq!(stages[0], "discover");
    let _ = std::fs::remove_dir_all(&dir);
}

/// runtime-cluster §4.1: a `meshc test` executable registers the package's clustered work but
/// is marked as a test build (codegen emits `mesh_rt_cluster_test_build()` first); the
/// program's own build is not.
#[test]
fn test_builds_register_clustered_work_as_a_test_build() {
    let dir = project_dir(
        "cluster_test_build",
        &[
            (
                "mesh.toml",
                "[package]\nname = \"c\"\nversion = \"0.1.0\"\n",
            ),
            ("main.mpl", "fn main() do\nend\n"),
            ("work.mpl", "@cluster pub fn add() -> Int = 1 + 1\n"),
            (
                "tests/work.test.mpl",
                "from Work import add\ntest(\"add\") do\n  assert_eq(add(), 2)\nend\n",
            ),
        ],
    );
    let mir = |mut s: Session| {
        let analysis = s.analyze();
        assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
        let checked = analysis.into_checked().expect("checked");
        s.lower_mir(checked, 0)
    };
    let test = mir(Session::for_test_file(&dir, Path::new("tests/work.test.mpl")).expect("loads"));
    assert!(test.test_build);
    let names: Vec<&str> = test.clustered.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Work.add"]);
    assert!(test
        .to_string()
        .starts_with("cluster test_build\ncluster declare \"Work.add\""));
    let program = mir(Session::from_project(&dir).expect("loads"));
    assert!(!program.test_build);
    assert_eq!(program.clustered.len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every compile-fail fixture of the e2e suite (`<name>.stderr` beside `<name>.mpl` or a
/// project folder `<name>/`): analysis returns (never panics) with an error, and a typed
/// program unless imports form a cycle.
#[test]
fn analysis_returns_partial_results_for_every_compile_fail_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e");
    let mut fixtures = Vec::new();
    collect_fail_fixtures(&root, &mut fixtures);
    assert!(fixtures.len() > 20, "found {} fixtures", fixtures.len());
    for fixture in fixtures {
        let Ok(mut s) = Session::from_project(&fixture) else {
            continue;
        };
        let analysis = s.analyze();
        assert!(
            analysis.has_errors(),
            "{} analysed without errors",
            fixture.display()
        );
        assert!(
            analysis.program.is_some() || analysis.failure.is_some(),
            "{}: no typed program",
            fixture.display()
        );
    }
}

fn collect_fail_fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_fail_fixtures(&path, out);
        } else if path.extension().is_some_and(|e| e == "stderr")
            && !path.to_string_lossy().ends_with(".run.stderr")
        {
            let file = path.with_extension("mpl");
            let folder = path.with_extension("");
            if file.is_file() {
                out.push(file);
            } else if folder.is_dir() {
                out.push(folder);
            }
        }
    }
}

// ---- memory: a long-running process does not grow with every check

/// Counts the bytes live on each thread (allocated minus freed there), so tests running in
/// parallel threads do not disturb each other's count.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn add_live(delta: isize) {
    // `try_with`: allocations during thread teardown find the key destroyed; skip those.
    let _ = LIVE.try_with(|live| live.set(live.get() + delta));
}

// SAFETY: every method forwards to the system allocator with the caller's arguments, whose
// contracts are the same; the counter only reads sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add_live(layout.size() as isize);
        // SAFETY: forwarded with the caller's layout (GlobalAlloc::alloc's contract).
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add_live(-(layout.size() as isize));
        // SAFETY: `ptr` was allocated by `System` with `layout` (through `alloc` above).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add_live(new_size as isize - layout.size() as isize);
        // SAFETY: forwarded unchanged; `ptr` and `layout` come from this allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SHAPES: &str = "pub type Shape do\n  Circle(Float)\n  Rect(Float, Float)\nend\n\ninterface Describe do\n  fn describe(self) -> String\n  fn loud(self) -> String do\n    \"!\"\n  end\nend\n\nimpl Describe for Shape do\n  fn describe(self) -> String do\n    case self do\n      Circle(r) -> \"circle ${r}\"\n      Rect(w, h) -> \"rect ${w}x${h}\"\n    end\n  end\nend\n\npub fn area(s :: Shape) -> Float do\n  case s do\n    Circle(r) -> 3.14 * r * r\n    Rect(w, h) -> w * h\n  end\nend\n";

const MAIN: &str = "from Shapes import Shape, area\n\nservice Counter do\n  fn init(start :: Int) -> Int do\n    start\n  end\n\n  call Get() :: Int do |n|\n    (n, n)\n  end\n\n  cast Add(k :: Int) do |n|\n    n + k\n  end\nend\n\nfn main() do\n  let pid = Counter.start(0)\n  Counter.add(pid, 2)\n  let shapes = [Circle(1.0), Rect(2.0, 3.0)]\n  let total = List.map(shapes, fn s -> area(s) end)\n  println(\"${Counter.get(pid)} ${total}\")\nend\n";

/// One check of a program with a service, an interface with a default method, an impl and two
/// modules; asserts it is clean so the test measures real work.
fn check_once() {
    let mut s = session(&[("main.mpl", "Main", MAIN), ("shapes.mpl", "Shapes", SHAPES)]);
    let analysis = s.analyze();
    assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
}

#[test]
fn checking_a_program_a_thousand_times_keeps_memory_flat() {
    for _ in 0..20 {
        check_once();
    }
    let warm = LIVE.with(Cell::get);
    for _ in 0..1_000 {
        check_once();
    }
    let growth = LIVE.with(Cell::get) - warm;
    // Each check allocates hundreds of KiB and frees all of it (the growth measured is 0); the
    // slack covers lazily grown statics, while leaking one synthesised function per check (as
    // lowering once did with `Box::leak`) adds about 17 MB here.
    assert!(
        growth < 4 * 1024,
        "live bytes grew by {growth} over 1,000 checks"
    );
}
