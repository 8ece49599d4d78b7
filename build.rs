//! Compiles the protobuf definitions in `proto/` with protox (a pure-Rust protobuf compiler, so no
//! system `protoc` is needed) and tonic-prost-build.
//!
//! - `continuum.v1` (the service API): messages, tonic servers and clients (with the codec of
//!   `src/codec.rs`), and the encoded file descriptor set that server reflection serves. Its
//!   references to `continuum.plugin.v1` point at the SDK's types (`extern_path`), so the service
//!   and the plugins share one set of types.
//! - `continuum.plugin.v1` (the plugin boundary) is generated here only to check the copy that is
//!   committed in `crates/plugin-api/src/pb/` (see `tests/generated.rs`).
//! - `continuum.bench.v1` (the echo service `continuum load` calibrates against): messages, a
//!   tonic server and a client, included by `src/echo.rs`.

use std::path::PathBuf;

use prost::Message;

const API_PROTOS: &[&str] = &[
    "continuum/v1/continuum.proto",
    "continuum/v1/events.proto",
    "continuum/v1/export.proto",
    "continuum/v1/audit.proto",
];
const PLUGIN_PROTOS: &[&str] = &["continuum/plugin/v1/authority.proto"];
const BENCH_PROTOS: &[&str] = &["continuum/bench/v1/echo.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let api_fds = protox::compile(API_PROTOS, ["proto"])?;
    std::fs::write(
        out_dir.join("continuum_descriptor.bin"),
        api_fds.encode_to_vec(),
    )?;
    tonic_prost_build::configure()
        .extern_path(".continuum.plugin.v1", "::continuum_plugin_api::pb")
        // A request that does not decode is INVALID_ARGUMENT (src/codec.rs).
        .codec_path("crate::codec::ApiCodec")
        .compile_fds(api_fds)?;

    let plugin_out = out_dir.join("plugin");
    std::fs::create_dir_all(&plugin_out)?;
    let plugin_fds = protox::compile(PLUGIN_PROTOS, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(false)
        .out_dir(&plugin_out)
        .compile_fds(plugin_fds)?;

    let bench_fds = protox::compile(BENCH_PROTOS, ["proto"])?;
    tonic_prost_build::configure().compile_fds(bench_fds)?;
    Ok(())
}
