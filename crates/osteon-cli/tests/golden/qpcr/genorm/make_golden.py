#!/usr/bin/env python3
"""geNorm golden: a published-style reference-gene panel and its M and V.

Data (data.csv): the ten candidate reference genes of Vandesompele et al.
(2002, Genome Biol. 3:research0034; ACTB, B2M, GAPDH, HMBS, HPRT1, RPL13A,
SDHA, TBP, UBC, YWHAZ) and one target (RANKL) measured in duplicate in 20
bone-marrow samples (10 MM, 10 POEMS), simulated with a fixed seed: each
gene's Cq = baseline + sample input (shared) + gene-specific instability
(SD from 0.1 for the most to 0.9 cycles for the least stable gene) + 0.1-cycle
technical noise, rounded to 2 decimals.

Reference (expected_m.tsv, expected_v.tsv): geNorm computed here
independently of Osteon, the way the original geNorm VBA applet does it:
mean Cq per sample and gene; linear relative quantities
Q = 2^(min Cq of the gene - Cq); for each pair the log2 ratio
A_jk = log2(Q_j / Q_k) and its SD over samples (n - 1); M_j = mean of V_jk over
the other genes; stepwise exclusion of the highest M until two genes remain;
V_n/n+1 = SD(log2(NF_n / NF_n+1)) with NF_n the geometric mean of the n most
stable genes' quantities. Values written with '%.17g'.

Run from this folder: python3 make_golden.py (numpy).
"""

import csv

import numpy as np

GENES = ["ACTB", "B2M", "GAPDH", "HMBS", "HPRT1", "RPL13A", "SDHA", "TBP", "UBC", "YWHAZ"]
INSTABILITY = dict(zip(GENES, [0.35, 0.9, 0.25, 0.2, 0.3, 0.15, 0.45, 0.5, 0.1, 0.6]))
BASELINE = dict(zip(GENES, [17.0, 18.5, 18.0, 26.0, 25.0, 19.0, 23.0, 28.0, 20.0, 21.0]))


def simulate():
    rng = np.random.default_rng(2002)
    rows = []
    samples = [(f"MM-{i + 1:02d}", "MM") for i in range(10)]
    samples += [(f"POEMS-{i + 1:02d}", "POEMS") for i in range(10)]
    for sample, group in samples:
        amount = 0.8 * rng.standard_normal()
        genes = {g: BASELINE[g] + amount + INSTABILITY[g] * rng.standard_normal() for g in GENES}
        genes["RANKL"] = 31.0 + amount + (-1.5 if group == "POEMS" else 0.0) + 0.6 * rng.standard_normal()
        for gene, cq in genes.items():
            for _ in range(2):
                rows.append([sample, group, gene, f"{cq + 0.1 * rng.standard_normal():.2f}"])
    with open("data.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sample", "group", "target", "cq"])
        w.writerows(rows)


def genorm():
    cq = {}
    with open("data.csv") as f:
        for row in csv.DictReader(f):
            cq.setdefault((row["sample"], row["target"]), []).append(float(row["cq"]))
    samples = sorted({s for s, _ in cq}, key=lambda s: list(dict.fromkeys(s2 for s2, _ in cq)).index(s))
    mean = np.array([[np.mean(cq[(s, g)]) for g in GENES] for s in samples])
    quantity = 2.0 ** (mean.min(axis=0) - mean)

    def v(j, k):
        return np.std(np.log2(quantity[:, j] / quantity[:, k]), ddof=1)

    remaining = list(range(len(GENES)))
    steps = []
    excluded = []
    while True:
        m = [np.mean([v(j, k) for k in remaining if k != j]) for j in remaining]
        steps.append([(GENES[j], m[i]) for i, j in enumerate(remaining)])
        if len(remaining) == 2:
            break
        worst = int(np.argmax(m))  # first maximum, as Osteon documents for ties
        excluded.append(remaining.pop(worst))
    ranking = remaining + excluded[::-1]
    with open("expected_m.tsv", "w") as f:
        f.write("step\tgene\tM\n")
        for step, values in enumerate(steps, start=1):
            for gene, m in values:
                f.write(f"{step}\t{gene}\t{m:.17g}\n")
    with open("expected_v.tsv", "w") as f:
        f.write("comparison\tV\n")
        for n in range(2, len(GENES)):
            nf_n = np.prod(quantity[:, ranking[:n]], axis=1) ** (1.0 / n)
            nf_next = np.prod(quantity[:, ranking[: n + 1]], axis=1) ** (1.0 / (n + 1))
            f.write(f"V{n}/{n + 1}\t{np.std(np.log2(nf_n / nf_next), ddof=1):.17g}\n")


if __name__ == "__main__":
    simulate()
    genorm()
