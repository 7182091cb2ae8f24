//! Lab assays: qPCR relative expression and immunoassay standard curves.
