//! exact_tests (placeholder, being written).
