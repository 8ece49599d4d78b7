//! `continuum token` signs with the secret `continuum serve` verifies with, wherever each is run
//! from, and says which one it used.

use std::process::Command;

use continuum::pb;
use continuum::pb::authority_service_client::AuthorityServiceClient;
use tonic::transport::Channel;

use crate::server::{WORCESTERSHIRE, with_token};
use crate::support::ServeProcess;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_minted_anywhere_is_accepted_by_a_server_started_anywhere() {
    let home = tempfile::tempdir().unwrap();
    let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let minted = Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args(["token", "--authority", WORCESTERSHIRE])
        .current_dir(here.path())
        .env("HOME", home.path())
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("CONTINUUM_JWT_SECRET")
        .env_remove("CONTINUUM_DEV_SECRET_FILE")
        .output()
        .unwrap();
    assert!(minted.status.success());
    let said = String::from_utf8_lossy(&minted.stderr);
    let secret_file = home.path().join(".config/continuum/dev-secret");
    assert!(
        said.contains(&format!(
            "signed with the development secret in {}",
            secret_file.display()
        )),
        "{said}"
    );
    let token = String::from_utf8(minted.stdout).unwrap().trim().to_owned();

    let mut server = ServeProcess::start(|c| {
        c.current_dir(there.path())
            .env("HOME", home.path())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("CONTINUUM_JWT_SECRET")
            .env_remove("CONTINUUM_DEV_SECRET_FILE")
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", there.path().join("c.db").display()),
            );
    });
    let channel = Channel::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let answer = AuthorityServiceClient::new(channel)
        .get_authority(with_token(
            &token,
            pb::GetAuthorityRequest {
                name: format!("authorities/{WORCESTERSHIRE}"),
            },
        ))
        .await;
    server.kill();
    answer.unwrap();
    assert!(
        !there.path().join("continuum.dev-secret").exists(),
        "no secret file is left in the directory the server ran in"
    );
}
