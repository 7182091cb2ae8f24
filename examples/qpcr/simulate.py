#!/usr/bin/env python3
"""Simulates the RANKL qRT-PCR example (examples/qpcr/README.md).

RANKL (TNFSF11) and OPG (TNFRSF11B) in six tumour types, against breast-
cancer bone metastasis (BCBM, the calibrator), normalised to GAPDH + ACTB,
with B2M and HPRT1 measured as further candidate reference genes for geNorm.
Technical triplicates; wells whose Cq would exceed 40 (the last cycle) read "Undetermined".

Cq model: Cq = C0_g - log2(template_g) / log2(1 + E_g) + N(0, 0.12^2), with
template_g = input amount (log2 N(0, 0.6^2), shared by the sample's genes) x
gene-level biology (reference genes: small gene-specific noise; targets:
group effect + N(0, 0.7^2)). The planted RANKL fold changes against BCBM are
in PLANTED below; one replicate of OS-02 OPG is planted 1.5 cycles late
(a pipetting outlier that the replicate SD flag catches). A 10-fold dilution series (5 points, triplicate) per gene
gives the efficiencies in EFFICIENCY.

Writes data.csv and standard_curve.csv. Run: python3 simulate.py (numpy).
"""

import csv
import numpy as np

SEED = 11
GROUPS = [("BCBM", 6), ("GCTB", 6), ("OS", 6), ("ES", 5), ("CS", 5), ("STS", 5)]
PLANTED = {  # log2 fold change vs BCBM: RANKL, OPG
    "BCBM": (0.0, 0.0),
    "GCTB": (5.0, -1.0),
    "OS": (2.0, 0.5),
    "ES": (-1.0, 0.0),
    "CS": (0.6, 1.0),
    "STS": (-5.0, -0.5),
}
EFFICIENCY = {"RANKL": 0.93, "OPG": 0.97, "GAPDH": 0.98, "ACTB": 0.95, "B2M": 0.96, "HPRT1": 0.91}
C0 = {"RANKL": 34.0, "OPG": 27.0, "GAPDH": 18.0, "ACTB": 17.0, "B2M": 19.5, "HPRT1": 25.0}
STABILITY = {"GAPDH": 0.15, "ACTB": 0.2, "B2M": 0.55, "HPRT1": 0.35}
GENES = ["RANKL", "OPG", "GAPDH", "ACTB", "B2M", "HPRT1"]
LAST_CYCLE = 40.0
ROWS = "ABCDEFGH"


def main():
    rng = np.random.default_rng(SEED)

    def cq(gene, log2_template):
        value = C0[gene] - log2_template / np.log2(1.0 + EFFICIENCY[gene])
        value += 0.12 * rng.standard_normal()
        return "Undetermined" if value > LAST_CYCLE else f"{value:.2f}"

    wells = (f"P{p}-{r}{c:02d}" for p in range(1, 100) for r in ROWS for c in range(1, 13))
    rows = []
    for group, n in GROUPS:
        for i in range(n):
            sample = f"{group}-{i + 1:02d}"
            amount = 0.6 * rng.standard_normal()
            for gene in GENES:
                if gene in STABILITY:
                    biology = STABILITY[gene] * rng.standard_normal()
                else:
                    effect = PLANTED[group][GENES.index(gene)]
                    biology = effect + 0.7 * rng.standard_normal()
                for rep in (1, 2, 3):
                    late = 1.5 if (sample, gene, rep) == ("OS-02", "OPG", 2) else 0.0
                    value = cq(gene, amount + biology - late * np.log2(1.0 + EFFICIENCY[gene]))
                    rows.append([sample, group, gene, rep, next(wells), value])
    with open("data.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sample", "group", "target", "replicate", "well", "cq"])
        w.writerows(rows)

    with open("standard_curve.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["target", "quantity", "cq"])
        for gene in GENES:
            for k in range(5):
                quantity = 10.0 ** -k
                for _ in range(3):
                    # Template 2^12 above the samples' typical level.
                    w.writerow([gene, f"{quantity:g}", cq(gene, 12.0 + np.log2(quantity))])


if __name__ == "__main__":
    main()
