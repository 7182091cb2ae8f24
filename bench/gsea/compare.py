#!/usr/bin/env python3
"""Compares osteon's gsea.tsv with GSEApy's results (bench/gsea/gseapy_prerank.py):
sets tested, max |ΔES|, max relative ΔNES and max |Δlog2 pval|.

    compare.py OSTEON_gsea.tsv GSEAPY.tsv
"""
import math
import sys


def read(path, key, columns):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        at = [header.index(c) for c in columns]
        rows = {}
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows[fields[header.index(key)]] = [float("nan") if fields[i] == "NA" else float(fields[i]) for i in at]
        return rows


osteon = read(sys.argv[1], "pathway", ["ES", "NES", "pval"])
gseapy = read(sys.argv[2], "Term", ["ES", "NES", "pval"])
common = sorted(set(osteon) & set(gseapy))
d_es = max(abs(osteon[t][0] - gseapy[t][0]) for t in common)
d_nes = max(abs(osteon[t][1] - gseapy[t][1]) / abs(gseapy[t][1]) for t in common if not math.isnan(gseapy[t][1]))
d_p = max(abs(math.log2(osteon[t][2]) - math.log2(gseapy[t][2])) for t in common if not math.isnan(gseapy[t][2]))
print(f"sets: osteon {len(osteon)}, GSEApy {len(gseapy)}, common {len(common)}; "
      f"max |dES| {d_es:.1e}, max rel dNES {d_nes:.1e}, max |dlog2 p| {d_p:.1e}")
