//! Bradford authority plugin (in progress).
