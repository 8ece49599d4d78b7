//! Bytes decoded as one of the public API's request messages (or one of the plugin boundary's),
//! checked as the service checks them, and put to Worcestershire's plugin in-process: whatever
//! the bytes, nothing panics. The body is `continuum::fuzzing::Target::run`; the integration
//! tests run the same body on the stable toolchain (`hostile::the_fuzz_targets_body_never_panics`).

#![no_main]

use std::sync::OnceLock;

use continuum::fuzzing::Target;
use continuum_authority_worcestershire::Worcestershire;
use libfuzzer_sys::fuzz_target;

fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| Target::new(Box::new(Worcestershire)))
}

fuzz_target!(|data: &[u8]| {
    target().run(data);
});
