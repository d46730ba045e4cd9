#!/usr/bin/env bash
# Keep ONE tracking issue in step with the link check: open it (or update its body) while
# something is broken, close it with a last report once nothing is. The issue is found by
# its label, so renaming it by hand does no harm.
# Usage: link-report-issue.sh EXIT_CODE REPORT.md   (needs gh with GH_TOKEN and GH_REPO)
set -euo pipefail

code=$1
report=$2
label=link-check
run="${RUN_URL:-this run}"

open_issue=$(gh issue list --label "$label" --state open --json number --jq 'map(.number) | sort | first // empty')

case "$code" in
  1)
    body=$(mktemp)
    trap 'rm -f "$body"' EXIT
    { cat "$report"; printf '\n_Updated by the weekly link check: %s_\n' "$run"; } >"$body"
    if [ -n "$open_issue" ]; then
      gh issue edit "$open_issue" --body-file "$body"
    else
      gh label create "$label" --color B60205 --description "Kept up to date by the weekly link check" --force
      gh issue create --title "Broken links in the directory" --label "$label" --body-file "$body"
    fi
    ;;
  0)
    if [ -n "$open_issue" ]; then
      body=$(mktemp)
      trap 'rm -f "$body"' EXIT
      { printf 'Nothing is broken any more (%s), so this issue is closed.\n\n' "$run"; cat "$report"; } >"$body"
      gh issue comment "$open_issue" --body-file "$body"
      gh issue close "$open_issue" --reason completed
    fi
    ;;
  *)
    echo "the link check could not run (exit code '$code'); the tracking issue is left as it is" >&2
    exit 1
    ;;
esac
