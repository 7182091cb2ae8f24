#!/usr/bin/env python3
"""Writes Osteon's bundled human Gene Ontology snapshot (data/go/) from the
Bioconductor annotation packages GO.db and org.Hs.eg.db as Debian ships them
(`apt-get install r-bioc-go.db r-bioc-org.hs.eg.db`).

Output (gzip with a zero timestamp, so a re-run on the same packages gives
identical bytes):
  go.obo.gz          OBO 1.2: id, name, namespace, alt_id, is_a, relationship
                     (part_of, regulates, positively/negatively_regulates),
                     obsolete terms; definitions are left out to keep it small.
  human.gaf.gz       GAF 2.2, one line per (Entrez gene, GO term, evidence) of
                     org.Hs.eg.db's direct annotations (org.Hs.egGO).
  human_genes.tsv.gz entrez, symbol, ensembl (comma-separated), aliases
                     (comma-separated, the official symbol excluded), name.
  SHA256SUMS         digests of the three files, checked by Osteon's tests.
  VERSION            GO release and annotation source dates.

usage: scripts/export_go_snapshot.py [OUTDIR]   (default: data/go)
"""
import gzip
import hashlib
import io
import os
import sqlite3
import subprocess
import sys

NAMESPACES = {"BP": "biological_process", "MF": "molecular_function", "CC": "cellular_component"}
RELATIONS = {
    "isa": None,
    "part of": "part_of",
    "regulates": "regulates",
    "negatively regulates": "negatively_regulates",
    "positively regulates": "positively_regulates",
}
ASPECTS = (("bp", "P"), ("mf", "F"), ("cc", "C"))


def sqlite_of(package, filename):
    """Path of an installed Bioconductor annotation package's SQLite file."""
    expr = f'cat(system.file("extdata", "{filename}", package = "{package}"))'
    path = subprocess.check_output(["Rscript", "-e", expr], text=True).strip()
    if not path:
        sys.exit(f"R package {package} is not installed (apt-get install r-bioc-go.db r-bioc-org.hs.eg.db)")
    return path


def write_gz(path, text):
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(raw.getvalue())


def ontology_text(go):
    meta = dict(go.execute("select name, value from metadata"))
    release = meta["GOSOURCEDATE"]
    terms = {row[0]: row[1:] for row in go.execute("select _id, go_id, term, ontology from go_term")}
    parents = {}
    for table in ("bp", "mf", "cc"):
        for child, parent, relation in go.execute(
            f"select _id, _parent_id, relationship_type from go_{table}_parents"
        ):
            parents.setdefault(child, []).append((terms[parent][0], RELATIONS[relation]))
    alt_ids = {}
    for term, secondary in go.execute(
        "select _id, secondary from go_synonym where like_go_id = 1 and secondary is not null"
    ):
        alt_ids.setdefault(term, set()).add(secondary)
    out = [
        "format-version: 1.2",
        f"data-version: releases/{release}",
        "ontology: go",
        f"remark: Osteon snapshot of Bioconductor GO.db ({meta.get('GOSOURCEURL')}, {release}); definitions omitted",
        "",
    ]
    for typedef, name, parent in (
        ("part_of", "part of", None),
        ("regulates", "regulates", None),
        ("negatively_regulates", "negatively regulates", "regulates"),
        ("positively_regulates", "positively regulates", "regulates"),
    ):
        out += ["[Typedef]", f"id: {typedef}", f"name: {name}"] + ([f"is_a: {parent}"] if parent else []) + [""]
    for term in sorted(terms, key=lambda t: terms[t][0]):
        go_id, name, namespace = terms[term]
        if namespace not in NAMESPACES:
            continue
        out += ["[Term]", f"id: {go_id}", f"name: {name}", f"namespace: {NAMESPACES[namespace]}"]
        out += [f"alt_id: {a}" for a in sorted(alt_ids.get(term, ()))]
        for parent, relation in sorted(set(parents.get(term, ())), key=lambda p: (p[1] is not None, p[1] or "", p[0])):
            if parent == "all":
                continue
            out.append(f"is_a: {parent}" if relation is None else f"relationship: {relation} {parent}")
        out.append("")
    for go_id, name, namespace in sorted(go.execute("select go_id, term, ontology from go_obsolete")):
        if namespace in NAMESPACES:
            out += ["[Term]", f"id: {go_id}", f"name: {name}", f"namespace: {NAMESPACES[namespace]}", "is_obsolete: true", ""]
    return release, "\n".join(out) + "\n"


