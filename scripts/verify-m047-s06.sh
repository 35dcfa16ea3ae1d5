#!/usr/bin/env bash
exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-docs-contract.sh" "$@" # Appendix A alias of scripts/verify-docs-contract.sh
