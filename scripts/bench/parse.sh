#!/usr/bin/env bash
# Parse benchmark (issue 3): builds the parse_bench example in release and times lexing and
# parsing a generated 10,000-line program of varied constructs; prints the median time in ms and
# lines/s. Arguments go to the example: [--lines N] [--runs R] [--file PATH] [--write PATH].
# The target is "well under 100 ms" for 10,000 lines; this script only reports the figure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cargo build --release -q -p mesh_syntax --example parse_bench
timeout 300 target/release/examples/parse_bench "$@"