def gaf_date_of(source_date):
    """GAF's YYYYMMDD from org.Hs.eg.db's 'YYYY-MonDD' (e.g. 2022-Sep12)."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    year, rest = source_date.split("-")
    return f"{year}{months.index(rest[:3]) + 1:02d}{int(rest[3:]):02d}"


def annotation_texts(org):
    gene_id = dict(org.execute("select _id, gene_id from genes"))
    symbol = dict(org.execute("select _id, symbol from gene_info"))
    name = dict(org.execute("select _id, gene_name from gene_info"))
    source_date = dict(org.execute("select name, value from metadata")).get("GOEGSOURCEDATE", "")
    gaf_date = gaf_date_of(source_date)
    gaf = [
        "!gaf-version: 2.2",
        "!generated-by: Osteon scripts/export_go_snapshot.py from Bioconductor org.Hs.eg.db",
        f"!date-generated: {source_date}",
        "!Columns follow GAF 2.2; DB_Object_Name is left empty (see human_genes.tsv.gz).",
    ]
    rows = []
    for table, aspect in ASPECTS:
        for internal, go_id, evidence in org.execute(f"select _id, go_id, evidence from go_{table}"):
            rows.append((int(gene_id[internal]), go_id, evidence, aspect, symbol.get(internal, "")))
    for entrez, go_id, evidence, aspect, sym in sorted(set(rows)):
        gaf.append(
            f"NCBIGene\t{entrez}\t{sym}\t\t{go_id}\tGO_REF:0000000\t{evidence}\t\t{aspect}\t\t\tprotein\ttaxon:9606\t{gaf_date}\tBioconductor\t\t"
        )
    ensembl, aliases = {}, {}
    for internal, ens in org.execute("select _id, ensembl_id from ensembl"):
        ensembl.setdefault(internal, set()).add(ens)
    for internal, alias in org.execute("select _id, alias_symbol from alias"):
        aliases.setdefault(internal, set()).add(alias)
    genes = ["entrez\tsymbol\tensembl\taliases\tname"]
    for internal in sorted(gene_id, key=lambda i: int(gene_id[i])):
        sym = symbol.get(internal, "")
        genes.append(
            "\t".join(
                [
                    gene_id[internal],
                    sym,
                    ",".join(sorted(ensembl.get(internal, ()))),
                    ",".join(sorted(aliases.get(internal, set()) - {sym})),
                    name.get(internal, ""),
                ]
            )
        )
    return source_date, "\n".join(gaf) + "\n", "\n".join(genes) + "\n"


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "data/go"
    os.makedirs(out, exist_ok=True)
    go = sqlite3.connect(sqlite_of("GO.db", "GO.sqlite"))
    org = sqlite3.connect(sqlite_of("org.Hs.eg.db", "org.Hs.eg.sqlite"))
    release, obo = ontology_text(go)
    annotation_date, gaf, genes = annotation_texts(org)
    files = {"go.obo.gz": obo, "human.gaf.gz": gaf, "human_genes.tsv.gz": genes}
    for filename, text in files.items():
        write_gz(os.path.join(out, filename), text)
    with open(os.path.join(out, "SHA256SUMS"), "w") as f:
        for filename in files:
            digest = hashlib.sha256(open(os.path.join(out, filename), "rb").read()).hexdigest()
            f.write(f"{digest}  {filename}\n")
    with open(os.path.join(out, "VERSION"), "w") as f:
        f.write(f"go_release\t{release}\nannotation_source\torg.Hs.eg.db (Entrez Gene {annotation_date})\n")
    print(f"GO release {release}; annotations {annotation_date}; written to {out}")


if __name__ == "__main__":
    main()
