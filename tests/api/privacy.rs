//! The cache in front of the library, practice stats and streaks, data export and
//! account deletion, on both backends.

use chrono::{Duration, NaiveTime, TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use waqup::cache::keys;
use waqup::domain::ContentType;

use crate::backend_tests;
use crate::conversation::{fetch, talked_affirmation};
use crate::helpers::{Backend, PASSWORD, TestApp, Tokens, expect_error, expect_status};
use crate::library_fixtures::{ItemSpec, audio_exists, ready_item};

backend_tests!(
    a_read_after_a_write_sees_the_write_through_the_cache,
    streaks_follow_the_time_zone_and_break_on_a_missed_day,
    stats_count_completed_practice_per_type,
    the_export_holds_every_section,
    a_deleted_account_leaves_nothing_behind,
);

async fn send(app: &TestApp, user: &Tokens, method: Method, path: &str, body: Value) -> Value {
    let response = app.send_json(method, path, Some(&user.access), &body).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

/// The sum of one `cache_requests_total` series in `/metrics`, over its other labels.
async fn cache_requests(app: &TestApp, keyspace: &str, result: &str) -> f64 {
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    metrics
        .lines()
        .filter(|l| l.starts_with("cache_requests_total{"))
        .filter(|l| {
            l.contains(&format!("keyspace=\"{keyspace}\""))
                && l.contains(&format!("result=\"{result}\""))
        })
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

/// A title read right after it was changed is the new one, though the item was cached
/// (on Redis for the services backend); the same for a profile; the hits show in
/// `/metrics`.
async fn a_read_after_a_write_sees_the_write_through_the_cache(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let expected_backend = if backend == Backend::Services {
        "redis"
    } else {
        "memory"
    };
    assert_eq!(app.state.cache.kind(), expected_backend);
    let user = app.signed_up_user().await;
    let id = ready_item(&app, user.user_id, ItemSpec::new("Morning Light")).await;
    let path = format!("/api/v1/content/{id}");
    let key = keys::content_metadata(id);
    let hits_before = cache_requests(&app, "content", "hit").await;

    assert_eq!(fetch(&app, &user, &path).await["title"], "Morning Light");
    let cached = app
        .state
        .cache
        .get(&key)
        .await
        .unwrap()
        .expect("the item is cached");
    assert!(String::from_utf8_lossy(&cached).contains("Morning Light"));
    for _ in 0..5 {
        assert_eq!(fetch(&app, &user, &path).await["title"], "Morning Light");
    }
    assert!(cache_requests(&app, "content", "hit").await >= hits_before + 5.0);

    for round in 0..10 {
        let title = format!("Evening Calm {round}");
        let updated = send(&app, &user, Method::PATCH, &path, json!({ "title": title })).await;
        assert_eq!(updated["title"], title);
        assert_eq!(
            fetch(&app, &user, &path).await["title"],
            title,
            "round {round}"
        );
        let listed = fetch(&app, &user, "/api/v1/content").await;
        assert_eq!(listed["content_items"][0]["title"], title);
    }
    // A play is a write too: the count read next includes it.
    send(
        &app,
        &user,
        Method::POST,
        &format!("{path}/play"),
        json!({}),
    )
    .await;
    assert_eq!(fetch(&app, &user, &path).await["play_count"], 1);

    // The profile: cached, and changed at once.
    let me = fetch(&app, &user, "/api/v1/users/me").await;
    assert!(me["display_name"].is_null());
    fetch(&app, &user, "/api/v1/users/me").await;
    assert!(
        app.state
            .cache
            .get(&keys::user_profile(user.user_id))
            .await
            .unwrap()
            .is_some()
    );
    send(
        &app,
        &user,
        Method::PUT,
        "/api/v1/users/me",
        json!({ "display_name": "Ada", "preferences": { "timezone": "Asia/Tokyo" } }),
    )
    .await;
    let me = fetch(&app, &user, "/api/v1/users/me").await;
    assert_eq!(me["display_name"], "Ada");
    assert_eq!(me["preferences"]["timezone"], "Asia/Tokyo");
    assert!(cache_requests(&app, "profile", "hit").await >= 1.0);
    assert!(cache_requests(&app, "profile", "miss").await >= 1.0);
}

/// Plays and completes `content` at `at` (started ten minutes earlier, 600 seconds).
async fn practise_at(app: &TestApp, user: &Tokens, content: Uuid, at: chrono::DateTime<Utc>) {
    let played = send(
        app,
        user,
        Method::POST,
        &format!("/api/v1/content/{content}/play"),
        json!({ "started_at": at - Duration::minutes(10) }),
    )
    .await;
    send(
        app,
        user,
        Method::POST,
        &format!("/api/v1/content/{content}/complete"),
        json!({
            "practice_event_id": played["practice_event_id"],
            "completed_at": at,
            "duration": 600,
        }),
    )
    .await;
}

async fn set_timezone(app: &TestApp, user: &Tokens, tz: &str) -> Value {
    send(
        app,
        user,
        Method::PUT,
        "/api/v1/users/me",
        json!({ "preferences": { "timezone": tz } }),
    )
    .await;
    fetch(app, user, "/api/v1/users/me/stats").await
}

fn streak(stats: &Value) -> (u64, u64) {
    (
        stats["current_streak"].as_u64().unwrap(),
        stats["longest_streak"].as_u64().unwrap(),
    )
}

/// The same two practices, 25 hours apart, fall on two days in a row in UTC and in
/// Pago Pago (UTC-11) but on days with a gap between them in Kiritimati (UTC+14); a
/// practice now starts a current streak; a day without practice ends it.
async fn streaks_follow_the_time_zone_and_break_on_a_missed_day(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let item = ready_item(&app, user.user_id, ItemSpec::new("Streak")).await;
    let day = (Utc::now() - Duration::days(4)).date_naive();
    let at = |d: chrono::NaiveDate, h: u32| {
        Utc.from_utc_datetime(&d.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap()))
    };
    // Day D at 09:00 UTC and day D+1 at 10:00 UTC.
    practise_at(&app, &user, item, at(day, 9)).await;
    practise_at(&app, &user, item, at(day.succ_opt().unwrap(), 10)).await;

    let utc = fetch(&app, &user, "/api/v1/users/me/stats").await;
    assert_eq!(utc["timezone"], "UTC");
    assert_eq!(streak(&utc), (0, 2), "{utc}");
    assert_eq!(
        utc["last_practice_date"],
        day.succ_opt().unwrap().to_string()
    );
    // Kiritimati: D 23:00 and D+2 00:00 local, a day apart with a day between.
    let kiritimati = set_timezone(&app, &user, "Pacific/Kiritimati").await;
    assert_eq!(streak(&kiritimati), (0, 1), "{kiritimati}");
    // Pago Pago: D-1 22:00 and D 23:00 local, two days in a row.
    let pago_pago = set_timezone(&app, &user, "Pacific/Pago_Pago").await;
    assert_eq!(streak(&pago_pago), (0, 2), "{pago_pago}");
    assert_eq!(pago_pago["last_practice_date"], day.to_string());

    // A practice a minute ago: today's, so the current streak is one (the days between
    // are missed).
    practise_at(&app, &user, item, Utc::now() - Duration::minutes(1)).await;
    let now = fetch(&app, &user, "/api/v1/users/me/stats").await;
    assert_eq!(streak(&now), (1, 2), "{now}");
    assert_eq!(now["total_practices"], 3);
}

/// Totals count completed practices, minutes per type, and plays started.
async fn stats_count_completed_practice_per_type(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let empty = fetch(&app, &user, "/api/v1/users/me/stats").await;
    assert_eq!(empty["total_practices"], 0);
    assert_eq!(streak(&empty), (0, 0));
    for kind in ["affirmation", "guided_meditation", "ritual"] {
        assert_eq!(empty["by_content_type"][kind]["practices"], 0);
    }
    let ritual = ready_item(&app, user.user_id, ItemSpec::new("R")).await;
    let affirmation = ready_item(
        &app,
        user.user_id,
        ItemSpec::new("A").content_type(ContentType::Affirmation),
    )
    .await;
    let now = Utc::now() - Duration::minutes(1);
    practise_at(&app, &user, ritual, now).await;
    practise_at(&app, &user, ritual, now).await;
    practise_at(&app, &user, affirmation, now).await;
    // A play never completed counts as a play, not a practice.
    send(
        &app,
        &user,
        Method::POST,
        &format!("/api/v1/content/{affirmation}/play"),
        json!({}),
    )
    .await;
    let stats = fetch(&app, &user, "/api/v1/users/me/stats").await;
    assert_eq!(stats["total_practices"], 3, "{stats}");
    assert_eq!(stats["total_plays"], 4);
    assert_eq!(stats["total_minutes"], 30.0);
    assert_eq!(stats["by_content_type"]["ritual"]["practices"], 2);
    assert_eq!(stats["by_content_type"]["ritual"]["minutes"], 20.0);
    assert_eq!(stats["by_content_type"]["affirmation"]["practices"], 1);
    assert_eq!(
        stats["by_content_type"]["guided_meditation"]["practices"],
        0
    );
    assert_eq!(streak(&stats), (1, 1));
}

/// A user who talked an item into existence, practised and shared it exports every
/// section; the document parses back and holds what the routes show.
async fn the_export_holds_every_section(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let talked = talked_affirmation(&app, &user).await;
    let item = ready_item(&app, user.user_id, ItemSpec::new("Exported")).await;
    practise_at(&app, &user, item, Utc::now() - Duration::minutes(1)).await;
    let share = send(
        &app,
        &user,
        Method::POST,
        &format!("/api/v1/content/{item}/share"),
        json!({}),
    )
    .await;

    let response = app.get("/api/v1/users/me/export", Some(&user.access)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.contains("attachment"), "{disposition}");
    let text = response.text().await.unwrap();
    let export: Value = serde_json::from_str(&text).expect("the export is JSON");
    // It round-trips: written back out and read again, it is the same document.
    let again: Value =
        serde_json::from_str(&serde_json::to_string_pretty(&export).unwrap()).unwrap();
    assert_eq!(again, export);

    for section in [
        "profile",
        "preferences",
        "credits",
        "content",
        "conversations",
        "practice",
        "credit_ledger",
        "purchases",
        "shares",
        "safety_alerts",
    ] {
        assert!(export.get(section).is_some(), "no {section} in {export}");
    }
    assert_eq!(export["profile"]["email"], user.email);
    assert_eq!(export["profile"]["id"], user.user_id.to_string());
    assert!(export["profile"].get("password_hash").is_none());
    assert!(!text.contains("argon2"), "the export holds a password hash");
    let content = export["content"].as_array().unwrap();
    assert_eq!(content.len(), 2);
    let ids: Vec<&str> = content.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&talked.as_str()) && ids.contains(&item.to_string().as_str()));
    assert!(
        content
            .iter()
            .all(|c| c["content_text"].as_str().is_some_and(|t| !t.is_empty()))
    );
    assert!(content.iter().all(|c| c["audio_url"].is_string()));
    let conversations = export["conversations"].as_array().unwrap();
    assert_eq!(conversations.len(), 1);
    assert_eq!(conversations[0]["resulting_content_id"], talked);
    assert!(conversations[0]["messages"].as_array().unwrap().len() >= 2);
    assert_eq!(export["practice"].as_array().unwrap().len(), 1);
    assert_eq!(export["practice"][0]["ritual_id"], item.to_string());
    let ledger = export["credit_ledger"].as_array().unwrap();
    // The welcome grant, its consumption by the talked item, the fixture's grant and
    // its consumption.
    assert_eq!(ledger.len(), 4, "{ledger:?}");
    let sum: i64 = ledger.iter().map(|e| e["amount"].as_i64().unwrap()).sum();
    assert_eq!(sum, export["credits"]["balance"].as_i64().unwrap());
    assert_eq!(export["shares"][0]["token"], share["token"]);
    assert_eq!(export["purchases"], json!([]));

    // Another user's export holds nothing of this one.
    let other = app.signed_up_user().await;
    let theirs = app
        .get("/api/v1/users/me/export", Some(&other.access))
        .await
        .text()
        .await
        .unwrap();
    assert!(!theirs.contains(&item.to_string()) && !theirs.contains(&user.email));
    expect_error(
        app.get("/api/v1/users/me/export", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
}

/// Rows of `table` that still name the user.
async fn rows_of(app: &TestApp, table: &str, user_id: Uuid) -> i64 {
    let store = &app.state.store;
    match table {
        "content_items" => store.content_of_user(user_id).await.unwrap().len() as i64,
        "practice_events" => store.practice_of_user(user_id).await.unwrap().len() as i64,
        "content_shares" => store.shares_of_user(user_id).await.unwrap().len() as i64,
        "conversations" => store.conversations_of_user(user_id).await.unwrap().len() as i64,
        other => panic!("unknown table {other}"),
    }
}

/// Deleting an account needs the password; then sign-in fails, tokens stop working,
/// the audio objects are gone from the folder or S3, no content, practice, share or
/// conversation row remains, and the ledger remains, anonymous.
async fn a_deleted_account_leaves_nothing_behind(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let talked = talked_affirmation(&app, &user).await;
    let talked: Uuid = talked.parse().unwrap();
    let items = [
        ready_item(&app, user.user_id, ItemSpec::new("One")).await,
        ready_item(&app, user.user_id, ItemSpec::new("Two")).await,
    ];
    practise_at(&app, &user, items[0], Utc::now() - Duration::minutes(1)).await;
    let share = send(
        &app,
        &user,
        Method::POST,
        &format!("/api/v1/content/{}/share", items[1]),
        json!({}),
    )
    .await;
    let shared_path = format!("/api/v1/shared/{}", share["token"].as_str().unwrap());
    expect_status(app.get(&shared_path, None).await, StatusCode::OK).await;
    // Read once so the item and profile sit in the cache.
    fetch(&app, &user, &format!("/api/v1/content/{}", items[0])).await;
    fetch(&app, &user, "/api/v1/users/me").await;
    let talked_key = app
        .state
        .store
        .content_item(talked, user.user_id)
        .await
        .unwrap()
        .unwrap()
        .audio_url
        .unwrap();
    for id in items {
        assert!(audio_exists(&app, user.user_id, id).await);
    }
    let other = app.signed_up_user().await;
    let others_item = ready_item(&app, other.user_id, ItemSpec::new("Not mine")).await;

    // The wrong password changes nothing.
    let wrong = app
        .send_json(
            Method::DELETE,
            "/api/v1/users/me",
            Some(&user.access),
            &json!({ "password": "not it at all" }),
        )
        .await;
    expect_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR").await;
    expect_error(
        app.send_json(
            Method::DELETE,
            "/api/v1/users/me",
            None,
            &json!({ "password": PASSWORD }),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    assert_eq!(rows_of(&app, "content_items", user.user_id).await, 3);

    let deleted = send(
        &app,
        &user,
        Method::DELETE,
        "/api/v1/users/me",
        json!({ "password": PASSWORD }),
    )
    .await;
    assert_eq!(deleted["status"], "deleted");

    // Signing in fails; the access token and the refresh token no longer work.
    expect_error(
        app.login(&user.email, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    let me = app.get("/api/v1/users/me", Some(&user.access)).await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    let refreshed = app.refresh(&user.refresh).await;
    assert_eq!(refreshed.status(), StatusCode::UNAUTHORIZED);
    // The share link is dead, the audio objects are gone.
    expect_error(
        app.get(&shared_path, None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    for id in items {
        assert!(
            !audio_exists(&app, user.user_id, id).await,
            "audio of {id} remains"
        );
    }
    let talked_blob = waqup::blob::BlobKey::parse(&talked_key).unwrap();
    assert!(!app.state.blobs.exists(&talked_blob).await.unwrap());
    // Nothing of the user's content remains in the store, nor in the cache.
    for table in [
        "content_items",
        "practice_events",
        "content_shares",
        "conversations",
    ] {
        assert_eq!(rows_of(&app, table, user.user_id).await, 0, "{table}");
    }
    for id in items {
        let cached = app
            .state
            .cache
            .get(&keys::content_metadata(id))
            .await
            .unwrap();
        assert!(cached.is_none_or(|c| !String::from_utf8_lossy(&c).contains("One")));
    }
    // The ledger stays whole, naming no content; the row it refers to is anonymous.
    let ledger = app.state.store.ledger_of_user(user.user_id).await.unwrap();
    assert!(!ledger.is_empty());
    assert!(ledger.iter().all(|e| e.content_item_id.is_none()));
    assert!(
        app.state
            .store
            .user_by_id(user.user_id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        app.state
            .store
            .user_by_email(&user.email)
            .await
            .unwrap()
            .is_none()
    );

    // The other user is untouched, and the email can sign up again as a new account.
    assert!(audio_exists(&app, other.user_id, others_item).await);
    fetch(&app, &other, &format!("/api/v1/content/{others_item}")).await;
    let again = app.register(&user.email, PASSWORD).await;
    let body = expect_status(again, StatusCode::CREATED).await;
    assert_ne!(body["user"]["id"], user.user_id.to_string());
}
