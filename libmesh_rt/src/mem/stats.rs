//! Collector statistics (`MESH_GC_STATS=1`): what each heap counts and the one line per heap
//! printed on stderr when its process ends, with the process's peak resident size.

use std::time::Duration;

/// What a heap has done so far. Byte counts are in cell sizes (what the heap handed out).
#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub collections: u64,
    /// Bytes allocated since the heap was created.
    pub allocated: u64,
    /// Bytes freed by collections (and by `free_all`).
    pub freed: u64,
    /// Bytes that survived the last collection.
    pub live: u64,
    pub max_pause: Duration,
    pub total_pause: Duration,
    /// Bytes of memory the heap holds now (blocks, cached blocks, large objects).
    pub footprint: u64,
    /// The most `footprint` has been.
    pub peak_footprint: u64,
}

impl Stats {
    /// The `MESH_GC_STATS` line for a heap named `name`.
    pub fn line(&self, name: &str) -> String {
        let mut line = format!(
            "[gc] heap {name}: collections={} allocated={} freed={} live={} heap={} \
             peak_heap={} max_pause_us={} total_pause_us={}",
            self.collections,
            self.allocated,
            self.freed,
            self.live,
            self.footprint,
            self.peak_footprint,
            self.max_pause.as_micros(),
            self.total_pause.as_micros(),
        );
        if let Some(rss) = peak_rss() {
            line.push_str(&format!(" peak_rss={rss}"));
        }
        line
    }
}

/// The process's peak resident set size in bytes (`VmHWM` of /proc/self/status), where the
/// system reports it.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}
