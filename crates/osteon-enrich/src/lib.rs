//! Gene-set analysis of differential-expression results: the Gene Ontology
//! DAG, annotation propagation, over-representation analysis and preranked
//! GSEA. Pure computation: inputs arrive as records parsed by `osteon-io`.

pub mod gsea;
