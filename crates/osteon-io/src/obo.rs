//! obo (placeholder, being written).
