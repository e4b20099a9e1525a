//! Repository behaviour, the same on SQLite and PostgreSQL.

use chrono::Duration;
use serde_json::json;
use uuid::Uuid;
use waqup::domain::{
    Email, LedgerType, Pace, PreferenceChanges, Preferences, Role, Tone, UserStatus,
};
use waqup::store::{
    IssuedToken, NewLedgerEntry, NewUser, ProfileUpdate, Rotation, StoreError, User,
};
use waqup::time::now;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp};

backend_tests!(
    users_and_their_welcome_grant,
    the_ledger_never_goes_negative_even_under_concurrency,
    refresh_token_rotation_outcomes,
    revocation_never_misses_a_token_rotated_at_the_same_time,
    missing_records_are_not_found,
    migrations_are_idempotent,
);

async fn new_user(app: &TestApp, credits: i64) -> User {
    app.state
        .store
        .create_user(NewUser {
            id: Uuid::now_v7(),
            email: Email::parse(&format!("{}@example.com", Uuid::new_v4().simple())).unwrap(),
            password_hash: "$argon2id$not-a-real-hash".into(),
            role: Role::Creator,
            display_name: Some("Store Test".into()),
            preferences: Preferences::default(),
            initial_credits: credits,
            now: now(),
        })
        .await
        .expect("create user")
}

fn entry(user_id: Uuid, kind: LedgerType, amount: i64) -> NewLedgerEntry {
    NewLedgerEntry {
        id: Uuid::now_v7(),
        user_id,
        kind,
        amount,
        content_item_id: None,
        content_type: None,
        metadata: json!({}),
        now: now(),
    }
}

async fn ledger_sum(app: &TestApp, user_id: Uuid) -> i64 {
    let page = waqup::domain::PageParams {
        page: Some(1),
        limit: Some(100),
    }
    .parse()
    .unwrap();
    let (rows, _) = app
        .state
        .store
        .list_ledger(user_id, None, page)
        .await
        .unwrap();
    rows.iter().map(|r| r.amount).sum()
}

