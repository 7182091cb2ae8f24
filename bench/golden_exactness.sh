#!/usr/bin/env bash
# Counts how many values of results.tsv and dispersions.tsv are bit-identical
# to DESeq2 1.38.3 in every committed golden case (goldens are written with
# 17 significant digits, so equality is exact). Needs python3 + pandas.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --release -q -p osteon-cli --manifest-path "$here/Cargo.toml"
cd "$here/crates/osteon-cli/tests/golden/deseq2"
out="${TMPDIR:-/tmp}/osteon-golden-exactness"
for c in */; do
  c=${c%/}
  [[ -f $c/args.txt ]] || continue
  eval "\"$here/target/release/osteon\" de --quiet --counts $c/counts.tsv --samples $c/samples.csv $(cat "$c/args.txt") --out \"$out/$c\""
  python3 - "$c" "$out/$c" <<'PY'
import sys
import numpy as np
import pandas as pd
case, test_dir = sys.argv[1], sys.argv[2]
total = same = 0
worst = 0.0
for name in ["results.tsv", "dispersions.tsv"]:
    ref = pd.read_csv(f"{case}/deseq2/{name}", sep="\t", index_col=0, float_precision="round_trip")
    tst = pd.read_csv(f"{test_dir}/{name}", sep="\t", index_col=0, float_precision="round_trip").loc[ref.index]
    for col in ref.columns:
        a, b = ref[col].to_numpy(float), tst[col].to_numpy(float)
        both = ~np.isnan(a) & ~np.isnan(b)
        if (np.isnan(a) != np.isnan(b)).any():
            print(f"{case}: NA pattern differs in {name}:{col}")
        total += both.sum()
        same += (a[both] == b[both]).sum()
        if both.any():
            worst = max(worst, float((np.abs(a[both] - b[both]) / np.maximum(np.abs(a[both]), 1e-300)).max()))
print(f"{case}: {same}/{total} values bit-identical, max relative difference {worst:.1e}")
PY
done
