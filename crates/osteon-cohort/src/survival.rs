//! survival (placeholder, being written).
