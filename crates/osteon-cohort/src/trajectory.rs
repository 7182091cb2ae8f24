//! trajectory (placeholder, being written).
