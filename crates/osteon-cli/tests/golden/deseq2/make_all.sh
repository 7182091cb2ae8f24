#!/bin/sh
# Regenerate every DESeq2 golden case: simulate the inputs (numpy), then run
# R DESeq2 on each case with the arguments in its args.txt.
# usage: ./make_all.sh [CASE ...]      (no argument: every case)
# Needs python3 with numpy + pandas, and R with DESeq2 1.38.3
# (Debian/Ubuntu: apt-get install r-bioc-deseq2).
# The stroma_example case is built from examples/stroma (make_example.py).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
cd "$here"

if [ "$#" -gt 0 ]; then cases="$*"; else
  cases="basic_two_group interaction_continuous interaction_continuous_contrast outliers_replace cooks_filtering zeros lrt trend_fallback small_df small_df_2v2 poscounts local_fit mean_fit iterate_sf ref_level no_intercept stroma_example"
fi

for case in $cases; do
  if [ "$case" = stroma_example ]; then
    python3 "$root/examples/stroma/make_example.py"
    mkdir -p stroma_example
    cp "$root/examples/stroma/counts.tsv" "$root/examples/stroma/samples.csv" stroma_example/
    printf '%s\n' '--design "~ condition" --contrast condition,POEMS,MM' > stroma_example/args.txt
  else
    python3 simulate.py "$case"
  fi
  rm -rf "$case/deseq2"
  # args.txt is shell-quoted: let the shell split it into arguments
  eval "set -- $(cat "$case/args.txt")"
  Rscript deseq2_golden.R "$case" "$@"
done
