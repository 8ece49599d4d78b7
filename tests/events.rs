//! The event stream through the public API, on each backend: every committed change, once, in
//! order, resumable from a cursor; concurrent writers and watchers agree on one sequence.

use std::time::Duration;

use continuum::pb::event_service_client::EventServiceClient;
use continuum::pb::{self, event};
use tonic::Code;
use tonic::transport::Channel;

use crate::api_journey::{describe, referral};
use crate::server::{
    CARMARTHENSHIRE, TestServer, WORCESTERSHIRE, as_practitioner, on_each_backend,
};

async fn client(server: &TestServer) -> EventServiceClient<Channel> {
    EventServiceClient::new(server.channel().await)
}

/// Receive referrals: the names created.
async fn create(server: &TestServer, n: usize) -> Vec<String> {
    let d = describe(server, WORCESTERSHIRE).await;
    let mut referrals = server.referrals().await;
    let mut names = Vec::new();
    for _ in 0..n {
        let created = referrals
            .create_referral(as_practitioner(
                WORCESTERSHIRE,
                pb::CreateReferralRequest {
                    parent: format!("authorities/{WORCESTERSHIRE}"),
                    referral: Some(referral(&d, 2)),
                    request_id: String::new(),
                },
            ))
            .await
            .unwrap()
            .into_inner();
        names.push(created.name);
    }
    names
}

/// Take `n` events from a stream, failing if they do not come within a generous bound.
async fn take(stream: &mut tonic::Streaming<pb::Event>, n: usize) -> Vec<pb::Event> {
    let mut got = Vec::new();
    while got.len() < n {
        let next = tokio::time::timeout(Duration::from_secs(10), stream.message())
            .await
            .expect("an event within 10 s")
            .unwrap()
            .expect("the stream stays open");
        got.push(next);
    }
    got
}

async fn watch(server: &TestServer, after: &str) -> tonic::Streaming<pb::Event> {
    client(server)
        .await
        .watch_events(as_practitioner(
            WORCESTERSHIRE,
            pb::WatchEventsRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                after: after.into(),
            },
        ))
        .await
        .unwrap()
        .into_inner()
}

async fn a_watcher_resumes_and_sees_each_event_once(server: &TestServer) {
    let mut stream = watch(server, "").await;
    let first = create(server, 3).await;
    let seen = take(&mut stream, 3).await;
    assert_eq!(
        seen.iter().map(|e| e.sequence).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        seen.iter().map(|e| e.resource.clone()).collect::<Vec<_>>(),
        first
    );
    let e = &seen[0];
    assert_eq!(e.kind, "referral.created");
    assert_eq!(e.causes, ["referral.created"]);
    let Some(event::Payload::Referral(r)) = &e.payload else {
        panic!("the referral itself: {e:?}");
    };
    assert_eq!(r.name, first[0]);
    assert!(!r.etag.is_empty(), "the payload carries its etag");

    // The client goes away; writes happen; it resumes after its last cursor.
    drop(stream);
    let more = create(server, 4).await;
    let mut stream = watch(server, &seen[2].cursor).await;
    let resumed = take(&mut stream, 4).await;
    assert_eq!(
        resumed.iter().map(|e| e.sequence).collect::<Vec<_>>(),
        [4, 5, 6, 7]
    );
    assert_eq!(
        resumed
            .iter()
            .map(|e| e.resource.clone())
            .collect::<Vec<_>>(),
        more
    );

    // ListEvents pages the same stream.
    let mut events = client(server).await;
    let page = events
        .list_events(as_practitioner(
            WORCESTERSHIRE,
            pb::ListEventsRequest {
                parent: format!("authorities/{WORCESTERSHIRE}"),
                after: seen[0].cursor.clone(),
                page_size: 2,
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        page.events.iter().map(|e| e.sequence).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(page.next_cursor, seen[2].cursor);

    // Bad cursors name the field; another authority's cursor is not valid here.
    for after in ["not-a-cursor".to_owned(), seen[0].cursor.clone()] {
        let parent = if after == seen[0].cursor {
            format!("authorities/{CARMARTHENSHIRE}")
        } else {
            format!("authorities/{WORCESTERSHIRE}")
        };
        let caller = if after == seen[0].cursor {
            CARMARTHENSHIRE
        } else {
            WORCESTERSHIRE
        };
        let status = events
            .list_events(as_practitioner(
                caller,
                pb::ListEventsRequest {
                    parent,
                    after,
                    page_size: 0,
                },
            ))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    }
    // Another authority sees none of these.
    let theirs = events
        .list_events(as_practitioner(
            CARMARTHENSHIRE,
            pb::ListEventsRequest {
                parent: format!("authorities/{CARMARTHENSHIRE}"),
                ..Default::default()
            },
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(theirs.events.is_empty());
}

on_each_backend!(a_watcher_resumes_and_sees_each_event_once);

async fn concurrent_writers_and_watchers_agree(server: &TestServer) {
    const WRITERS: usize = 10;
    const EACH: usize = 5;
    let total = WRITERS * EACH;
    let mut watchers = Vec::new();
    for _ in 0..3 {
        let mut stream = watch(server, "").await;
        watchers.push(tokio::spawn(async move { take(&mut stream, total).await }));
    }
    let mut writers = Vec::new();
    for _ in 0..WRITERS {
        let addr = server.addr;
        let d = describe(server, WORCESTERSHIRE).await;
        writers.push(tokio::spawn(async move {
            let channel = Channel::from_shared(format!("http://{addr}"))
                .unwrap()
                .connect()
                .await
                .unwrap();
            let mut referrals = pb::referral_service_client::ReferralServiceClient::new(channel);
            let mut names = Vec::new();
            for _ in 0..EACH {
                let created = referrals
                    .create_referral(as_practitioner(
                        WORCESTERSHIRE,
                        pb::CreateReferralRequest {
                            parent: format!("authorities/{WORCESTERSHIRE}"),
                            referral: Some(referral(&d, 2)),
                            request_id: String::new(),
                        },
                    ))
                    .await
                    .unwrap()
                    .into_inner();
                names.push(created.name);
            }
            names
        }));
    }
    let mut written = Vec::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    let mut sequences = Vec::new();
    for w in watchers {
        sequences.push(w.await.unwrap());
    }
    let expected: Vec<i64> = (1..=total as i64).collect();
    for seen in &sequences {
        assert_eq!(
            seen.iter().map(|e| e.sequence).collect::<Vec<_>>(),
            expected,
            "gap-free and in order"
        );
        assert_eq!(
            seen.iter().map(|e| &e.resource).collect::<Vec<_>>(),
            sequences[0].iter().map(|e| &e.resource).collect::<Vec<_>>(),
            "every watcher sees the same sequence"
        );
    }
    let mut resources: Vec<String> = sequences[0].iter().map(|e| e.resource.clone()).collect();
    resources.sort();
    written.sort();
    assert_eq!(resources, written, "every acknowledged write, once");
}

on_each_backend!(concurrent_writers_and_watchers_agree);
