// Benchmark peer: the map and list churn of churn.mpl with Rust's mutable collections
// (HashMap with String keys, Vec), rebuilt from scratch every round.
use std::collections::HashMap;

fn main() {
    let rounds = std::hint::black_box(2000);
    let mut acc: i64 = 0;
    for _ in 0..rounds {
        let mut m: HashMap<String, i64> = HashMap::new();
        for i in 0..1000i64 {
            m.insert(format!("key-{i}"), i * i);
        }
        let xs: Vec<i64> = (0..1000i64).collect();
        let xs: Vec<i64> = xs.iter().map(|x| x * 2).filter(|x| x % 3 == 0).collect();
        let mut m2 = m.clone();
        m2.remove("key-7");
        acc += m2.len() as i64 + m["key-17"] + xs.len() as i64 + xs.last().copied().unwrap_or(0);
    }
    println!("{acc}");
}
