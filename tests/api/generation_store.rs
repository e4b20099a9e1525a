//! The generation store on both backends: holds, leases, the charge, orphan holds.

use chrono::Duration;
use serde_json::json;
use uuid::Uuid;
use waqup::domain::{ContentType, Depth, Email, Preferences, Role};
use waqup::store::{
    ContentStatus, Finish, GeneratedAudio, GeneratedText, GenerationIds, MAX_JOB_CLAIMS,
    NewGeneration, NewUser, Reservation, User,
};
use waqup::time::now;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

/// An application whose node runs no jobs: the tests play the job runner themselves.
async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::builder(backend)
        .env("WAQUP_RUN_JOBS", "false")
        .spawn()
        .await
}

backend_tests!(
    reservations_are_idempotent_and_bounded_by_available_credits,
    one_owner_per_job_and_one_charge_per_item,
    a_failed_job_releases_its_hold_and_orphans_are_released,
    expired_leases_are_claimed_again_at_their_stage,
    a_job_that_keeps_dying_is_given_up,
);

async fn user_with(app: &TestApp, credits: i64) -> User {
    app.state
        .store
        .create_user(NewUser {
            id: Uuid::now_v7(),
            email: Email::parse(&format!("{}@example.com", Uuid::new_v4().simple())).unwrap(),
            password_hash: "x".into(),
            role: Role::User,
            display_name: None,
            preferences: Preferences::default(),
            initial_credits: credits,
            now: now(),
        })
        .await
        .unwrap()
}

/// Reserves a new generation that the user's credits cover.
async fn created(app: &TestApp, user_id: Uuid, key: &str, cost: i64) -> GenerationIds {
    match app
        .state
        .store
        .reserve_generation(generation(user_id, key, cost))
        .await
        .unwrap()
    {
        Reservation::Created(ids) => ids,
        other => panic!("expected a new reservation, got {other:?}"),
    }
}

fn generation(user_id: Uuid, key: &str, cost: i64) -> NewGeneration {
    NewGeneration {
        user_id,
        session_id: Some(Uuid::new_v4()),
        hold_key: key.to_owned(),
        cost,
        content_type: ContentType::GuidedMeditation,
        context: json!({ "intent": "sleep", "duration_minutes": 5 }),
        parent_id: None,
        content_id: Uuid::now_v7(),
        hold_id: Uuid::now_v7(),
        job_id: Uuid::now_v7(),
        now: now(),
    }
}

fn audio() -> GeneratedAudio {
    GeneratedAudio {
        key: "audio/x/y/1.mp3".into(),
        seconds: 61.5,
        format: "mp3".into(),
        voice_id: "aurora".into(),
        details: json!({ "provider": "espeak" }),
    }
}

fn text() -> GeneratedText {
    GeneratedText {
        title: "Test".into(),
        text: "Breathe. [pause 3s] Rest.".into(),
        structure: json!({}),
        tags: vec!["sleep".into()],
        depth: Depth::Medium,
        duration_seconds: 300,
    }
}

async fn reservations_are_idempotent_and_bounded_by_available_credits(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = user_with(&app, 5).await;

    let first = store
        .reserve_generation(generation(user.id, "s:1", 2))
        .await
        .unwrap();
    let Reservation::Created(ids) = first else {
        panic!("{first:?}")
    };
    // The same confirmation again finds the same reservation.
    let again = store
        .reserve_generation(generation(user.id, "s:1", 2))
        .await
        .unwrap();
    assert_eq!(again, Reservation::Existing(ids));
    let summary = store.credit_summary(user.id).await.unwrap();
    assert_eq!((summary.balance, summary.held), (5, 2));

    let second = store
        .reserve_generation(generation(user.id, "s:2", 3))
        .await
        .unwrap();
    assert!(matches!(second, Reservation::Created(_)));
    // 5 - (2 + 3) = 0 available.
    let refused = store
        .reserve_generation(generation(user.id, "s:3", 1))
        .await
        .unwrap();
    assert_eq!(
        refused,
        Reservation::Insufficient {
            required: 1,
            available: 0
        }
    );

    let item = store
        .content_item(ids.content_id, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, ContentStatus::Generating);
    assert_eq!(item.version, 1);
    assert_eq!(item.cost, 2);
    // Someone else's item is not found.
    let other = user_with(&app, 0).await;
    assert!(
        store
            .content_item(ids.content_id, other.id)
            .await
            .unwrap()
            .is_none()
    );
}

