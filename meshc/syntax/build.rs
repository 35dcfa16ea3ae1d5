//! Generates the LR(1) parser from `src/grammar.lalrpop` into OUT_DIR.
fn main() {
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .process()
        .expect("grammar.lalrpop must generate a parser");
}
