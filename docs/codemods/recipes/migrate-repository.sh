#!/bin/sh
# Runs one lambda-rds codemod in the repository the current directory is in, the way multi-gitter and turbolift
# run a script in each clone. Exits 0 whether or not something changed (the tools commit what changed), non-zero
# when a file could not be migrated.
#
#   CODEMOD       the codemod to run (default: hoist-connection)
#   LAMBDA_RDS    how to start the command (default: npx, with the plugin and ESLint fetched on demand)
set -eu
codemod="${CODEMOD:-hoist-connection}"
lambda_rds="${LAMBDA_RDS:-npx --yes -p eslint-plugin-lambda-rds -p eslint@10 lambda-rds}"
report="${TMPDIR:-/tmp}/lambda-rds-$(basename "$(pwd)")-${codemod}.json"
# shellcheck disable=SC2086 # $lambda_rds is a command line
$lambda_rds migrate "$codemod" . --json "$report"
echo "lambda-rds: report in $report"
