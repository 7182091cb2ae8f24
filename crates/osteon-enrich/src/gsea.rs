//! Preranked gene-set enrichment analysis (placeholder, being written).
