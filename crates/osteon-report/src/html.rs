//! html (placeholder, being written).