async fn users_and_their_welcome_grant(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = new_user(&app, 3).await;
    assert_eq!(user.credit_balance, 3);
    assert_eq!(user.role, Role::Creator);
    assert_eq!(user.status, UserStatus::Active);

    let by_email = store.user_by_email(&user.email).await.unwrap().unwrap();
    assert_eq!(by_email.id, user.id);
    assert_eq!(by_email.created_at, user.created_at);
    assert_eq!(ledger_sum(&app, user.id).await, 3);

    // Same email again: a conflict, and nothing of the second account is written.
    let clash_id = Uuid::now_v7();
    let err = store
        .create_user(NewUser {
            id: clash_id,
            email: Email::parse(&user.email).unwrap(),
            password_hash: "x".into(),
            role: Role::User,
            display_name: None,
            preferences: Preferences::default(),
            initial_credits: 1,
            now: now(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(store.user_by_id(clash_id).await.unwrap().is_none());
    assert_eq!(ledger_sum(&app, clash_id).await, 0);
    assert_eq!(ledger_sum(&app, user.id).await, 3);

    // No credits, no ledger row.
    let broke = new_user(&app, 0).await;
    assert_eq!(ledger_sum(&app, broke.id).await, 0);
    let summary = store.credit_summary(broke.id).await.unwrap();
    assert_eq!((summary.balance, summary.last_transaction_at), (0, None));

    let updated = store
        .update_profile(
            user.id,
            ProfileUpdate {
                display_name: Some(None),
                preferences: PreferenceChanges::default(),
                now: now(),
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.display_name, None);
    assert_eq!(updated.preferences, user.preferences);

    // Concurrent updates of different preferences all land (merged under the row lock).
    let changes = [
        PreferenceChanges {
            pace: Some(Pace::Faster),
            ..Default::default()
        },
        PreferenceChanges {
            tone: Some(Tone::Grounding),
            ..Default::default()
        },
        PreferenceChanges {
            timezone: Some("Asia/Tokyo".into()),
            ..Default::default()
        },
        PreferenceChanges {
            voice_id: Some(Some("deep-voice".into())),
            ..Default::default()
        },
    ];
    let updates = changes.into_iter().map(|preferences| {
        let store = store.clone();
        async move {
            store
                .update_profile(
                    user.id,
                    ProfileUpdate {
                        display_name: None,
                        preferences,
                        now: now(),
                    },
                )
                .await
        }
    });
    for result in futures_util::future::join_all(updates).await {
        result.unwrap();
    }
    let prefs = store
        .user_by_id(user.id)
        .await
        .unwrap()
        .unwrap()
        .preferences;
    assert_eq!(prefs.pace, Pace::Faster);
    assert_eq!(prefs.tone, Tone::Grounding);
    assert_eq!(prefs.timezone, "Asia/Tokyo");
    assert_eq!(prefs.voice_id.as_deref(), Some("deep-voice"));
}

async fn the_ledger_never_goes_negative_even_under_concurrency(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let store = app.state.store.clone();
    let user = new_user(&app, 5).await;

    let err = store
        .append_ledger(entry(user.id, LedgerType::Consumption, -6))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(store.credit_summary(user.id).await.unwrap().balance, 5);

    let spends = (0..20).map(|_| {
        let store = store.clone();
        async move {
            store
                .append_ledger(entry(user.id, LedgerType::Consumption, -1))
                .await
        }
    });
    let results = futures_util::future::join_all(spends).await;
    let charged = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(charged, 5);
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(_) | Err(StoreError::Conflict(_))))
    );

    let summary = store.credit_summary(user.id).await.unwrap();
    assert_eq!(summary.balance, 0);
    assert!(summary.has_consumed);
    assert_eq!(ledger_sum(&app, user.id).await, 0);
    let mut balances: Vec<i64> = results
        .into_iter()
        .flatten()
        .map(|e| e.balance_after)
        .collect();
    balances.sort_unstable();
    assert_eq!(balances, vec![0, 1, 2, 3, 4]);
}

fn token(hash: &str, issued_at: chrono::DateTime<chrono::Utc>, ttl: Duration) -> IssuedToken {
    IssuedToken {
        id: Uuid::now_v7(),
        token_hash: hash.to_owned(),
        issued_at,
        expires_at: issued_at + ttl,
    }
}

async fn refresh_token_rotation_outcomes(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = new_user(&app, 1).await;
    let t0 = now();

    store
        .insert_refresh_token(user.id, Uuid::now_v7(), &token("a", t0, Duration::days(7)))
        .await
        .unwrap();
    let rotated = store
        .rotate_refresh_token("a", &token("b", t0, Duration::days(7)))
        .await
        .unwrap();
    assert_eq!(rotated, Rotation::Rotated { user_id: user.id });
    assert_eq!(
        store
            .rotate_refresh_token("nope", &token("c", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Unknown
    );
    // "a" again: reuse; the family ("b" included) is revoked; "c" was never stored.
    assert_eq!(
        store
            .rotate_refresh_token("a", &token("c", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Reused { user_id: user.id }
    );
    assert_eq!(
        store
            .rotate_refresh_token("b", &token("d", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Reused { user_id: user.id }
    );
    assert_eq!(
        store
            .rotate_refresh_token("c", &token("e", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Unknown
    );

    // Expired: refused, nothing changes.
    let old = t0 - Duration::days(8);
    store
        .insert_refresh_token(
            user.id,
            Uuid::now_v7(),
            &token("old", old, Duration::days(7)),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate_refresh_token("old", &token("f", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Expired
    );
    // ... and nothing changed: no replacement stored, the old one still just expired.
    assert_eq!(
        store
            .rotate_refresh_token("f", &token("x", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Unknown
    );
    assert_eq!(
        store
            .rotate_refresh_token("old", &token("f", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Expired
    );

    // A new sign-in forgets the user's expired tokens.
    store
        .insert_refresh_token(user.id, Uuid::now_v7(), &token("g", t0, Duration::days(7)))
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate_refresh_token("old", &token("y", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Unknown
    );

    // Suspension revokes the user's tokens; one issued anyway while suspended is
    // refused without being used up, and works once the account is restored.
    store
        .set_user_status(user.id, UserStatus::Suspended, t0)
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate_refresh_token("g", &token("h", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Reused { user_id: user.id }
    );
    store
        .insert_refresh_token(user.id, Uuid::now_v7(), &token("g2", t0, Duration::days(7)))
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate_refresh_token("g2", &token("h", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Suspended { user_id: user.id }
    );
    store
        .set_user_status(user.id, UserStatus::Active, t0)
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate_refresh_token("g2", &token("h", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Rotated { user_id: user.id }
    );

    // Logout-style revocation of a family.
    assert!(store.revoke_refresh_family("h", t0).await.unwrap());
    assert!(
        !store
            .revoke_refresh_family("never-issued", t0)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .rotate_refresh_token("h", &token("k", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Reused { user_id: user.id }
    );

    // A password change ends every sign-in of the user.
    store
        .insert_refresh_token(user.id, Uuid::now_v7(), &token("i", t0, Duration::days(7)))
        .await
        .unwrap();
    store
        .set_password_hash(user.id, "$argon2id$new", t0)
        .await
        .unwrap();
    assert_eq!(
        store
            .rotate_refresh_token("i", &token("j", t0, Duration::days(7)))
            .await
            .unwrap(),
        Rotation::Reused { user_id: user.id }
    );
}

/// A password change (which revokes every sign-in) racing a rotation: afterwards the
/// replacement token must not work, whichever of the two ran first.
async fn revocation_never_misses_a_token_rotated_at_the_same_time(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let user = new_user(&app, 1).await;
    for round in 0..40 {
        let t0 = now();
        let (old, new, newest) = (
            format!("old{round}"),
            format!("new{round}"),
            format!("newest{round}"),
        );
        store
            .insert_refresh_token(user.id, Uuid::now_v7(), &token(&old, t0, Duration::days(7)))
            .await
            .unwrap();
        let replacement = token(&new, t0, Duration::days(7));
        let (rotated, changed) = futures_util::join!(
            store.rotate_refresh_token(&old, &replacement),
            store.set_password_hash(user.id, "$argon2id$changed", t0),
        );
        changed.unwrap();
        assert!(matches!(
            rotated.unwrap(),
            Rotation::Rotated { .. } | Rotation::Reused { .. }
        ));
        let after = store
            .rotate_refresh_token(&new, &token(&newest, t0, Duration::days(7)))
            .await
            .unwrap();
        assert!(
            matches!(after, Rotation::Reused { .. } | Rotation::Unknown),
            "round {round}: the replacement survived the revocation: {after:?}"
        );
    }
}

async fn missing_records_are_not_found(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let store = &app.state.store;
    let ghost = Uuid::now_v7();
    assert!(store.user_by_id(ghost).await.unwrap().is_none());
    assert!(
        store
            .user_by_email("ghost@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        store.credit_summary(ghost).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .set_user_status(ghost, UserStatus::Suspended, now())
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .update_profile(
                ghost,
                ProfileUpdate {
                    now: now(),
                    ..Default::default()
                }
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .append_ledger(entry(ghost, LedgerType::Grant, 1))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn migrations_are_idempotent(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.state.store.migrate().await.unwrap();
    app.state.store.migrate().await.unwrap();
    app.state.store.ping().await.unwrap();
}
