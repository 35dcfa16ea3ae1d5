# Invalid clustered declarations (tooling §1.1.2): CFG0001 at the decorator.
@cluster fn hidden() -> Int = 1

@cluster(0) pub fn none() -> Int = 0
