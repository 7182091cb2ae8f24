//! The human Gene Ontology snapshot shipped inside the binary (`data/go/`,
//! made by `scripts/export_go_snapshot.py` from Bioconductor GO.db and
//! org.Hs.eg.db), used whenever a command is given no ontology,
//! annotations or gene-id table of its own.

use anyhow::{Context, Result};

/// GO release 2022-07-01 (OBO 1.2, gzip).
pub const GO_OBO_GZ: &[u8] = include_bytes!("../../../data/go/go.obo.gz");
/// Human GO annotations (GAF 2.2, Entrez ids, gzip).
pub const HUMAN_GAF_GZ: &[u8] = include_bytes!("../../../data/go/human.gaf.gz");
/// Human gene ids: entrez, symbol, ensembl, aliases, name (TSV, gzip).
pub const HUMAN_GENES_GZ: &[u8] = include_bytes!("../../../data/go/human_genes.tsv.gz");
/// `go_release` and `annotation_source` lines.
pub const VERSION: &str = include_str!("../../../data/go/VERSION");

/// The names used for the bundled files in messages and `run.json`.
pub const GO_OBO_NAME: &str = "<bundled>/go.obo.gz";
pub const HUMAN_GAF_NAME: &str = "<bundled>/human.gaf.gz";
pub const HUMAN_GENES_NAME: &str = "<bundled>/human_genes.tsv.gz";

/// Decompresses one of the bundled files.
pub fn gunzip(bytes: &[u8], name: &str) -> Result<Vec<u8>> {
    osteon_io::gunzip(bytes).with_context(|| format!("cannot decompress the bundled file {name}"))
}

/// The GO release of the bundled snapshot (e.g. `2022-07-01`).
pub fn go_release() -> &'static str {
    field("go_release")
}

/// The annotation source of the bundled snapshot.
pub fn annotation_source() -> &'static str {
    field("annotation_source")
}

fn field(key: &str) -> &'static str {
    VERSION
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix('\t'))
        .unwrap_or("unknown")
}

/// Ensembl gene id → official symbol, from the bundled gene table (the
/// first symbol when an Ensembl id maps to several genes).
pub fn ensembl_symbols() -> Result<std::collections::BTreeMap<String, String>> {
    let bytes = gunzip(HUMAN_GENES_GZ, HUMAN_GENES_NAME)?;
    let table =
        osteon_io::gene_ids::parse_gene_ids(&bytes, std::path::Path::new(HUMAN_GENES_NAME))?;
    let mut map = std::collections::BTreeMap::new();
    for row in table.rows() {
        for id in row.ensembl().iter() {
            map.entry(id.to_string())
                .or_insert_with(|| row.symbol().to_string());
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_files_match_their_checksums() {
        use sha2::{Digest, Sha256};
        let sums = include_str!("../../../data/go/SHA256SUMS");
        for (bytes, name) in [
            (GO_OBO_GZ, "go.obo.gz"),
            (HUMAN_GAF_GZ, "human.gaf.gz"),
            (HUMAN_GENES_GZ, "human_genes.tsv.gz"),
        ] {
            let digest: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert!(
                sums.contains(&format!("{digest}  {name}")),
                "{name} does not match SHA256SUMS"
            );
        }
        assert_eq!(go_release(), "2022-07-01");
    }

    #[test]
    fn vegfa_maps_to_its_symbol() {
        let symbols = ensembl_symbols().unwrap();
        assert_eq!(
            symbols.get("ENSG00000112715").map(String::as_str),
            Some("VEGFA")
        );
    }
}
