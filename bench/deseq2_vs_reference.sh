#!/usr/bin/env bash
# Benchmark: `osteon de` against R DESeq2 1.38.3 (and PyDESeq2 when installed)
# on the same data in one run, printing wall times, peak memory and ratios.
#
#   bench/deseq2_vs_reference.sh [airway|sim30k|all]
#
# Needs ../shared (airway data, the reference and simulation scripts), R with
# DESeq2 (apt-get install r-bioc-deseq2), python3 with numpy + pandas.
# Timing is wall clock on this machine; run it on an otherwise idle machine.
# PyDESeq2 runs on airway only (on 30k x 200 it takes far longer than both).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${SHARED:-$here/../shared}"
work="${BENCH_DIR:-/tmp/osteon-bench}"
what="${1:-all}"
mkdir -p "$work"
cargo build --release -q -p osteon-cli --manifest-path "$here/Cargo.toml"
osteon="$here/target/release/osteon"

measure() { # label, command... → prints "label wall_s peak_MB"
  local label=$1; shift
  local t0 t1
  # bash's clock, read without starting a process (a `date` subprocess
  # would add its own start-up, milliseconds here, to the measurement).
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/$label.mem" "$@" > "$work/$label.log" 2>&1
  t1=$EPOCHREALTIME
  echo "$label $(echo "$t1 - $t0" | bc) $(( $(cat "$work/$label.mem") / 1024 ))"
}

bench_one() { # name counts samples design contrast
  local name=$1 counts=$2 samples=$3 design=$4 contrast=$5
  echo "== $name: $(($(wc -l < "$counts") - 1)) genes x $(($(head -1 "$counts" | tr ',\t' '\n\n' | wc -l) - 1)) samples"
  local o; o=$(measure "osteon_$name" "$osteon" de --quiet --counts "$counts" --samples "$samples" \
      --design "$design" --contrast "$contrast" --out "$work/osteon_$name")
  echo "osteon: wall ${o#* }" | awk '{print $1, $2, $3 "s", "peak", $4 "MB"}'
  local r; r=$(measure "deseq2_$name" Rscript "$shared/scripts/deseq2_reference.R" "$counts" "$samples" \
      "$design" "$work/deseq2_$name" "contrast=$contrast")
  local r_compute; r_compute=$(grep -o 'seconds=[0-9.]*' "$work/deseq2_$name.log" | cut -d= -f2)
  echo "DESeq2: wall ${r#* } (compute inside R ${r_compute}s)" | awk '{print}'
  local ow rw; ow=$(echo "$o" | awk '{print $2}'); rw=$(echo "$r" | awk '{print $2}')
  printf 'ratio: DESeq2 compute / osteon process = %.1fx; DESeq2 process / osteon process = %.1fx\n' \
      "$(echo "$r_compute / $ow" | bc -l)" "$(echo "$rw / $ow" | bc -l)"
  python3 "$shared/scripts/compare_de.py" "$work/deseq2_$name/results.tsv" "$work/osteon_$name/results.tsv" | tail -2
  if [[ ${with_pydeseq2:-0} == 1 ]] && python3 -c 'import pydeseq2' 2>/dev/null; then
    local p; p=$(measure "pydeseq2_$name" python3 "$here/bench/pydeseq2_run.py" "$counts" "$samples" "$design" "$contrast" "$work/pydeseq2_$name.tsv")
    printf 'PyDESeq2: wall %ss; ratio PyDESeq2 / osteon = %.1fx\n' "$(echo "$p" | awk '{print $2}')" \
        "$(echo "$(echo "$p" | awk '{print $2}') / $ow" | bc -l)"
  fi
  # Peak memory bound: 3x the count matrix held as f64.
  local cells; cells=$(( ($(wc -l < "$counts") - 1) * ($(head -1 "$counts" | tr ',\t' '\n\n' | wc -l) - 1) ))
  printf 'count matrix as f64: %.1f MB; osteon peak / matrix = %.1fx\n' "$(echo "$cells * 8 / 1048576" | bc -l)" \
      "$(echo "$(echo "$o" | awk '{print $3}') / ($cells * 8 / 1048576)" | bc -l)"
}

if [[ $what == airway || $what == all ]]; then
  d="$shared/data/rnaseq/airway"
  with_pydeseq2=1 bench_one airway "$d/counts.csv" "$d/samples.csv" "~ cell + dex" "dex,trt,untrt"
fi
if [[ $what == sim30k || $what == all ]]; then
  d="$shared/data/rnaseq/airway/deseq2"
  [[ -f $work/sim30k.counts.tsv ]] || python3 "$shared/scripts/simulate_counts.py" "$d/dispersions.tsv" "$d/results.tsv" 30000 200 1 "$work/sim30k"
  bench_one sim30k "$work/sim30k.counts.tsv" "$work/sim30k.samples.csv" "~ batch + condition" "condition,B,A"
fi
