#!/usr/bin/env python3
"""Times gseapy.prerank (GSEApy 1.3.1) on a .rnk ranking and a GMT file, the
way bench/gsea_vs_gseapy.sh calls it, and writes its results as TSV.

    gseapy_prerank.py RANKING.rnk[.gz] SETS.gmt[.gz] METHOD THREADS SEED OUT.tsv

METHOD is "multilevel" (GSEApy's Rust port of fgsea's fgseaMultilevel, the
algorithm osteon implements) or "permutation" (GSEApy's default: classic
gene-set permutation GSEA with 1000 permutations, also in Rust). Prints
`prerank_seconds=<s>` (the prerank call alone, after reading the inputs).
"""
import gzip
import sys
import time

import gseapy
import pandas as pd


def lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        for line in f:
            yield line.rstrip("\n")


def main():
    rnk_path, gmt_path, method, threads, seed, out = sys.argv[1:7]
    genes, scores = [], []
    for line in lines(rnk_path):
        fields = line.split("\t")
        if line.startswith("#") or len(fields) != 2:
            continue
        try:
            scores.append(float(fields[1]))
        except ValueError:
            continue  # header
        genes.append(fields[0])
    sets = {}
    for line in lines(gmt_path):
        fields = line.split("\t")
        sets[fields[0]] = [g for g in fields[2:] if g]
    rnk = pd.DataFrame({"gene": genes, "stat": scores})
    start = time.perf_counter()
    result = gseapy.prerank(
        rnk=rnk, gene_sets=sets, min_size=15, max_size=500, permutation_num=1000,
        weight=1.0, method=method, sample_size=101, eps=1e-50, seed=int(seed),
        threads=int(threads), outdir=None, no_plot=True, verbose=False,
    )
    print(f"prerank_seconds={time.perf_counter() - start:.3f}")
    with open(out, "w") as f:
        f.write("Term\tES\tNES\tpval\n")
        for term in sorted(result.results):
            r = result.results[term]
            f.write(f"{term}\t{float(r['es'])!r}\t{float(r['nes'])!r}\t{float(r['pval'])!r}\n")


if __name__ == "__main__":
    main()
