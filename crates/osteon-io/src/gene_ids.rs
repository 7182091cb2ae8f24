//! gene_ids (placeholder, being written).
