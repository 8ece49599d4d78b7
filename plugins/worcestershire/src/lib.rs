//! Worcestershire authority plugin (in progress).
