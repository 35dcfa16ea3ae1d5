#!/usr/bin/env bash
exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-fly-readonly.sh" "$@" # Appendix A alias of scripts/verify-fly-readonly.sh
