"""Interleaved A/B timing of two (or more) osteon binaries on one workload.

usage: bench/ab_binaries.py airway|sim30k|ora ROUNDS BINARY...

Runs each binary once per round, alternating, so that the machine's slow
drifts hit every binary alike, and prints the minimum and median wall time
of each. This is how the per-change figures in bench/RESULTS.md were
measured (build the old and the new binary, copy both somewhere, compare).
Outputs go to /tmp/osteon-ab-*; compare them with `cmp` to check that a
change left them byte-identical.

Data: ../shared/data/rnaseq/airway and ../shared/data/go (SHARED overrides
../shared); sim30k reads $BENCH_DIR/sim30k.* (default /tmp/osteon-bench),
as bench/deseq2_vs_reference.sh sim30k writes them.
"""
import os
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
shared = os.environ.get("SHARED", os.path.join(here, "..", "..", "shared"))
bench_dir = os.environ.get("BENCH_DIR", "/tmp/osteon-bench")
airway = os.path.join(shared, "data", "rnaseq", "airway")
go = os.path.join(shared, "data", "go")
lists = os.path.join(here, "..", "crates", "osteon-cli", "tests", "golden", "enrich")


def command(binary, kind, out):
    if kind == "airway":
        return [binary, "de", "--quiet", "--counts", f"{airway}/counts.csv",
                "--samples", f"{airway}/samples.csv", "--design", "~ cell + dex",
                "--contrast", "dex,trt,untrt", "--out", out]
    if kind == "sim30k":
        return [binary, "de", "--quiet", "--counts", f"{bench_dir}/sim30k.counts.tsv",
                "--samples", f"{bench_dir}/sim30k.samples.csv",
                "--design", "~ batch + condition", "--out", out]
    if kind == "ora":
        return [binary, "enrich", "--quiet", "--genes", f"{lists}/list_large.txt",
                "--universe", f"{lists}/universe.txt",
                "--ontology", f"{go}/go-basic.obo.gz", "--annotations", f"{go}/human.gaf.gz",
                "--id-map", f"{go}/human_genes.tsv.gz", "--namespace", "BP",
                "--relations", "is_a", "--universe-policy", "all",
                "--min-size", "0", "--max-size", "0", "--out", out]
    sys.exit(f"unknown workload {kind!r} (airway, sim30k or ora)")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    kind, rounds, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    times = {b: [] for b in binaries}
    for _ in range(rounds):
        for k, binary in enumerate(binaries):
            start = time.perf_counter()
            subprocess.run(command(binary, kind, f"/tmp/osteon-ab-{k}"), check=True)
            times[binary].append(time.perf_counter() - start)
    for binary in binaries:
        t = sorted(times[binary])
        print(f"{binary:40s} min {t[0]:.4f} s  median {t[len(t) // 2]:.4f} s")


if __name__ == "__main__":
    main()
