#!/bin/sh
# Which stories of a query were published more than once (exact or lightly edited copies)?
# Uses dossier-search --dedup --format jsonl: one line per duplicate group with its number of
# copies, then a summary whose "total" counts groups.
#
# Usage: syndication-report.sh [QUERY]    (DOSSIER_DB and DOSSIER_SEARCH as for dossier-search)
# Example: DOSSIER_DB=dossier-db scripts/examples/syndication-report.sh ceasefire
set -eu
search=${DOSSIER_SEARCH:-dossier-search}
query=${1:-*}
status=0
"$search" "$query" --dedup --limit all --no-snippets --format jsonl | python3 -c '
import json, sys
groups = copies = 0
for line in sys.stdin:
    j = json.loads(line)
    if j["type"] == "hit" and j["copies"] > 1:
        date = (j["date"] or "undated")[:10]
        print("%3d copies  %-10s  %-20.20s  %s" % (j["copies"], date, j["source"], j["title"]))
        groups += 1
        copies += j["copies"]
    elif j["type"] == "summary":
        print("%d stories with copies (%d articles); %d distinct stories in all" % (groups, copies, j["total"]))
' || status=$?
exit $status
