//! Carmarthenshire authority plugin (in progress).
