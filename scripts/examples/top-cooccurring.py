#!/usr/bin/env python3
"""The institutions (or people, topics, places) that appear most with a topic, with counts.

Uses dossier-search --cooccur KIND --format json: for each entity, the matching articles that
mention it (foreground), all articles that mention it (background) and the G² association score.

Usage: top-cooccurring.py [--db DIR] [--search PATH] [--kind institution] [--top 10] TOPIC
Example: top-cooccurring.py --db dossier-db ceasefire
"""
import argparse
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description="Entities co-occurring with a topic")
    ap.add_argument("--db", default=os.environ.get("DOSSIER_DB", "dossier-db"))
    ap.add_argument("--search", default=os.environ.get("DOSSIER_SEARCH", "dossier-search"))
    ap.add_argument("--kind", default="institution", choices=["person", "institution", "topic", "place"])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("topic")
    args = ap.parse_args()
    query = 'topic:"{}"'.format(args.topic.replace('"', ""))
    r = subprocess.run([args.search, "--db", args.db, query, "--cooccur", args.kind,
                        "--facet-size", str(args.top), "--format", "json"], capture_output=True, text=True)
    if r.returncode == 2:
        sys.exit(f"top-cooccurring: {r.stderr.strip()}")
    j = json.loads(r.stdout)
    print(f"{j['total']} articles about {args.topic} (of {j['background']})")
    print(f"{args.kind:<40} {'with':>6} {'all':>6} {'G2':>8}")
    for e in j["cooccur"]:
        print(f"{e['text'][:40]:<40} {e['foreground']:>6} {e['background']:>6} {e['score']:>8.1f}")


if __name__ == "__main__":
    main()
