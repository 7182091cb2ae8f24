//! ranks (placeholder, being written).
