"""Counts bit-identical values between two DE tables (round-trip parsing).
usage: exact_compare.py REF.tsv TEST.tsv"""
import sys
import numpy as np
import pandas as pd

ref = pd.read_csv(sys.argv[1], sep="\t", index_col=0, float_precision="round_trip")
tst = pd.read_csv(sys.argv[2], sep="\t", index_col=0, float_precision="round_trip").loc[ref.index]
for col in ref.columns:
    if col not in tst.columns:
        continue
    a, b = ref[col].to_numpy(float), tst[col].to_numpy(float)
    both = ~np.isnan(a) & ~np.isnan(b)
    same = (a[both] == b[both]).sum()
    rel = np.abs(a[both] - b[both]) / np.maximum(np.abs(a[both]), 1e-300)
    print(f"{col}: {same}/{both.sum()} bit-identical, NA mismatches {(np.isnan(a) != np.isnan(b)).sum()}, max rel diff {rel.max() if len(rel) else 0:.2e}")
