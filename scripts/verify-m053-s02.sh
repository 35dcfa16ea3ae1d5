#!/usr/bin/env bash
exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-todo-postgres-failover.sh" "$@" # Appendix A alias of scripts/verify-todo-postgres-failover.sh
