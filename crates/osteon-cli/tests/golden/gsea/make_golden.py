#!/usr/bin/env python3
"""Golden files for `osteon gsea`, made with GSEApy 1.3.1.

Usage (from this folder, with ../shared next to the repository):

    python3 make_golden.py            # writes the three .gz files below
    python3 make_golden.py --small    # prints the reference values of the
                                      # kernel unit test (gsea/tests.rs)

1. Ranking `airway_dex.rnk.gz`: the Wald statistic of DESeq2 1.38.3 on the
   airway data (design ~ cell + dex, dex trt vs untrt;
   ../shared/data/rnaseq/airway/deseq2/results.tsv), genes mapped from
   Ensembl to Entrez ids with ../shared/data/go/human_genes.tsv.gz.
   Dropped: NA statistics, Ensembl ids with no or several Entrez ids, Entrez
   ids reached from several Ensembl ids, and genes whose statistic equals
   another gene's (GSEApy sorts with an unstable quicksort, so tied genes
   could be ordered differently by the two tools).
2. Gene sets `go_bp.gmt.gz`: GO biological-process terms of
   ../shared/data/go/go-basic.obo.gz (GO release 2022-07-01, parsed with
   goatools 1.6.7) with the human annotations of
   ../shared/data/go/human.gaf.gz (org.Hs.eg.db 2022-09-12; NOT qualifiers
   excluded, all evidence codes), propagated to ancestors over is_a and
   part_of, restricted to the ranked genes and kept when 10 to 600 genes
   remain (so that the tools' own 15..500 filter is exercised).
3. `gseapy_results.tsv.gz`: `gseapy.prerank(rnk, gene_sets, min_size=15,
   max_size=500, permutation_num=1000, weight=1, method="multilevel",
   sample_size=101, eps=1e-50, seed=42, threads=1)`, i.e. GSEApy's Rust port of
   fgsea's fgseaMultilevel (`fgsea_rs`). Columns: Term, ES, NES, pval (NOM
   p-val), fdr (FDR q-val), log2err, size, lead_genes (`/`-separated, in
   GSEApy's order), all numbers with 17 significant digits.
"""

import argparse
import gzip
import math
import os
import sys
import tempfile
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "../../../../../../shared/data"))
SEED = 42


def read_entrez_of_ensembl():
    """Ensembl id -> set of Entrez ids, from the gene-id table."""
    mapping = defaultdict(set)
    with gzip.open(os.path.join(SHARED, "go/human_genes.tsv.gz"), "rt") as f:
        header = f.readline().rstrip("\n").split("\t")
        entrez_at, ensembl_at = header.index("entrez"), header.index("ensembl")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            for ensembl in fields[ensembl_at].replace("|", ",").split(","):
                if ensembl:
                    mapping[ensembl].add(fields[entrez_at])
    return mapping


