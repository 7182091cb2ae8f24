//! compare (placeholder, being written).