async fn one_owner_per_job_and_one_charge_per_item(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = user_with(&app, 3).await;
    let ids = created(&app, user.id, "k", 2).await;
    let t0 = now();
    let lease = t0 + Duration::seconds(30);
    let (a, b) = futures_util::join!(
        store.claim_job(ids.job_id, "node-a", t0, lease),
        store.claim_job(ids.job_id, "node-b", t0, lease),
    );
    let owners: Vec<&str> = [(a.unwrap(), "node-a"), (b.unwrap(), "node-b")]
        .into_iter()
        .filter_map(|(job, name)| job.map(|_| name))
        .collect();
    assert_eq!(owners.len(), 1, "{owners:?}");
    let (owner, stranger) = if owners[0] == "node-a" {
        ("node-a", "node-b")
    } else {
        ("node-b", "node-a")
    };

    assert!(
        !store
            .renew_lease(ids.job_id, stranger, lease)
            .await
            .unwrap()
    );
    assert!(store.renew_lease(ids.job_id, owner, lease).await.unwrap());
    assert!(
        !store
            .save_generated_text(ids.job_id, stranger, text(), t0)
            .await
            .unwrap()
    );
    assert!(
        store
            .save_generated_text(ids.job_id, owner, text(), t0)
            .await
            .unwrap()
    );
    // The text stage is done: it is not written twice.
    assert!(
        !store
            .save_generated_text(ids.job_id, owner, text(), t0)
            .await
            .unwrap()
    );
    assert_eq!(
        store.finish_job(ids.job_id, stranger, t0).await.unwrap(),
        Finish::LeaseLost
    );
    assert_eq!(
        store.finish_job(ids.job_id, owner, t0).await.unwrap(),
        Finish::Charged { balance_after: 1 }
    );
    assert_eq!(
        store.finish_job(ids.job_id, owner, t0).await.unwrap(),
        Finish::AlreadyCharged
    );
    assert!(!store.fail_job(ids.job_id, owner, "late", t0).await.unwrap());

    let item = store
        .content_item(ids.content_id, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, ContentStatus::Ready);
    assert_eq!(item.title.as_deref(), Some("Test"));
    assert_eq!(item.depth, Some(Depth::Medium));
    let summary = store.credit_summary(user.id).await.unwrap();
    assert_eq!(
        (summary.balance, summary.held, summary.has_consumed),
        (1, 0, true)
    );
}

async fn a_failed_job_releases_its_hold_and_orphans_are_released(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = user_with(&app, 2).await;
    let ids = created(&app, user.id, "f", 2).await;
    let t0 = now();
    store
        .claim_job(ids.job_id, "me", t0, t0 + Duration::seconds(30))
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .fail_job(ids.job_id, "me", "the model failed", t0)
            .await
            .unwrap()
    );
    let summary = store.credit_summary(user.id).await.unwrap();
    assert_eq!(
        (summary.balance, summary.held, summary.has_consumed),
        (2, 0, false)
    );
    let item = store
        .content_item(ids.content_id, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, ContentStatus::Failed);
    assert_eq!(
        store.finish_job(ids.job_id, "me", t0).await.unwrap(),
        Finish::LeaseLost
    );

    // Pending and running jobs keep their holds; nothing is orphaned by them.
    let pending = created(&app, user.id, "g", 1).await;
    assert_eq!(store.settle_abandoned_jobs(now()).await.unwrap(), 0);
    assert_eq!(store.credit_summary(user.id).await.unwrap().held, 1);

    // A job that ended without settling its hold (an outside change, a bug) leaves an
    // orphan: released at the next start, and its item marked failed.
    execute(&app, "UPDATE generation_jobs SET status = 'failed'").await;
    assert_eq!(store.settle_abandoned_jobs(now()).await.unwrap(), 1);
    assert_eq!(store.credit_summary(user.id).await.unwrap().held, 0);
    let item = store
        .content_item(pending.content_id, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, ContentStatus::Failed);
}

/// Runs SQL on the test's database directly, behind the application's back.
async fn execute(app: &TestApp, sql: &'static str) {
    use sqlx::Connection;
    let url = app.state.config.database_url.expose();
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
}

