// Benchmark peer: binary-trees as in binary_trees.mpl, with Box-allocated nodes (the system
// allocator, no arena), built and dropped the same way.
enum Tree {
    Leaf,
    Node(Box<Tree>, Box<Tree>),
}

fn make(depth: u32) -> Tree {
    if depth == 0 {
        Tree::Node(Box::new(Tree::Leaf), Box::new(Tree::Leaf))
    } else {
        Tree::Node(Box::new(make(depth - 1)), Box::new(make(depth - 1)))
    }
}

fn check(t: &Tree) -> i64 {
    match t {
        Tree::Leaf => 0,
        Tree::Node(l, r) => 1 + check(l) + check(r),
    }
}

fn main() {
    let max = std::hint::black_box(18);
    println!("stretch tree of depth {} check {}", max + 1, check(&make(max + 1)));
    let long_lived = make(max);
    let mut d = 4;
    while d <= max {
        let n = 1i64 << (max - d + 4);
        let total: i64 = (0..n).map(|_| check(&make(d))).sum();
        println!("{n} trees of depth {d} check {total}");
        d += 2;
    }
    println!("long lived tree of depth {max} check {}", check(&long_lived));
}
