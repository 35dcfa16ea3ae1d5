#!/usr/bin/env bash
exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-clustered-scaffold.sh" "$@" # Appendix A alias of scripts/verify-clustered-scaffold.sh
