//! The audit log: every access to a child's record is recorded with its caller and outcome,
//! auditors (and only they) read it, it is append-only, and `continuum audit verify` finds a
//! row that was edited, deleted or moved, in the audit log and in the case history alike.

use continuum::auth::Role;
use continuum::pb;
use continuum::pb::audit_service_client::AuditServiceClient;
use tonic::Code;

use crate::api_journey::describe;
use crate::server::{
    CARMARTHENSHIRE, TestServer, WORCESTERSHIRE, on_each_backend, token, with_token,
};

const PARENT: &str = "authorities/E10000034";

/// An open case at Worcestershire's level 2, opened by `alice`.
async fn open_case(server: &TestServer) -> pb::Case {
    let d = describe(server, WORCESTERSHIRE).await;
    crate::api_journey::open_case(
        server,
        WORCESTERSHIRE,
        2,
        Some((&d.levels[1].code, "decided at level 2")),
    )
    .await
    .0
}

/// Every audit event of the authority about `resource`, read as its auditor.
async fn audit_of(server: &TestServer, resource: &str) -> Vec<pb::AuditEvent> {
    let auditor = token("audrey", WORCESTERSHIRE, Role::Auditor);
    let mut client = AuditServiceClient::new(server.channel().await);
    let mut events = Vec::new();
    let mut page_token = String::new();
    loop {
        let page = client
            .list_audit_events(with_token(
                &auditor,
                pb::ListAuditEventsRequest {
                    parent: PARENT.into(),
                    resource: resource.into(),
                    page_size: 2,
                    page_token,
                    ..Default::default()
                },
            ))
            .await
            .unwrap()
            .into_inner();
        events.extend(page.audit_events);
        if page.next_page_token.is_empty() {
            return events;
        }
        page_token = page.next_page_token;
    }
}

