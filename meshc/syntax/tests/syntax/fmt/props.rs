//! Property tests over generated programs (the parser fuzzer's corpus and mutations): the
//! formatter never trips its safety net, is idempotent, and its output does not depend on
//! horizontal whitespace.

use crate::fuzz::{mutated_program, CORPUS};
use mesh_syntax::fmt::{format_source, FmtError, FmtOptions};
use proptest::prelude::*;

/// A corpus program with every run of spaces widened (by 0–3 spaces or a tab) and every line
/// given extra leading indentation (outside string literals): no new token boundaries, only
/// different whitespace.
fn scrambled() -> impl Strategy<Value = (String, String)> {
    (
        proptest::sample::select(CORPUS),
        proptest::collection::vec(0..5usize, 64),
    )
        .prop_map(|(program, widths)| {
            let mut out = String::new();
            let mut k = 0usize;
            let mut in_string = false;
            for ch in program.chars() {
                out.push(ch);
                if ch == '"' {
                    in_string = !in_string;
                }
                if !in_string && (ch == ' ' || ch == '\n') {
                    let w = widths[k % widths.len()];
                    k += 1;
                    out.push_str(match w {
                        0 => "",
                        1 => " ",
                        2 => "  ",
                        3 => "\t",
                        _ => "   ",
                    });
                }
            }
            (program.to_string(), out)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_programs_format_safely_and_idempotently(src in mutated_program()) {
        let opts = FmtOptions::default();
        match format_source(&src, &opts) {
            Err(FmtError::Parse(_)) => {}
            Err(FmtError::Internal(why)) => {
                prop_assert!(false, "safety net refused:\n{src}\n{why}");
            }
            Ok(once) => {
                let twice = format_source(&once, &opts);
                prop_assert!(
                    matches!(&twice, Ok(t) if *t == once),
                    "not idempotent:\n{src}\n--- once\n{once}\n--- twice\n{twice:?}"
                );
            }
        }
    }

    #[test]
    fn horizontal_whitespace_does_not_change_the_output((original, src) in scrambled()) {
        let opts = FmtOptions::default();
        let expected = format_source(original.as_str(), &opts);
        let got = format_source(&src, &opts);
        prop_assert!(
            matches!((&expected, &got), (Ok(e), Ok(g)) if e == g),
            "input:\n{src}\n--- expected\n{expected:?}\n--- got\n{got:?}"
        );
    }
}
