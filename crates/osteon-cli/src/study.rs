//! The study file (`study.toml`): one description of a study that names
//! every analysis `osteon run` performs.
//!
//! The file is TOML. Each section maps onto the settings of the matching
//! single command, so a study file and a command line mean the same thing:
//! `[rnaseq]` takes the flags of `osteon de` (plus `contrasts` and
//! `genes_of_interest`), `[enrichment.NAME]` sections run `osteon enrich` /
//! `osteon gsea` on a contrast's results, and `[qpcr.NAME]`, `[elisa.NAME]`,
//! `[compare.NAME]`, `[survival.NAME]`, `[trajectory.NAME]` and
//! `[reference_flags.NAME]` take the flags of those commands. Reading is
//! strict: an unknown key or a value of the wrong type is an error naming the
//! key and its line; every input file is checked to exist, and every
//! cross-reference (an enrichment naming a contrast) to resolve, before any
//! computing starts. Relative paths resolve against the study file's folder.

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::de;

/// A whole study file.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Study {
    pub study: StudyInfo,
    #[serde(default)]
    pub rnaseq: Option<de::Settings>,
    #[serde(default)]
    pub enrichment: BTreeMap<String, EnrichmentSection>,
    #[serde(default)]
    pub qpcr: BTreeMap<String, crate::qpcr::Settings>,
    #[serde(default)]
    pub elisa: BTreeMap<String, crate::elisa::Settings>,
    #[serde(default)]
    pub compare: BTreeMap<String, crate::compare::Settings>,
    #[serde(default)]
    pub survival: BTreeMap<String, crate::survival::Settings>,
    #[serde(default)]
    pub trajectory: BTreeMap<String, crate::trajectory::Settings>,
    #[serde(default)]
    pub reference_flags: BTreeMap<String, crate::reference_flags::Settings>,
}

/// `[study]`: what the report says about the study.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct StudyInfo {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Shown as a banner at the top of the report (e.g. "These data are
    /// simulated").
    #[serde(default)]
    pub notice: Option<String>,
    #[serde(default)]
    pub authors: Option<String>,
}

/// `[enrichment.NAME]`: gene-set analysis of one contrast's results.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct EnrichmentSection {
    /// The name (label) of a contrast in `[rnaseq]`.
    pub contrast: String,
    /// Over-representation analysis of the significant genes.
    #[serde(default = "yes")]
    pub ora: bool,
    /// Preranked GSEA on the Wald statistic.
    #[serde(default)]
    pub gsea: bool,
    /// Directions for ORA: any of "up", "down", "both".
    #[serde(default = "default_directions")]
    pub directions: Vec<String>,
    /// Adjusted p-value cut-off defining the gene list for ORA.
    #[serde(default = "default_padj")]
    pub padj: f64,
    /// GO namespace: BP, MF or CC.
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// classic, elim or weight01.
    #[serde(default = "default_algorithm")]
    pub algorithm: String,
    #[serde(default)]
    pub min_size: Option<usize>,
    #[serde(default)]
    pub max_size: Option<usize>,
    /// Ontology / annotations / gene-id table; the bundled human GO snapshot
    /// when omitted.
    #[serde(default)]
    pub ontology: Option<PathBuf>,
    #[serde(default)]
    pub annotations: Option<PathBuf>,
    #[serde(default)]
    pub id_map: Option<PathBuf>,
    /// A GMT file of gene sets for GSEA instead of GO.
    #[serde(default)]
    pub gmt: Option<PathBuf>,
    /// Seed of GSEA's random sampling (fgsea's generator is 32-bit).
    #[serde(default = "default_seed")]
    pub seed: u32,
}

fn yes() -> bool {
    true
}
fn default_directions() -> Vec<String> {
    vec!["up".into(), "down".into()]
}
fn default_padj() -> f64 {
    0.05
}
fn default_namespace() -> String {
    "BP".into()
}
fn default_algorithm() -> String {
    "classic".into()
}
fn default_seed() -> u32 {
    42
}

/// Keys whose string values (or arrays of strings) name input files; they
/// are checked to exist and resolved against the study file's folder.
const PATH_KEYS: &[&str] = &[
    "counts",
    "samples",
    "ontology",
    "annotations",
    "id_map",
    "gmt",
    "data",
    "plate",
    "layout",
    "readings",
    "limits",
    "efficiency",
    "standard_curve",
    "genes",
    "universe",
    "rnk",
];

/// A study read from disk, with paths resolved and cross-references checked.
#[derive(Debug, Clone)]
pub struct LoadedStudy {
    pub path: PathBuf,
    pub study: Study,
    /// The file's bytes' SHA-256.
    pub sha256: String,
}

/// Reads, validates and resolves a study file.
pub fn load(path: &Path) -> Result<LoadedStudy> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the study file {}", path.display()))?;
    let name = path.display().to_string();
    // First pass on the text itself, so that unknown keys and wrong types
    // are reported with their line.
    toml::from_str::<Study>(&text).map_err(|e| anyhow!("{name}: {}", e.to_string().trim_end()))?;
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
        .canonicalize()
        .with_context(|| format!("cannot resolve the folder of {name}"))?;
    let mut value: toml::Value = toml::from_str(&text)?;
    resolve_paths(&mut value, &dir, &text, &name, &mut Vec::new())?;
    let study: Study = value
        .try_into()
        .map_err(|e: toml::de::Error| anyhow!("{name}: {e}"))?;
    check_references(&study, &text, &name)?;
    Ok(LoadedStudy {
        path: path.to_path_buf(),
        sha256: osteon_io::sha256_file(path)?,
        study,
    })
}

