#!/usr/bin/env bash
exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-todo-starters.sh" "$@" # Appendix A alias of scripts/verify-todo-starters.sh
