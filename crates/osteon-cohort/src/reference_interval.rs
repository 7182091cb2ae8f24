//! reference_interval (placeholder, being written).
