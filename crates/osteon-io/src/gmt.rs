//! gmt (placeholder, being written).
