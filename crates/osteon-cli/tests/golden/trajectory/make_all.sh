#!/bin/sh
# Regenerates the R reference outputs of every case (R 4.2.2, base R only).
# usage: sh make_all.sh [CASE...]   (default: every folder with an args.txt)
set -e
cd "$(dirname "$0")"
cases="$*"
[ -n "$cases" ] || cases=$(for f in */args.txt; do dirname "$f"; done)
for case in $cases; do
  Rscript trajectory_golden.R "$case"
done