def make_ranking():
    mapping = read_entrez_of_ensembl()
    stats = []
    with open(os.path.join(SHARED, "rnaseq/airway/deseq2/results.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        stat_at = header.index("stat")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[stat_at] == "NA":
                continue
            entrez = mapping.get(fields[0].split(".")[0], set())
            if len(entrez) == 1:
                stats.append((next(iter(entrez)), float(fields[stat_at])))
    per_entrez = defaultdict(int)
    per_value = defaultdict(int)
    for gene, value in stats:
        per_entrez[gene] += 1
        per_value[value] += 1
    kept = [(g, v) for g, v in stats if per_entrez[g] == 1 and per_value[v] == 1]
    kept.sort(key=lambda gv: -gv[1])
    print(
        f"ranking: {len(stats)} mapped genes, {len(kept)} kept "
        f"({sum(1 for g in per_entrez if per_entrez[g] > 1)} Entrez ids from several Ensembl ids, "
        f"{sum(n for v, n in per_value.items() if n > 1)} tied genes dropped)",
        file=sys.stderr,
    )
    return kept


def make_go_bp_sets(universe):
    from goatools.obo_parser import GODag

    with tempfile.NamedTemporaryFile("wb", suffix=".obo", delete=False) as tmp:
        with gzip.open(os.path.join(SHARED, "go/go-basic.obo.gz"), "rb") as f:
            tmp.write(f.read())
    try:
        dag = GODag(tmp.name, optional_attrs={"relationship"}, load_obsolete=False, prt=None)
    finally:
        os.unlink(tmp.name)

    ancestors = {}

    def upward(term_id):
        if term_id in ancestors:
            return ancestors[term_id]
        term = dag[term_id]
        result = {term.id}
        parents = list(term.parents) + list(term.relationship.get("part_of", ()))
        for parent in parents:
            if parent.namespace == "biological_process":
                result |= upward(parent.id)
        ancestors[term_id] = result
        return result

    genes_of = defaultdict(set)
    with gzip.open(os.path.join(SHARED, "go/human.gaf.gz"), "rt") as f:
        for line in f:
            if line.startswith("!"):
                continue
            fields = line.rstrip("\n").split("\t")
            if fields[8] != "P" or "NOT" in fields[3].split("|"):
                continue
            if fields[1] not in universe or fields[4] not in dag:
                continue
            term = dag[fields[4]]
            if term.namespace != "biological_process":
                continue
            for ancestor in upward(term.id):
                genes_of[ancestor].add(fields[1])
    sets = []
    for term_id in sorted(genes_of):
        genes = genes_of[term_id]
        if 10 <= len(genes) <= 600:
            ordered = sorted(genes, key=lambda g: universe[g])
            sets.append((term_id, dag[term_id].name, ordered))
    print(f"GO BP: {len(genes_of)} annotated terms, {len(sets)} with 10..600 ranked genes", file=sys.stderr)
    return sets


def run_gseapy(ranking, sets, threads=1):
    import gseapy
    import pandas as pd

    rnk = pd.DataFrame({"gene": [g for g, _ in ranking], "stat": [v for _, v in ranking]})
    gene_sets = {name: genes for name, _, genes in sets}
    start = time.perf_counter()
    result = gseapy.prerank(
        rnk=rnk,
        gene_sets=gene_sets,
        min_size=15,
        max_size=500,
        permutation_num=1000,
        weight=1.0,
        method="multilevel",
        sample_size=101,
        eps=1e-50,
        seed=SEED,
        threads=threads,
        outdir=None,
        no_plot=True,
        verbose=False,
    )
    elapsed = time.perf_counter() - start
    return result, elapsed


def fmt(x):
    x = float(x)
    if math.isnan(x):
        return "NA"
    return "%.17g" % x


def write_golden():
    ranking = make_ranking()
    universe = {g: i for i, (g, _) in enumerate(ranking)}
    sets = make_go_bp_sets(universe)
    with gzip.GzipFile(os.path.join(HERE, "airway_dex.rnk.gz"), "wb", mtime=0) as f:
        f.write(b"# airway (DESeq2 1.38.3, ~ cell + dex, dex trt vs untrt): Wald stat by Entrez id; see make_golden.py\n")
        f.write(b"entrez\tstat\n")
        for gene, value in ranking:
            f.write(f"{gene}\t{value!r}\n".encode())
    with gzip.GzipFile(os.path.join(HERE, "go_bp.gmt.gz"), "wb", mtime=0) as f:
        for term_id, name, genes in sets:
            f.write(("\t".join([term_id, name] + genes) + "\n").encode())
    result, elapsed = run_gseapy(ranking, sets)
    print(f"gseapy.prerank (multilevel, 1 thread): {elapsed:.2f} s, {len(result.results)} sets", file=sys.stderr)
    with gzip.GzipFile(os.path.join(HERE, "gseapy_results.tsv.gz"), "wb", mtime=0) as f:
        f.write(b"Term\tES\tNES\tpval\tfdr\tlog2err\tsize\tlead_genes\n")
        for term in sorted(result.results):
            r = result.results[term]
            size = len(r["matched_genes"].split(";")) if r["matched_genes"] else 0
            lead = "/".join(g for g in str(r["lead_genes"]).split(";") if g)
            row = [term, fmt(r["es"]), fmt(r["nes"]), fmt(r["pval"]), fmt(r["fdr"]), fmt(r["log2err"]), str(size), lead]
            f.write(("\t".join(row) + "\n").encode())


def small():
    """Reference values of `matches_gseapy_fgsea_rs_on_a_small_example`."""
    from gseapy.gse import fgsea_rs

    n = 200
    metric = sorted((2.5 * math.sin(1.3 * i) + (100 - i) / 40 for i in range(n)), reverse=True)
    genes = [f"g{i}" for i in range(n)]
    sets = {
        "top": [f"g{i}" for i in range(0, 40, 2)],
        "bottom": [f"g{i}" for i in range(150, 200, 3)],
        "mid": [f"g{i}" for i in range(5, 200, 11)],
    }
    for seed in (42, 7):
        r = fgsea_rs(genes, metric, sets, 1.0, 5, 500, 101, 1000, 1e-50, 1, seed)
        for s in sorted(r.summaries, key=lambda s: s.term):
            print(seed, s.term, repr(s.es), repr(s.nes), repr(s.pval), repr(s.log2err))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="print the kernel unit-test reference values")
    args = parser.parse_args()
    if args.small:
        small()
    else:
        write_golden()