async fn expired_leases_are_claimed_again_at_their_stage(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = user_with(&app, 4).await;
    let first = created(&app, user.id, "a", 1).await;
    let second = created(&app, user.id, "b", 1).await;
    let t0 = now();
    // A dead node held both; it had finished the text of the first.
    store
        .claim_job(first.job_id, "dead", t0, t0 + Duration::seconds(5))
        .await
        .unwrap()
        .unwrap();
    store
        .claim_job(second.job_id, "dead", t0, t0 + Duration::seconds(5))
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .save_generated_text(first.job_id, "dead", text(), t0)
            .await
            .unwrap()
    );
    // Before expiry nobody else may take them.
    let early = store
        .claim_free_jobs(
            "alive",
            t0 + Duration::seconds(1),
            t0 + Duration::seconds(60),
            10,
        )
        .await
        .unwrap();
    assert!(early.is_empty());
    let later = t0 + Duration::seconds(6);
    let claimed = store
        .claim_free_jobs("alive", later, later + Duration::seconds(60), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let stage_of = |job_id| claimed.iter().find(|j| j.id == job_id).unwrap().stage;
    assert_eq!(stage_of(first.job_id), waqup::store::JobStage::Audio);
    assert_eq!(stage_of(second.job_id), waqup::store::JobStage::Text);
    assert!(claimed.iter().all(|j| j.attempts == 2));
    // The dead node, back, cannot store audio for what it lost; the new holder can.
    assert!(
        !store
            .save_generated_audio(first.job_id, "dead", audio(), later)
            .await
            .unwrap()
    );
    assert!(
        store
            .save_generated_audio(first.job_id, "alive", audio(), later)
            .await
            .unwrap()
    );
    // Stored once: the stage has moved on to the charge.
    assert!(
        !store
            .save_generated_audio(first.job_id, "alive", audio(), later)
            .await
            .unwrap()
    );
    let item = store
        .content_item(first.content_id, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.audio_url.as_deref(), Some("audio/x/y/1.mp3"));
    assert_eq!(item.audio_duration, Some(62));
    assert_eq!(item.audio_format.as_deref(), Some("mp3"));
    assert_eq!(item.voice_id.as_deref(), Some("aurora"));
    assert_eq!(item.metadata["audio"]["provider"], "espeak");
    assert_eq!(item.metadata["audio"]["seconds"], 61.5);
    // The dead node, back, cannot finish what it lost.
    assert_eq!(
        store.finish_job(first.job_id, "dead", later).await.unwrap(),
        Finish::LeaseLost
    );
    assert!(matches!(
        store
            .finish_job(first.job_id, "alive", later)
            .await
            .unwrap(),
        Finish::Charged { .. }
    ));
    // Claimed jobs are not handed out twice.
    let none = store
        .claim_free_jobs("third", later, later + Duration::seconds(60), 10)
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn a_job_that_keeps_dying_is_given_up(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = user_with(&app, 3).await;
    let ids = created(&app, user.id, "doomed", 2).await;
    // Every claim's node dies before its lease ends.
    let mut at = now();
    for claim in 1..=MAX_JOB_CLAIMS {
        let job = store
            .claim_job(
                ids.job_id,
                &format!("run-{claim}"),
                at,
                at + Duration::seconds(5),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.attempts, claim);
        assert_eq!(job.lease, format!("run-{claim}"));
        // A lease left by an earlier claim no longer writes.
        if claim > 1 {
            assert!(
                !store
                    .save_generated_text(ids.job_id, &format!("run-{}", claim - 1), text(), at)
                    .await
                    .unwrap()
            );
        }
        at += Duration::seconds(6);
    }
    // Used up: nobody claims it again, and while its last lease lives nothing settles it.
    assert!(
        store
            .claim_job(ids.job_id, "one-more", at, at + Duration::seconds(5))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .claim_free_jobs("poller", at, at + Duration::seconds(5), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .settle_abandoned_jobs(at - Duration::seconds(3))
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.credit_summary(user.id).await.unwrap().held, 2);
    // Once it lapses, the job is given up: the hold released, the item failed.
    assert_eq!(store.settle_abandoned_jobs(at).await.unwrap(), 1);
    let summary = store.credit_summary(user.id).await.unwrap();
    assert_eq!(
        (summary.balance, summary.held, summary.has_consumed),
        (3, 0, false)
    );
    let item = store
        .content_item(ids.content_id, user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.status, ContentStatus::Failed);
    assert_eq!(
        store.finish_job(ids.job_id, "run-5", at).await.unwrap(),
        Finish::LeaseLost
    );
}
