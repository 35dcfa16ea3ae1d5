// Benchmark peer: the same naive Fibonacci in Rust.
fn fib(n: i64) -> i64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

fn main() {
    let n = std::hint::black_box(40);
    println!("{}", fib(n));
}