async fn every_read_of_a_case_is_recorded_with_its_caller(server: &TestServer) {
    let case = open_case(server).await;
    let mut cases = server.cases().await;
    let get = |who: &str, role: Role, authority: &str, id: &str| {
        let mut request = with_token(
            &token(who, authority, role),
            pb::GetCaseRequest {
                name: case.name.clone(),
            },
        );
        request
            .metadata_mut()
            .insert("x-request-id", id.parse().unwrap());
        request
    };
    cases
        .get_case(get("alice", Role::Practitioner, WORCESTERSHIRE, "read-1"))
        .await
        .unwrap();
    cases
        .get_case(get("victor", Role::Viewer, WORCESTERSHIRE, "read-2"))
        .await
        .unwrap();
    // A caller of another authority is told the case does not exist; the attempt is recorded
    // in its own authority's log, not in the case's.
    let refused = cases
        .get_case(get(
            "mallory",
            Role::Practitioner,
            CARMARTHENSHIRE,
            "read-3",
        ))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::NotFound);
    // An auditor reads the log and nothing else: its attempt is refused and recorded.
    let refused = cases
        .get_case(get("audrey", Role::Auditor, WORCESTERSHIRE, "read-4"))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);

    let events = audit_of(server, &case.name).await;
    let reads: Vec<_> = events
        .iter()
        .filter(|e| e.method == "CaseService/GetCase")
        .map(|e| {
            (
                e.subject.as_str(),
                e.role.as_str(),
                e.request_id.as_str(),
                e.outcome.as_str(),
                e.returned.clone(),
            )
        })
        .collect();
    assert_eq!(
        reads,
        [
            (
                "alice",
                "practitioner",
                "read-1",
                "OK",
                vec![case.name.clone()]
            ),
            ("victor", "viewer", "read-2", "OK", vec![case.name.clone()]),
            ("audrey", "auditor", "read-4", "PERMISSION_DENIED", vec![]),
        ]
    );
    // The write that opened the case is there too, with the records it wrote.
    let list = audit_of(server, "").await;
    assert!(
        list.iter()
            .any(|e| e.method == "ReferralService/DecideReferral"
                && e.outcome == "OK"
                && e.returned.contains(&case.name)),
        "the decision that opened the case is recorded: {list:#?}"
    );
    // Numbered without gaps, each chained to the one before.
    for (i, e) in list.iter().enumerate() {
        assert_eq!(e.sequence, i as i64 + 1);
        assert_eq!(e.name, format!("{PARENT}/auditEvents/{}", e.sequence));
        assert_eq!(e.hash.len(), 64);
    }

    // A list records which records it returned.
    cases
        .list_cases(with_token(
            &token("alice", WORCESTERSHIRE, Role::Practitioner),
            pb::ListCasesRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap();
    let listed = audit_of(server, PARENT).await;
    let list_cases = listed
        .iter()
        .find(|e| e.method == "CaseService/ListCases")
        .expect("ListCases is recorded");
    assert_eq!(list_cases.returned, vec![case.name.clone()]);

    // Only an auditor reads the log, and only its own authority's.
    let mut audit = AuditServiceClient::new(server.channel().await);
    let denied = audit
        .list_audit_events(with_token(
            &token("alice", WORCESTERSHIRE, Role::Manager),
            pb::ListAuditEventsRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);
    let other = audit
        .list_audit_events(with_token(
            &token("audrey", CARMARTHENSHIRE, Role::Auditor),
            pb::ListAuditEventsRequest {
                parent: PARENT.into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(other.code(), Code::NotFound);
    let bad = audit
        .list_audit_events(with_token(
            &token("audrey", WORCESTERSHIRE, Role::Auditor),
            pb::ListAuditEventsRequest {
                parent: PARENT.into(),
                page_token: "not-a-token".into(),
                ..Default::default()
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument);
    // Carmarthenshire's log has mallory's attempt.
    let theirs = audit
        .list_audit_events(with_token(
            &token("audrey", CARMARTHENSHIRE, Role::Auditor),
            pb::ListAuditEventsRequest {
                parent: format!("authorities/{CARMARTHENSHIRE}"),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(
        theirs
            .audit_events
            .iter()
            .any(|e| e.subject == "mallory" && e.resource == case.name && e.outcome == "NOT_FOUND")
    );
}
on_each_backend!(every_read_of_a_case_is_recorded_with_its_caller);

/// `continuum audit verify` on `url`: its exit success and its output.
fn verify(url: &str) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_continuum"))
        .args(["audit", "verify", "--database-url", url])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.success(), text)
}

async fn execute(db: &sea_orm::DatabaseConnection, sql: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    db.execute_unprepared(sql).await.map(|_| ())
}

async fn an_edited_deleted_or_moved_row_is_found(server: &TestServer) {
    let case = open_case(server).await;
    let mut cases = server.cases().await;
    for _ in 0..3 {
        cases
            .get_case(with_token(
                &token("alice", WORCESTERSHIRE, Role::Practitioner),
                pb::GetCaseRequest {
                    name: case.name.clone(),
                },
            ))
            .await
            .unwrap();
    }
    let (ok, out) = verify(&server.database_url);
    assert!(ok, "an untouched log verifies:\n{out}");
    assert!(out.contains("ok      audit/E10000034"), "{out}");
    assert!(out.contains("ok      history/E10000034"), "{out}");

    let store = continuum_storage::Store::connect(&server.database_url)
        .await
        .unwrap();
    let db = store.db();
    let sqlite = server.database_url.starts_with("sqlite:");
    // The log is append-only: the service's own connection cannot change or remove a row.
    for sql in [
        "UPDATE audit_events SET subject = 'nobody' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 2",
        "UPDATE events SET kind = 'nothing'",
        "DELETE FROM events",
    ] {
        let refused = execute(db, sql).await.unwrap_err();
        assert!(
            refused.to_string().contains("append-only"),
            "{sql}: {refused}"
        );
    }
    // Someone who can drop the guard (the database's owner) and edits a row is found out.
    let (disable, enable) = if sqlite {
        (
            vec![
                "DROP TRIGGER audit_events_no_update",
                "DROP TRIGGER audit_events_no_delete",
                "DROP TRIGGER events_no_update",
            ],
            vec![],
        )
    } else {
        (
            vec![
                "ALTER TABLE audit_events DISABLE TRIGGER USER",
                "ALTER TABLE events DISABLE TRIGGER USER",
            ],
            vec![
                "ALTER TABLE audit_events ENABLE TRIGGER USER",
                "ALTER TABLE events ENABLE TRIGGER USER",
            ],
        )
    };
    for sql in &disable {
        execute(db, sql).await.unwrap();
    }
    // Two rows swapped (each moved to the other's place): the first is named.
    const SWAP: [&str; 2] = [
        "UPDATE audit_events SET seq = -seq WHERE authority_code = 'E10000034' AND seq IN (2, 3)",
        "UPDATE audit_events SET seq = CASE seq WHEN -2 THEN 3 ELSE 2 END \
         WHERE authority_code = 'E10000034' AND seq IN (-2, -3)",
    ];
    for sql in SWAP {
        execute(db, sql).await.unwrap();
    }
    let (ok, out) = verify(&server.database_url);
    assert!(!ok, "{out}");
    assert!(
        out.contains("authorities/E10000034/auditEvents/2: its hash does not match"),
        "{out}"
    );
    // Swapped back, the chain verifies again.
    for sql in SWAP {
        execute(db, sql).await.unwrap();
    }
    let (ok, out) = verify(&server.database_url);
    assert!(ok, "{out}");
    execute(
        db,
        "UPDATE audit_events SET subject = 'nobody' WHERE authority_code = 'E10000034' AND seq = 2",
    )
    .await
    .unwrap();
    let (ok, out) = verify(&server.database_url);
    assert!(!ok, "{out}");
    assert!(
        out.contains(
            "BROKEN  audit/E10000034: authorities/E10000034/auditEvents/2: its hash does not match"
        ),
        "{out}"
    );
    // Deleted instead: the gap is named.
    execute(
        db,
        "DELETE FROM audit_events WHERE authority_code = 'E10000034' AND seq = 2",
    )
    .await
    .unwrap();
    let (ok, out) = verify(&server.database_url);
    assert!(!ok, "{out}");
    assert!(
        out.contains("authorities/E10000034/auditEvents/3: rows 2 to 2 are missing"),
        "{out}"
    );
    // The last row deleted: the head says there were more.
    execute(
        db,
        "DELETE FROM audit_events WHERE authority_code = 'E10000034' AND seq > 1",
    )
    .await
    .unwrap();
    let (ok, out) = verify(&server.database_url);
    assert!(!ok, "{out}");
    assert!(out.contains("rows after 1 deleted"), "{out}");
    // The case history is chained the same way: an edited event is found.
    execute(db, "UPDATE events SET kind = 'nothing' WHERE chain_seq = 1")
        .await
        .unwrap();
    let (ok, out) = verify(&server.database_url);
    assert!(!ok, "{out}");
    assert!(
        out.contains("BROKEN  history/E10000034: history event 1 of authorities/E10000034"),
        "{out}"
    );
    for sql in &enable {
        execute(db, sql).await.unwrap();
    }
}
on_each_backend!(an_edited_deleted_or_moved_row_is_found);
