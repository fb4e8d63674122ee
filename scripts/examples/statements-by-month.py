#!/usr/bin/env python3
"""Monthly statements by one speaker about one topic, as CSV: month, statements, first quote.

Uses dossier-search's JSON output twice: --histogram month for the exact monthly counts (empty
months included), then the statements themselves (sorted by date) for each month's first quote.

Usage: statements-by-month.py [--db DIR] [--search PATH] SPEAKER TOPIC > out.csv
Example: statements-by-month.py --db dossier-db Varga ceasefire
"""
import argparse
import csv
import json
import os
import subprocess
import sys


def search(args, *extra):
    cmd = [args.search, "--db", args.db, "--statements", "--by", args.speaker, "--about", args.topic,
           "--format", "json", "--no-snippets", *extra]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode == 2:
        sys.exit(f"statements-by-month: {r.stderr.strip()}")
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser(description="Monthly statements by a speaker about a topic, as CSV")
    ap.add_argument("--db", default=os.environ.get("DOSSIER_DB", "dossier-db"))
    ap.add_argument("--search", default=os.environ.get("DOSSIER_SEARCH", "dossier-search"))
    ap.add_argument("speaker")
    ap.add_argument("topic")
    args = ap.parse_args()
    counts = search(args, "--histogram", "month", "--limit", "0")
    statements = search(args, "--sort", "date", "--limit", "all")["statements"]
    first = {}
    for s in statements:
        month = (s["date"] or "")[:7] or "undated"
        first.setdefault(month, s["text"])
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["month", "statements", "first_quote"])
    for row in counts["histogram"]:
        out.writerow([row["period"], row["count"], first.get(row["period"], "")])


if __name__ == "__main__":
    main()
