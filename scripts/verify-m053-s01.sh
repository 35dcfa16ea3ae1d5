#!/usr/bin/env bash
exec bash "$(dirname "${BASH_SOURCE[0]}")/verify-todo-postgres-deploy.sh" "$@" # Appendix A alias of scripts/verify-todo-postgres-deploy.sh
