#!/usr/bin/env python3
"""Build the bundled `stroma` example: SIMULATED RNA-seq counts for a
POEMS-like study (bone-marrow stromal cells, POEMS syndrome n = 9 vs
multiple myeloma n = 3) on 2,000 real human genes.

Gene ids and symbols come from Bioconductor's org.Hs.eg.db as exported to
shared/data/go/human_genes.tsv.gz, GO annotations from shared/data/go/human.gaf.gz
(see shared/scripts/export_bioc_go.py). The counts are NOT measured data.

Selection (deterministic, numpy default_rng(SEED)):
  * candidate genes: exactly one Ensembl id, that id and the symbol unique
    in the table, and at least one direct GO biological-process annotation;
  * VEGFA;
  * 40 genes drawn from the candidates directly annotated to GO:0001503
    (ossification) or GO:0001649 (osteoblast differentiation);
  * 1,959 genes drawn from the other candidates (none of them directly
    annotated to those two terms).
Planted effects (POEMS vs MM, log2, rounded to 3 decimals before simulating):
the 40 GO genes up by U(1, 2), VEGFA up by 1.5, and 4% of the other genes a
N(0, 1.2^2) change in either direction.

Writes counts.tsv (gene = Ensembl id), samples.csv (sample,condition) and
genes.tsv (ensembl, symbol, planted_log2fc) next to this script.

usage: make_example.py [SHARED_GO_DIR]   (default: ../shared/data/go relative
       to the repository root)
"""

import gzip
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20230917
N_GENES = 2000
N_GO_GENES = 40
GO_TERMS = {"GO:0001503", "GO:0001649"}  # ossification, osteoblast differentiation
HERE = Path(__file__).resolve().parent
LOG2 = np.log(2.0)


def load_genes(go_dir):
    genes = pd.read_csv(go_dir / "human_genes.tsv.gz", sep="\t", dtype=str, keep_default_na=False)
    genes = genes[(genes.ensembl != "") & ~genes.ensembl.str.contains(",")]
    genes = genes[~genes.ensembl.duplicated(keep=False) & ~genes.symbol.duplicated(keep=False)]
    return genes.set_index("entrez")


def load_bp_annotations(go_dir):
    """entrez -> set of directly annotated biological-process GO ids."""
    terms = {}
    with gzip.open(go_dir / "human.gaf.gz", "rt") as fh:
        for line in fh:
            if line.startswith("!"):
                continue
            col = line.rstrip("\n").split("\t")
            if col[8] != "P" or "NOT" in col[3]:
                continue
            terms.setdefault(col[1], set()).add(col[4])
    return terms


def truncated_normal(rng, n, loc, scale, low, high):
    out = rng.normal(loc, scale, n)
    bad = (out < low) | (out > high)
    while bad.any():
        out[bad] = rng.normal(loc, scale, bad.sum())
        bad = (out < low) | (out > high)
    return out


def main(argv):
    root = HERE.parent.parent
    go_dir = Path(argv[0]) if argv else root.parent / "shared" / "data" / "go"
    rng = np.random.default_rng(SEED)

    genes = load_genes(go_dir)
    bp = load_bp_annotations(go_dir)
    genes = genes[genes.index.isin(bp.keys())].sort_values("symbol")
    in_go = np.array([bool(bp[e] & GO_TERMS) for e in genes.index])
    is_vegfa = (genes.symbol == "VEGFA").to_numpy()
    assert is_vegfa.sum() == 1, "VEGFA missing from the gene table"

    go_pool = genes[in_go & ~is_vegfa]
    rest_pool = genes[~in_go & ~is_vegfa]
    go_pick = go_pool.iloc[np.sort(rng.choice(len(go_pool), N_GO_GENES, replace=False))]
    n_rest = N_GENES - N_GO_GENES - 1
    rest_pick = rest_pool.iloc[np.sort(rng.choice(len(rest_pool), n_rest, replace=False))]

    # effects and base means per group of genes
    go_lfc = np.round(rng.uniform(1.0, 2.0, N_GO_GENES), 3)
    go_logmean = truncated_normal(rng, N_GO_GENES, 5.5, 1.2, 3.0, 9.0)
    rest_lfc = np.zeros(n_rest)
    de = rng.random(n_rest) < 0.04
    rest_lfc[de] = np.round(rng.normal(0.0, 1.2, de.sum()), 3)
    rest_logmean = truncated_normal(rng, n_rest, 4.0, 2.0, -1.0, 10.0)

    table = pd.DataFrame({
        "ensembl": np.concatenate([genes[is_vegfa].ensembl, go_pick.ensembl, rest_pick.ensembl]),
        "symbol": np.concatenate([genes[is_vegfa].symbol, go_pick.symbol, rest_pick.symbol]),
        "planted_log2fc": np.concatenate([[1.5], go_lfc, rest_lfc]),
        "log_mean": np.concatenate([[np.log(2000.0)], go_logmean, rest_logmean]),
    })
    table = table.sort_values("ensembl").reset_index(drop=True)

    samples = [f"POEMS_{i:02d}" for i in range(1, 10)] + [f"MM_{i:02d}" for i in range(1, 4)]
    condition = np.array(["POEMS"] * 9 + ["MM"] * 3)
    means = np.exp(table.log_mean.to_numpy())
    disp = (0.08 + 1.5 / means) * np.exp(rng.normal(0.0, 0.5, len(means)))
    size_factors = np.exp(rng.normal(0.0, 0.3, len(samples)))
    up = (condition == "POEMS").astype(float)
    mu = means[:, None] * size_factors[None, :] * np.exp(LOG2 * table.planted_log2fc.to_numpy()[:, None] * up)
    size = np.broadcast_to((1.0 / disp)[:, None], mu.shape)
    counts = rng.negative_binomial(size, size / (size + mu))

    counts_df = pd.DataFrame(counts, index=table.ensembl, columns=samples)
    counts_df.index.name = "gene"
    counts_df.to_csv(HERE / "counts.tsv", sep="\t", lineterminator="\n")
    pd.DataFrame({"sample": samples, "condition": condition}).to_csv(
        HERE / "samples.csv", index=False, lineterminator="\n")
    out = table[["ensembl", "symbol", "planted_log2fc"]].copy()
    out["planted_log2fc"] = out.planted_log2fc.map(lambda x: f"{x:g}")
    out.to_csv(HERE / "genes.tsv", sep="\t", index=False, lineterminator="\n")
    print(f"stroma: {len(table)} genes x {len(samples)} samples; planted up: "
          f"{N_GO_GENES} GO genes + VEGFA; other changed genes: {int(de.sum())}")


if __name__ == "__main__":
    main(sys.argv[1:])
