//! Torbay authority plugin (in progress).
