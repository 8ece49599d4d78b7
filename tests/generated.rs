//! The plugin SDK carries its generated wire types in the repository (so a plugin builds without
//! a protobuf compiler). This test regenerates them from `proto/` and fails if the committed
//! copy is stale. Run with `CONTINUUM_UPDATE_GENERATED=1` to write the fresh copy.

#[test]
fn generated_plugin_types_are_fresh() {
    let fresh = include_str!(concat!(env!("OUT_DIR"), "/plugin/continuum.plugin.v1.rs"));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/plugin-api/src/pb/continuum.plugin.v1.rs"
    );
    let committed = std::fs::read_to_string(path).expect("read the committed generated code");
    if committed != fresh {
        if std::env::var_os("CONTINUUM_UPDATE_GENERATED").is_some() {
            std::fs::write(path, fresh).expect("write the generated code");
        } else {
            panic!(
                "{path} is stale: proto/continuum/plugin/v1 changed. \
                 Run `CONTINUUM_UPDATE_GENERATED=1 cargo test generated` and commit the result."
            );
        }
    }
}
