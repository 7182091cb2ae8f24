#!/usr/bin/env bash
# Benchmark: `osteon gsea` against GSEApy 1.3.1's Rust core in one run, on
# ~5,000 GO BP gene sets (5,687 in the file, 4,490 within 15..500 genes) and
# the airway ranking (18,209 genes) committed as the golden of
# crates/osteon-cli/tests/golden/gsea. Prints wall times of each whole
# process, GSEApy's in-process prerank time, the ratios, and how closely the
# results agree.
#
#   bench/gsea_vs_gseapy.sh            # THREADS=<all cores>
#   THREADS=1 bench/gsea_vs_gseapy.sh
#   PERMUTATION=0 bench/gsea_vs_gseapy.sh   # skip GSEApy's slow default method
#
# Both tools get the same thread count and seed. GSEApy runs twice: with
# method="multilevel" (its port of fgsea's fgseaMultilevel, the algorithm
# osteon implements; with the same seed the results agree to ~1e-15) and
# with its default method="permutation" (classic GSEA, 1000 gene-set
# permutations; different statistics, timed for reference). Needs python3
# with gseapy 1.3.1 (pip install gseapy==1.3.1). Run on an idle machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${BENCH_DIR:-/tmp/osteon-bench-gsea}"
threads="${THREADS:-$(nproc)}"
seed=42
golden="$here/crates/osteon-cli/tests/golden/gsea"
rnk="$golden/airway_dex.rnk.gz"
gmt="$golden/go_bp.gmt.gz"
mkdir -p "$work"
cargo build --release -q -p osteon-cli --manifest-path "$here/Cargo.toml"
osteon="${CARGO_TARGET_DIR:-$here/target}/release/osteon"

seconds() { # command... → wall seconds on stdout, command output in $work/last.log
  local t0 t1
  # bash's clock, read without starting a process (a `date` subprocess
  # would add its own start-up, milliseconds here, to the measurement).
  t0=$EPOCHREALTIME
  "$@" > "$work/last.log" 2>&1
  t1=$EPOCHREALTIME
  echo "$t1 - $t0" | bc
}

echo "== GSEA: $(zcat "$rnk" | grep -v '^#' | tail -n +2 | wc -l) ranked genes, $(zcat "$gmt" | wc -l) GO BP sets, $threads thread(s), seed $seed"
o=$(seconds "$osteon" gsea --rnk "$rnk" --gmt "$gmt" --threads "$threads" --seed "$seed" --quiet --out "$work/osteon")
echo "osteon gsea (multilevel):          process ${o}s"
g=$(seconds python3 "$here/bench/gsea/gseapy_prerank.py" "$rnk" "$gmt" multilevel "$threads" "$seed" "$work/gseapy_multilevel.tsv")
gi=$(grep -o 'prerank_seconds=[0-9.]*' "$work/last.log" | cut -d= -f2)
echo "GSEApy prerank (multilevel):       process ${g}s, prerank call ${gi}s"
printf 'ratio (multilevel): GSEApy prerank call / osteon process = %.1fx; process / process = %.1fx\n' \
  "$(echo "$gi / $o" | bc -l)" "$(echo "$g / $o" | bc -l)"
if [[ ${PERMUTATION:-1} != 0 ]]; then
  p=$(seconds python3 "$here/bench/gsea/gseapy_prerank.py" "$rnk" "$gmt" permutation "$threads" "$seed" "$work/gseapy_permutation.tsv")
  pi=$(grep -o 'prerank_seconds=[0-9.]*' "$work/last.log" | cut -d= -f2)
  echo "GSEApy prerank (permutation 1000): process ${p}s, prerank call ${pi}s"
  printf 'ratio (GSEApy default permutation): prerank call / osteon process = %.1fx\n' "$(echo "$pi / $o" | bc -l)"
fi
python3 "$here/bench/gsea/compare.py" "$work/osteon/gsea.tsv" "$work/gseapy_multilevel.tsv"
