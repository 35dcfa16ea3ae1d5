// Benchmark peer: the same string building as strings.mpl — each step allocates a new string
// (immutable concatenation), like the Mesh program does.
fn build(n: i64) -> String {
    let mut acc = String::new();
    for i in 0..n {
        let piece = format!("{}", i % 10);
        acc = [acc.as_str(), piece.as_str()].concat();
    }
    acc
}

fn main() {
    let rounds = std::hint::black_box(20_000);
    let mut total = 0usize;
    for _ in 0..rounds {
        total += build(100).chars().count();
    }
    println!("{total}");
}
