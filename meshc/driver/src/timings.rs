//! Per-stage wall times of one compilation (`meshc build --timings`). The session records the
//! front-end stages; the CLI adds code generation and linking.

use std::time::{Duration, Instant};

/// The stages `--timings` reports, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Project discovery, the manifest and reading the files.
    Discover,
    Parse,
    /// The import graph check, name resolution and lowering to HIR.
    ResolveLower,
    /// Type inference and exhaustiveness.
    Typecheck,
    /// HIR → MIR, optimisation and verification.
    Mir,
    Codegen,
    Link,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Discover => "discover",
            Stage::Parse => "parse",
            Stage::ResolveLower => "resolve/lower",
            Stage::Typecheck => "typecheck",
            Stage::Mir => "mir",
            Stage::Codegen => "codegen",
            Stage::Link => "link",
        }
    }
}

/// Accumulated wall time per stage (a stage run twice, as by two `analyze` calls, adds up).
#[derive(Debug, Clone, Default)]
pub struct Timings {
    stages: Vec<(Stage, Duration)>,
}

impl Timings {
    pub fn add(&mut self, stage: Stage, time: Duration) {
        match self.stages.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, total)) => *total += time,
            None => self.stages.push((stage, time)),
        }
    }

    /// Runs `f`, adding its wall time to `stage`.
    pub fn time<T>(&mut self, stage: Stage, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let value = f();
        self.add(stage, started.elapsed());
        value
    }

    /// The recorded stages in pipeline order.
    pub fn stages(&self) -> Vec<(Stage, Duration)> {
        let mut stages = self.stages.clone();
        stages.sort_by_key(|(s, _)| *s);
        stages
    }

    /// One line per recorded stage and a total, in milliseconds:
    /// `  parse            1.23 ms`.
    pub fn render(&self) -> String {
        let mut out = String::from("timings:\n");
        let mut total = Duration::ZERO;
        for (stage, time) in self.stages() {
            total += time;
            out.push_str(&line(stage.name(), time));
        }
        out.push_str(&line("total", total));
        out
    }
}

fn line(name: &str, time: Duration) -> String {
    format!("  {name:<14}{:>10.2} ms\n", time.as_secs_f64() * 1000.0)
}
