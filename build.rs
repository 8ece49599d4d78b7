//! Compiles the protobuf definitions in `proto/` with protox (a pure-Rust protobuf compiler, so no
//! system `protoc` is needed) and tonic-prost-build.
//!
//! - `continuum.plugin.v1` (the plugin boundary) is generated here only to check the copy that is
//!   committed in `crates/plugin-api/src/pb/` (see `tests/generated.rs`); the service uses that
//!   copy through `extern_path`, so both sides of the boundary share one set of types.

use std::path::PathBuf;

const PLUGIN_PROTOS: &[&str] = &["continuum/plugin/v1/authority.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let plugin_out = out_dir.join("plugin");
    std::fs::create_dir_all(&plugin_out)?;
    let plugin_fds = protox::compile(PLUGIN_PROTOS, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(false)
        .out_dir(&plugin_out)
        .compile_fds(plugin_fds)?;
    Ok(())
}