/// The 1-based line of the first line mentioning `key` and `needle`.
fn line_of(text: &str, key: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let code = line.split('#').next().unwrap_or("");
            code.contains(key) && code.contains(needle)
        })
        .map(|i| i + 1)
}

fn resolve_paths(
    value: &mut toml::Value,
    dir: &Path,
    text: &str,
    name: &str,
    key_path: &mut Vec<String>,
) -> Result<()> {
    match value {
        toml::Value::Table(table) => {
            for (key, item) in table.iter_mut() {
                key_path.push(key.clone());
                if PATH_KEYS.contains(&key.as_str()) {
                    match item {
                        toml::Value::String(s) => *s = resolve_one(s, dir, text, name, key_path)?,
                        toml::Value::Array(items) => {
                            for item in items {
                                if let toml::Value::String(s) = item {
                                    *s = resolve_one(s, dir, text, name, key_path)?;
                                }
                            }
                        }
                        _ => {}
                    }
                } else {
                    resolve_paths(item, dir, text, name, key_path)?;
                }
                key_path.pop();
            }
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                key_path.push(format!("[{i}]"));
                resolve_paths(item, dir, text, name, key_path)?;
                key_path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

fn resolve_one(
    raw: &str,
    dir: &Path,
    text: &str,
    name: &str,
    key_path: &[String],
) -> Result<String> {
    let resolved = dir.join(raw);
    if !resolved.is_file() {
        let key = key_path.join(".").replace(".[", "[");
        let last = key_path.last().map(String::as_str).unwrap_or("");
        let line = line_of(text, last, raw)
            .map(|l| format!(" line {l}"))
            .unwrap_or_default();
        bail!(
            "{name}{line}: `{key}` = \"{raw}\": no such file ({})",
            resolved.display()
        );
    }
    Ok(resolved.to_string_lossy().into_owned())
}

/// Checks that each enrichment names a defined contrast, and the section's
/// own choices.
fn check_references(study: &Study, text: &str, name: &str) -> Result<()> {
    let labels: Vec<String> = study
        .rnaseq
        .as_ref()
        .map(|r| r.contrasts.iter().map(de::NamedContrast::label).collect())
        .unwrap_or_default();
    if let Some(rnaseq) = &study.rnaseq {
        if rnaseq.contrasts.is_empty() {
            bail!("{name}: [rnaseq] needs at least one [[rnaseq.contrasts]] entry");
        }
        for (i, c) in rnaseq.contrasts.iter().enumerate() {
            c.to_contrast()
                .with_context(|| format!("{name}: rnaseq.contrasts[{i}]"))?;
            if labels[..i].contains(&labels[i]) {
                bail!("{name}: two contrasts are named '{}'", labels[i]);
            }
        }
    }
    for (section, e) in &study.enrichment {
        let line = line_of(text, "contrast", &e.contrast)
            .map(|l| format!(" line {l}"))
            .unwrap_or_default();
        if study.rnaseq.is_none() {
            bail!("{name}{line}: `enrichment.{section}.contrast` = \"{}\": the study has no [rnaseq] section", e.contrast);
        }
        if !labels.contains(&e.contrast) {
            bail!(
                "{name}{line}: `enrichment.{section}.contrast` = \"{}\" is not a contrast of [rnaseq] (defined: {})",
                e.contrast,
                labels.join(", ")
            );
        }
        for d in &e.directions {
            if !matches!(d.as_str(), "up" | "down" | "both") {
                bail!("{name}: `enrichment.{section}.directions`: \"{d}\" is not up, down or both");
            }
        }
        if !matches!(e.namespace.as_str(), "BP" | "MF" | "CC") {
            bail!(
                "{name}: `enrichment.{section}.namespace` = \"{}\": use BP, MF or CC",
                e.namespace
            );
        }
        if !matches!(e.algorithm.as_str(), "classic" | "elim" | "weight01") {
            bail!(
                "{name}: `enrichment.{section}.algorithm` = \"{}\": use classic, elim or weight01",
                e.algorithm
            );
        }
        if !(e.padj > 0.0 && e.padj <= 1.0) {
            bail!("{name}: `enrichment.{section}.padj` must be in (0, 1]");
        }
        if !e.ora && !e.gsea {
            bail!("{name}: `enrichment.{section}` turns off both ora and gsea");
        }
    }
    Ok(())
}

/// The commented template written by `osteon init`.
pub const TEMPLATE: &str = include_str!("study/template.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_valid_study_without_its_data() {
        let err = toml::from_str::<Study>(TEMPLATE).map(|_| ());
        assert!(err.is_ok(), "{err:?}");
    }

    #[test]
    fn the_templates_commented_sections_are_valid_when_uncommented() {
        let start = TEMPLATE.find("# --- Lab assays").expect("assay part");
        let uncommented: String = TEMPLATE[start..]
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if !rest.starts_with("---") && !rest.starts_with('(') => rest,
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let text = format!("{}{uncommented}\n", &TEMPLATE[..start]);
        let study: Study = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(study.qpcr.len(), 1);
        assert_eq!(study.elisa.len(), 1);
        assert_eq!(study.compare.len(), 1);
        assert_eq!(study.survival.len(), 1);
        assert_eq!(study.trajectory.len(), 1);
        assert_eq!(study.reference_flags.len(), 1);
    }

    #[test]
    fn line_of_finds_the_key_with_its_value() {
        let text = "a = 1\n# counts = \"x\"\ncounts = \"x\"\n";
        assert_eq!(line_of(text, "counts", "x"), Some(3));
    }
}
