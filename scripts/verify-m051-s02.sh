#!/usr/bin/env bash
exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-reference-backend.sh" "$@" # Appendix A alias of scripts/verify-reference-backend.sh
