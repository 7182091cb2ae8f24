"""Golden files for `osteon enrich` from goatools 1.6.7.

Makes two seeded gene lists and a universe of Entrez ids from the GO data,
runs goatools' GOEnrichmentStudy on them and writes, per GO term with at
least one list gene, k n K N and the uncorrected p-value.

goatools settings (mirrored by the Rust test's osteon options):
  * GODag(OBO, load_obsolete=False): is_a only (no optional relationships);
  * GafReader(GAF).get_id2gos(namespace='BP', keep_ND=True): BP annotations
    (GAF aspect P), every evidence code kept (goatools drops ND by default;
    osteon keeps every code unless --evidence-exclude), NOT lines excluded;
  * GOEnrichmentStudy(universe, assoc, dag, propagate_counts=True,
    alternative='greater'): is_a propagation, population = the whole
    universe (osteon --universe-policy all), no size limits, one-sided
    Fisher test (= hypergeometric upper tail);
  * algorithm 'classic' for both lists and 'elim' (cutoff 0.01, raw) for the
    large list.

usage: python3 make_goatools_golden.py OBO GAF GENE_TABLE OUTDIR
(the committed files were made with data/go/go.obo.gz, data/go/human.gaf.gz,
data/go/human_genes.tsv.gz of the repository)
"""
import gzip
import io
import os
import random
import sys
from contextlib import redirect_stdout

import goatools
from goatools.anno.gaf_reader import GafReader
from goatools.go_enrichment import GOEnrichmentStudy
from goatools.obo_parser import GODag

SEED = 20221121
N_UNIVERSE_ANNOTATED = 13500
N_UNIVERSE_UNANNOTATED = 1500
N_LARGE = 2000
N_SMALL = 150
# Terms whose directly annotated genes are planted in the lists, so that the
# p-values span many orders of magnitude.
LARGE_TERMS = ["GO:0001503", "GO:0001649", "GO:0030198", "GO:0006955", "GO:0001525"]
SMALL_TERMS = ["GO:0006955"]


def opener(path):
    return gzip.open(path, "rt") if path.endswith(".gz") else open(path)


def plain_copy(path, folder):
    """goatools reads plain files: decompress next to the outputs."""
    if not path.endswith(".gz"):
        return path
    out = os.path.join(folder, os.path.basename(path)[:-3])
    with opener(path) as src, open(out, "w") as dst:
        dst.write(src.read())
    return out


def direct_bp(gaf_path):
    """Entrez id -> set of directly annotated BP GO ids (aspect P, no NOT)."""
    genes = {}
    with opener(gaf_path) as f:
        for line in f:
            if line.startswith("!"):
                continue
            c = line.rstrip("\n").split("\t")
            if c[8] != "P" or "NOT" in c[3].split("|"):
                continue
            genes.setdefault(c[1], set()).add(c[4])
    return genes


def make_lists(gaf_path, table_path):
    rng = random.Random(SEED)
    bp = direct_bp(gaf_path)
    with opener(table_path) as f:
        next(f)
        all_ids = [line.split("\t", 1)[0] for line in f]
    annotated = sorted(bp, key=int)
    unannotated = sorted((g for g in all_ids if g not in bp), key=int)
    universe = rng.sample(annotated, N_UNIVERSE_ANNOTATED) + rng.sample(
        unannotated, N_UNIVERSE_UNANNOTATED
    )
    in_universe = set(universe)

    def planted(terms, n_planted, n_total):
        pool = sorted(
            (g for g in in_universe if bp.get(g, set()) & set(terms)), key=int
        )
        chosen = rng.sample(pool, min(n_planted, len(pool)))
        rest = sorted(in_universe - set(chosen), key=int)
        chosen += rng.sample(rest, n_total - len(chosen))
        rng.shuffle(chosen)
        return chosen

    large = planted(LARGE_TERMS, 400, N_LARGE)
    small = planted(SMALL_TERMS, 60, N_SMALL)
    rng.shuffle(universe)
    return universe, large, small


def run_goatools(obo, gaf, universe, study, algorithm):
    sink = io.StringIO()
    with redirect_stdout(sink):
        dag = GODag(obo, load_obsolete=False)
        assoc = GafReader(gaf, godag=dag).get_id2gos(namespace="BP", keep_ND=True)
        goea = GOEnrichmentStudy(
            universe,
            assoc,
            dag,
            propagate_counts=True,
            alpha=0.05,
            methods=["fdr_bh"],
            alternative="greater",
            algorithm=algorithm,
            log=None,
        )
        results = goea.run_study(study, prt=None)
    rows = []
    for r in results:
        k, n = r.ratio_in_study
        big_k, big_n = r.ratio_in_pop
        if k >= 1:
            rows.append((r.GO, k, n, big_k, big_n, r.p_uncorrected))
    rows.sort()
    return rows


def write_rows(path, rows):
    with gzip.GzipFile(path, "wb", mtime=0) as raw, io.TextIOWrapper(raw) as f:
        f.write("ID\tk\tn\tK\tN\tpvalue\n")
        for go, k, n, big_k, big_n, p in rows:
            f.write(f"{go}\t{k}\t{n}\t{big_k}\t{big_n}\t{p:.17g}\n")


def main():
    obo_in, gaf_in, table_in, out = sys.argv[1:5]
    os.makedirs(out, exist_ok=True)
    universe, large, small = make_lists(gaf_in, table_in)
    for name, ids in (("universe.txt", universe), ("list_large.txt", large), ("list_small.txt", small)):
        with open(os.path.join(out, name), "w") as f:
            f.write("\n".join(ids) + "\n")
    tmp = os.path.join(out, ".tmp")
    os.makedirs(tmp, exist_ok=True)
    obo, gaf = plain_copy(obo_in, tmp), plain_copy(gaf_in, tmp)
    print("goatools", goatools.__version__)
    for name, study, algorithm in (
        ("goatools_large.tsv.gz", large, "classic"),
        ("goatools_small.tsv.gz", small, "classic"),
        ("goatools_large_elim.tsv.gz", large, "elim"),
    ):
        rows = run_goatools(obo, gaf, universe, study, algorithm)
        write_rows(os.path.join(out, name), rows)
        print(name, len(rows), "terms")
    for path in os.listdir(tmp):
        os.remove(os.path.join(tmp, path))
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
