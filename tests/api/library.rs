//! The library over HTTP on both backends: listing (filters, sorting, pages), editing,
//! deleting, exporting, practice (play and complete), share links, and who may touch
//! what.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Duration, SecondsFormat, Timelike, Utc};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use waqup::domain::{ContentType, Depth};

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, Tokens, expect_error, expect_status};
use crate::library_fixtures::{AUDIO_BYTES, ItemSpec, audio_exists, ready_item};

backend_tests!(
    listings_filter_by_type_depth_tags_title_folder_and_status,
    title_search_ignores_case_beyond_ascii,
    listings_sort_by_recency_title_and_plays,
    listings_paginate_to_the_edges,
    patch_renames_retags_and_refiles,
    delete_removes_the_item_its_audio_and_its_link,
    export_gives_text_audio_or_both,
    plays_and_completions,
    client_start_times_read_back_as_answered,
    concurrent_plays_are_all_counted,
    share_links_show_the_item_and_nothing_of_its_owner,
    only_the_owner_reaches_an_item_its_plays_and_its_link,
);

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

const CONTENT: &str = "/api/v1/content";
const HISTORY: &str = "/api/v1/users/me/history";

fn item_path(id: Uuid) -> String {
    format!("{CONTENT}/{id}")
}

/// Any request, with an optional bearer token and an optional JSON body.
async fn request(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Response {
    let mut request = app.client.request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request")
}

/// `GET path` as `user`, expecting 200.
async fn get_ok(app: &TestApp, user: &Tokens, path: &str) -> Value {
    expect_status(app.get(path, Some(&user.access)).await, StatusCode::OK).await
}

/// `GET /api/v1/content{query}` as `user`, expecting 200.
async fn list(app: &TestApp, user: &Tokens, query: &str) -> Value {
    get_ok(app, user, &format!("{CONTENT}{query}")).await
}

/// `GET /api/v1/content/{id}` as `user`, expecting 200.
async fn item(app: &TestApp, user: &Tokens, id: Uuid) -> Value {
    get_ok(app, user, &item_path(id)).await
}

async fn patch(app: &TestApp, user: &Tokens, id: Uuid, body: Value) -> Response {
    app.send_json(Method::PATCH, &item_path(id), Some(&user.access), &body)
        .await
}

/// `POST /content/{id}/play` with `body`, expecting 201.
async fn play(app: &TestApp, user: &Tokens, id: Uuid, body: Value) -> Value {
    let response = app
        .send_json(
            Method::POST,
            &format!("{}/play", item_path(id)),
            Some(&user.access),
            &body,
        )
        .await;
    expect_status(response, StatusCode::CREATED).await
}

/// A play that started `minutes` ago; returns its event id.
async fn play_at(app: &TestApp, user: &Tokens, id: Uuid, minutes: i64) -> String {
    let started = play(app, user, id, json!({ "started_at": minutes_ago(minutes) })).await;
    started["practice_event_id"]
        .as_str()
        .expect("practice_event_id")
        .to_owned()
}

async fn complete(app: &TestApp, user: &Tokens, id: Uuid, body: Value) -> Response {
    app.send_json(
        Method::POST,
        &format!("{}/complete", item_path(id)),
        Some(&user.access),
        &body,
    )
    .await
}

fn minutes_ago(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339()
}

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {value}"))
        .parse()
        .unwrap_or_else(|e| panic!("not a time ({e}): {value}"))
}

fn content_items(list: &Value) -> &Vec<Value> {
    list["content_items"]
        .as_array()
        .unwrap_or_else(|| panic!("no content_items: {list}"))
}

/// The titles of a listing, in its order.
fn titles(list: &Value) -> Vec<String> {
    content_items(list)
        .iter()
        .map(|item| item["title"].as_str().expect("title").to_owned())
        .collect()
}

/// The titles of a listing as a set, for filters where the order is not the point.
fn title_set(list: &Value) -> BTreeSet<String> {
    titles(list).into_iter().collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

/// The ids of a listing, in its order.
fn ids(list: &Value) -> Vec<Uuid> {
    content_items(list)
        .iter()
        .map(|item| item["id"].as_str().expect("id").parse().expect("uuid"))
        .collect()
}

/// The keys of a JSON object.
fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect()
}

/// A playback URL as the blob store signs it: relative `/media/...` for the folder
/// store, an absolute presigned URL into the test bucket for S3.
fn assert_playback_url(app: &TestApp, url: &str) {
    match &app.bucket {
        Some(bucket) => assert!(
            url.starts_with("http") && url.contains(&bucket.name) && url.contains("X-Amz-"),
            "expected a presigned S3 URL into {}: {url}",
            bucket.name
        ),
        None => assert!(
            url.starts_with("/media/audio/"),
            "expected a relative /media URL: {url}"
        ),
    }
}

/// Downloads a playback URL (relative ones from the app) and returns its bytes.
async fn fetch_audio(app: &TestApp, url: &str) -> Vec<u8> {
    let absolute = if url.starts_with('/') {
        app.url(url)
    } else {
        url.to_owned()
    };
    let response = app
        .client
        .get(&absolute)
        .send()
        .await
        .expect("audio request");
    let status = response.status();
    let bytes = response.bytes().await.expect("audio body");
    assert_eq!(
        status,
        StatusCode::OK,
        "fetching {absolute}: {}",
        String::from_utf8_lossy(&bytes)
    );
    bytes.to_vec()
}

// ---------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------

/// Every filter of `GET /content` narrows to exactly the matching items of the caller:
/// type, depth, tags (all of them), title search (case-insensitive, `%` and `_`
/// literal), folder and status; `/content/folders` counts what each folder holds.
async fn listings_filter_by_type_depth_tags_title_folder_and_status(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let specs = [
        ItemSpec::new("Morning Light")
            .content_type(ContentType::Affirmation)
            .depth(Depth::Shallow)
            .tags(&["morning", "energy"]),
        ItemSpec::new("Evening Calm")
            .content_type(ContentType::GuidedMeditation)
            .depth(Depth::Deep)
            .tags(&["evening", "calm", "sleep"]),
        ItemSpec::new("Deep Sleep Journey")
            .content_type(ContentType::GuidedMeditation)
            .depth(Depth::Deep)
            .tags(&["sleep", "calm"]),
        ItemSpec::new("Confidence Ritual")
            .content_type(ContentType::Ritual)
            .depth(Depth::Medium)
            .tags(&["confidence", "morning"]),
        ItemSpec::new("100% Present")
            .content_type(ContentType::Ritual)
            .depth(Depth::Medium)
            .tags(&["focus"]),
        ItemSpec::new("Calm_Focus")
            .content_type(ContentType::Affirmation)
            .depth(Depth::Deep)
            .tags(&["calm", "focus"]),
    ];
    let mut made = Vec::new();
    for spec in specs {
        made.push(ready_item(&app, user.user_id, spec).await);
    }
    // Another user's matching item never shows in this user's listings.
    let other = app.signed_up_user().await;
    ready_item(
        &app,
        other.user_id,
        ItemSpec::new("Evening Calm")
            .content_type(ContentType::GuidedMeditation)
            .tags(&["calm"]),
    )
    .await;

    let all = list(&app, &user, "").await;
    assert_eq!(all["pagination"]["total"], 6, "{all}");
    assert_eq!(
        ids(&all).into_iter().collect::<HashSet<_>>(),
        made.iter().copied().collect::<HashSet<_>>(),
        "the listing is exactly the caller's items"
    );
    let first = &content_items(&all)[0];
    assert_eq!(
        keys(first),
        set(&[
            "id",
            "content_type",
            "status",
            "title",
            "depth",
            "duration",
            "tags",
            "folder",
            "version",
            "has_audio",
            "created_at",
            "last_played_at",
            "play_count",
        ]),
        "summary shape: {first}"
    );
    assert_eq!(first["status"], "ready");
    assert_eq!(first["version"], 1);
    assert_eq!(first["duration"], 300);
    assert_eq!(first["has_audio"], true);
    assert_eq!(first["play_count"], 0);
    assert_eq!(first["last_played_at"], Value::Null);
    assert_eq!(first["folder"], Value::Null);

    let cases: &[(&str, &[&str])] = &[
        (
            "?content_type=affirmation",
            &["Morning Light", "Calm_Focus"],
        ),
        (
            "?content_type=guided_meditation",
            &["Evening Calm", "Deep Sleep Journey"],
        ),
        (
            "?content_type=ritual",
            &["Confidence Ritual", "100% Present"],
        ),
        (
            "?depth=deep",
            &["Evening Calm", "Deep Sleep Journey", "Calm_Focus"],
        ),
        ("?depth=shallow", &["Morning Light"]),
        (
            "?tags=calm",
            &["Evening Calm", "Deep Sleep Journey", "Calm_Focus"],
        ),
        // Tags are matched lowercased, like they are stored.
        (
            "?tags=CALM",
            &["Evening Calm", "Deep Sleep Journey", "Calm_Focus"],
        ),
        // Two tags: items carrying both, not either.
        ("?tags=calm,sleep", &["Evening Calm", "Deep Sleep Journey"]),
        ("?tags=calm,focus", &["Calm_Focus"]),
        ("?tags=sleep,morning", &[]),
        ("?tags=morning", &["Morning Light", "Confidence Ritual"]),
        (
            "?content_type=guided_meditation&tags=evening",
            &["Evening Calm"],
        ),
        ("?depth=deep&content_type=affirmation", &["Calm_Focus"]),
        // Title search: a case-insensitive substring.
        ("?q=evening", &["Evening Calm"]),
        ("?q=EVENING", &["Evening Calm"]),
        ("?q=calm", &["Evening Calm", "Calm_Focus"]),
        ("?q=deep%20sleep", &["Deep Sleep Journey"]),
        ("?q=nothing%20like%20it", &[]),
        // `%` and `_` are literal characters, not wildcards.
        ("?q=%25", &["100% Present"]),
        ("?q=0%25%20p", &["100% Present"]),
        ("?q=_", &["Calm_Focus"]),
        ("?q=m_r", &[]),
        ("?q=e%25t", &[]),
        // Failed items only with `status=failed`; there are none.
        ("?status=failed", &[]),
        (
            "?status=ready",
            &[
                "Morning Light",
                "Evening Calm",
                "Deep Sleep Journey",
                "Confidence Ritual",
                "100% Present",
                "Calm_Focus",
            ],
        ),
    ];
    for (query, expected) in cases {
        let listing = list(&app, &user, query).await;
        assert_eq!(
            title_set(&listing),
            set(expected),
            "GET /content{query}: {listing}"
        );
        assert_eq!(
            listing["pagination"]["total"],
            expected.len(),
            "total of {query}"
        );
    }

    // Folders: two items into "Night", one into "Day".
    for (index, folder) in [(1, "Night"), (2, "Night"), (0, "Day")] {
        let body = expect_status(
            patch(&app, &user, made[index], json!({ "folder": folder })).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(body["folder"], folder);
    }
    let night = list(&app, &user, "?folder=Night").await;
    assert_eq!(
        title_set(&night),
        set(&["Evening Calm", "Deep Sleep Journey"]),
        "{night}"
    );
    assert!(
        content_items(&night).iter().all(|i| i["folder"] == "Night"),
        "{night}"
    );
    let day_and_calm = list(&app, &user, "?folder=Day&tags=calm").await;
    assert_eq!(title_set(&day_and_calm), set(&[]), "{day_and_calm}");
    let nowhere = list(&app, &user, "?folder=Nowhere").await;
    assert_eq!(nowhere["pagination"]["total"], 0, "{nowhere}");

    let folders = get_ok(&app, &user, "/api/v1/content/folders").await;
    assert_eq!(
        folders,
        json!({ "folders": [
            { "name": "Day", "count": 1 },
            { "name": "Night", "count": 2 },
        ] }),
        "folders by name with their counts"
    );
    let theirs = get_ok(&app, &other, "/api/v1/content/folders").await;
    assert_eq!(theirs, json!({ "folders": [] }), "folders are per user");

    // Unknown enum values are query errors; malformed tags and folders are invalid.
    for query in [
        "?content_type=poem",
        "?depth=abyss",
        "?status=deleted",
        "?sort=bogus",
    ] {
        expect_error(
            app.get(&format!("{CONTENT}{query}"), Some(&user.access))
                .await,
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY",
        )
        .await;
    }
    for query in ["?tags=no!good", "?folder=a/b"] {
        expect_error(
            app.get(&format!("{CONTENT}{query}"), Some(&user.access))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        )
        .await;
    }
}

/// The title search ignores case for every letter, not only ASCII ones (tags and
/// titles accept any letter).
async fn title_search_ignores_case_beyond_ascii(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    ready_item(&app, user.user_id, ItemSpec::new("Éveil Matinal")).await;
    ready_item(&app, user.user_id, ItemSpec::new("Ruhe im Süden")).await;
    // The way the title is written matches, of course.
    assert_eq!(
        titles(&list(&app, &user, "?q=%C3%89veil").await),
        ["Éveil Matinal"],
        "q=Éveil"
    );
    for (query, shown, expected) in [
        ("?q=%C3%A9veil", "éveil", "Éveil Matinal"),
        ("?q=%C3%89VEIL", "ÉVEIL", "Éveil Matinal"),
        ("?q=S%C3%9CDEN", "SÜDEN", "Ruhe im Süden"),
    ] {
        let listing = list(&app, &user, query).await;
        assert_eq!(titles(&listing), [expected], "q={shown}: {listing}");
    }
}

/// `sort` orders by creation (newest first, the default), by title A to Z ignoring
/// case, by plays (most first) and by last play (never-played last).
async fn listings_sort_by_recency_title_and_plays(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut id = std::collections::HashMap::new();
    for title in ["Charlie", "alpha", "delta", "Bravo"] {
        id.insert(
            title,
            ready_item(&app, user.user_id, ItemSpec::new(title)).await,
        );
    }

    let recent = ["Bravo", "delta", "alpha", "Charlie"];
    assert_eq!(
        titles(&list(&app, &user, "").await),
        recent,
        "default: newest first"
    );
    assert_eq!(titles(&list(&app, &user, "?sort=recent").await), recent);
    assert_eq!(
        titles(&list(&app, &user, "?sort=title").await),
        ["alpha", "Bravo", "Charlie", "delta"],
        "A to Z, case-insensitive"
    );
    assert_eq!(
        titles(&list(&app, &user, "?sort=title&limit=2&page=2").await),
        ["Charlie", "delta"],
        "sorting holds across pages"
    );

    // alpha: 3 plays (last 30 min ago), delta: 2 (last 10 min ago), Charlie: 1 (5 min
    // ago), Bravo: never.
    for minutes in [50, 40, 30] {
        play_at(&app, &user, id["alpha"], minutes).await;
    }
    for minutes in [20, 10] {
        play_at(&app, &user, id["delta"], minutes).await;
    }
    play_at(&app, &user, id["Charlie"], 5).await;

    let most = list(&app, &user, "?sort=most_played").await;
    assert_eq!(
        titles(&most),
        ["alpha", "delta", "Charlie", "Bravo"],
        "{most}"
    );
    let counts: Vec<i64> = content_items(&most)
        .iter()
        .map(|i| i["play_count"].as_i64().expect("play_count"))
        .collect();
    assert_eq!(counts, [3, 2, 1, 0]);

    let last = list(&app, &user, "?sort=last_played").await;
    assert_eq!(
        titles(&last),
        ["Charlie", "delta", "alpha", "Bravo"],
        "most recently played first, never played last: {last}"
    );
    let items = content_items(&last);
    assert_eq!(items[3]["last_played_at"], Value::Null);
    let played: Vec<DateTime<Utc>> = items[..3]
        .iter()
        .map(|i| time(&i["last_played_at"]))
        .collect();
    assert!(played.windows(2).all(|w| w[0] > w[1]), "{played:?}");
    let alpha_last = time(&items[2]["last_played_at"]);
    let thirty_ago = Utc::now() - Duration::minutes(30);
    assert!(
        (alpha_last - thirty_ago).num_seconds().abs() < 60,
        "last_played_at is the latest play's start ({alpha_last}), not the first's"
    );

    // A play recorded late (started before the item's latest play) does not move
    // last_played_at back.
    play_at(&app, &user, id["Charlie"], 60).await;
    let last = list(&app, &user, "?sort=last_played").await;
    assert_eq!(
        titles(&last),
        ["Charlie", "delta", "alpha", "Bravo"],
        "{last}"
    );
    assert_eq!(content_items(&last)[0]["play_count"], 2);

    // Recency does not move with plays.
    assert_eq!(titles(&list(&app, &user, "").await), recent);
}

/// 25 items in pages of 10: three pages, the last with 5, flags right; past the end
/// is empty; the limit is capped at 100; zeroes are refused; pages are disjoint and
/// together hold every item once.
async fn listings_paginate_to_the_edges(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let mut made = Vec::new();
    for n in 1..=25 {
        made.push(ready_item(&app, user.user_id, ItemSpec::new(&format!("Item {n:02}"))).await);
    }

    let default = list(&app, &user, "").await;
    assert_eq!(content_items(&default).len(), 20, "default limit 20");
    assert_eq!(
        default["pagination"],
        json!({ "page": 1, "limit": 20, "total": 25, "pages": 2, "has_next": true, "has_prev": false })
    );

    let first = list(&app, &user, "?limit=10").await;
    assert_eq!(content_items(&first).len(), 10);
    assert_eq!(
        first["pagination"],
        json!({ "page": 1, "limit": 10, "total": 25, "pages": 3, "has_next": true, "has_prev": false })
    );
    let middle = list(&app, &user, "?limit=10&page=2").await;
    assert_eq!(
        middle["pagination"],
        json!({ "page": 2, "limit": 10, "total": 25, "pages": 3, "has_next": true, "has_prev": true })
    );
    let last = list(&app, &user, "?limit=10&page=3").await;
    assert_eq!(content_items(&last).len(), 5, "{last}");
    assert_eq!(
        last["pagination"],
        json!({ "page": 3, "limit": 10, "total": 25, "pages": 3, "has_next": false, "has_prev": true })
    );

    let past = list(&app, &user, "?limit=10&page=9").await;
    assert_eq!(past["content_items"], json!([]), "{past}");
    assert_eq!(past["pagination"]["total"], 25);
    assert_eq!(past["pagination"]["has_next"], false);

    let capped = list(&app, &user, "?limit=1000").await;
    assert_eq!(capped["pagination"]["limit"], 100);
    assert_eq!(content_items(&capped).len(), 25);

    // Every item exactly once across the pages, newest first overall.
    let mut seen = Vec::new();
    for page in 1..=3 {
        seen.extend(ids(
            &list(&app, &user, &format!("?limit=10&page={page}")).await
        ));
    }
    let mut newest_first = made.clone();
    newest_first.reverse();
    assert_eq!(seen, newest_first, "pages of the recent order");
    // Filters and pages together: by title, page 3 of 10 is Items 21 to 25.
    assert_eq!(
        titles(&list(&app, &user, "?sort=title&limit=10&page=3").await),
        ["Item 21", "Item 22", "Item 23", "Item 24", "Item 25"]
    );

    for (query, status, code) in [
        (
            "?page=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        ),
        (
            "?limit=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        ),
        ("?page=-1", StatusCode::BAD_REQUEST, "INVALID_QUERY"),
        ("?limit=ten", StatusCode::BAD_REQUEST, "INVALID_QUERY"),
    ] {
        expect_error(
            app.get(&format!("{CONTENT}{query}"), Some(&user.access))
                .await,
            status,
            code,
        )
        .await;
    }
}

// ---------------------------------------------------------------------------------
// Editing, deleting, exporting
// ---------------------------------------------------------------------------------

/// PATCH renames (a cached read sees it at once), replaces and normalises tags, files
/// into a folder and out with `null`, leaves absent fields alone, refuses invalid
/// values and unknown fields, and answers `{}` with the item unchanged.
async fn patch_renames_retags_and_refiles(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let id = ready_item(
        &app,
        user.user_id,
        ItemSpec::new("Old Name").tags(&["calm", "night"]),
    )
    .await;
    // Read once so the item is in the cache.
    let before = item(&app, &user, id).await;
    assert_eq!(before["title"], "Old Name");

    let renamed = expect_status(
        patch(&app, &user, id, json!({ "title": "  New Name  " })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["id"], id.to_string());
    assert_eq!(renamed["title"], "New Name", "trimmed");
    assert_eq!(renamed["tags"], json!(["calm", "night"]), "tags untouched");
    assert!(
        renamed["audio_url"].is_string(),
        "the answer is the signed item view: {renamed}"
    );
    assert_eq!(
        item(&app, &user, id).await["title"],
        "New Name",
        "GET sees the rename"
    );
    assert_eq!(titles(&list(&app, &user, "").await), ["New Name"]);

    let retagged = expect_status(
        patch(
            &app,
            &user,
            id,
            json!({ "tags": ["Calm", " Deep Sleep ", "calm", "focus_2"] }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        retagged["tags"],
        json!(["calm", "deep sleep", "focus_2"]),
        "replaced, lowercased, trimmed, without repeats"
    );
    assert_eq!(item(&app, &user, id).await["tags"], retagged["tags"]);
    assert_eq!(
        title_set(&list(&app, &user, "?tags=deep%20sleep").await),
        set(&["New Name"])
    );
    assert_eq!(
        list(&app, &user, "?tags=night").await["pagination"]["total"],
        0
    );

    let filed = expect_status(
        patch(&app, &user, id, json!({ "folder": "Evenings" })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(filed["folder"], "Evenings");
    // A PATCH without `folder` leaves the folder alone.
    let kept = expect_status(
        patch(&app, &user, id, json!({ "title": "Newer Name" })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(kept["folder"], "Evenings", "absent is not null: {kept}");
    assert_eq!(item(&app, &user, id).await["folder"], "Evenings");
    assert_eq!(
        get_ok(&app, &user, "/api/v1/content/folders").await,
        json!({ "folders": [{ "name": "Evenings", "count": 1 }] })
    );
    let unfiled = expect_status(
        patch(&app, &user, id, json!({ "folder": null })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(unfiled["folder"], Value::Null);
    assert_eq!(item(&app, &user, id).await["folder"], Value::Null);
    assert_eq!(
        get_ok(&app, &user, "/api/v1/content/folders").await,
        json!({ "folders": [] })
    );

    // Validation: nothing changes.
    let current = item(&app, &user, id).await;
    let tags_21: Vec<String> = (0..21).map(|n| format!("tag{n}")).collect();
    let tags_20: Vec<String> = (0..20).map(|n| format!("tag{n}")).collect();
    for body in [
        json!({ "title": "" }),
        json!({ "title": "   " }),
        json!({ "title": "x".repeat(121) }),
        json!({ "title": "line\nbreak" }),
        json!({ "tags": ["no,commas"] }),
        json!({ "tags": [""] }),
        json!({ "tags": ["x".repeat(33)] }),
        json!({ "tags": tags_21 }),
        json!({ "folder": "a/b" }),
        json!({ "folder": "" }),
        json!({ "folder": "f".repeat(65) }),
        // One bad field spoils the whole update.
        json!({ "title": "Fine", "tags": ["bad!"] }),
    ] {
        expect_error(
            patch(&app, &user, id, body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        )
        .await;
    }
    for body in [
        json!({ "colour": "red" }),
        json!({ "title": "Fine", "user_id": Uuid::new_v4() }),
        json!({ "tags": "calm" }),
        json!({ "title": 7 }),
        json!(["title"]),
    ] {
        expect_error(
            patch(&app, &user, id, body).await,
            StatusCode::BAD_REQUEST,
            "INVALID_BODY",
        )
        .await;
    }
    let after = item(&app, &user, id).await;
    for field in ["title", "tags", "folder", "updated_at"] {
        assert_eq!(
            after[field], current[field],
            "{field} changed by a refused PATCH"
        );
    }

    // The limits themselves are accepted.
    let longest = "y".repeat(120);
    let edge = expect_status(
        patch(
            &app,
            &user,
            id,
            json!({ "title": longest, "tags": tags_20 }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edge["title"], longest);
    assert_eq!(edge["tags"].as_array().map(Vec::len), Some(20));

    // An empty body answers the item as it is.
    let current = item(&app, &user, id).await;
    let same = expect_status(patch(&app, &user, id, json!({})).await, StatusCode::OK).await;
    for field in [
        "id",
        "title",
        "tags",
        "folder",
        "version",
        "updated_at",
        "play_count",
    ] {
        assert_eq!(same[field], current[field], "{field} after an empty PATCH");
    }

    // An unknown item is not found.
    expect_error(
        patch(&app, &user, Uuid::now_v7(), json!({ "title": "x" })).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
}

/// DELETE takes the item out of every read at once, removes its audio object and
/// revokes its share link; a second DELETE is 404; earlier plays stay in the history.
async fn delete_removes_the_item_its_audio_and_its_link(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let doomed = ready_item(&app, user.user_id, ItemSpec::new("Doomed")).await;
    let kept = ready_item(&app, user.user_id, ItemSpec::new("Kept")).await;
    let path = item_path(doomed);
    // Cached, shared, played and completed before it goes.
    item(&app, &user, doomed).await;
    let share = expect_status(
        request(
            &app,
            Method::POST,
            &format!("{path}/share"),
            Some(&user.access),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let shared_path = format!("/api/v1/shared/{}", share["token"].as_str().expect("token"));
    expect_status(app.get(&shared_path, None).await, StatusCode::OK).await;
    let event = play_at(&app, &user, doomed, 20).await;
    expect_status(
        complete(&app, &user, doomed, json!({ "practice_event_id": event })).await,
        StatusCode::OK,
    )
    .await;
    let open_event = play_at(&app, &user, doomed, 10).await;
    assert!(audio_exists(&app, user.user_id, doomed).await);

    let deleted = expect_status(
        request(&app, Method::DELETE, &path, Some(&user.access), None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        deleted,
        json!({ "status": "deleted", "content_item_id": doomed })
    );

    expect_error(
        app.get(&path, Some(&user.access)).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    let listing = list(&app, &user, "").await;
    assert_eq!(titles(&listing), ["Kept"], "{listing}");
    assert_eq!(listing["pagination"]["total"], 1);
    expect_error(
        request(&app, Method::DELETE, &path, Some(&user.access), None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    assert!(
        !audio_exists(&app, user.user_id, doomed).await,
        "the deleted item's audio object is still stored"
    );
    assert!(
        audio_exists(&app, user.user_id, kept).await,
        "the other item's audio must stay"
    );
    expect_error(
        app.get(&shared_path, None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;

    // Every other route of the item is gone too.
    for (method, route, body) in [
        (
            Method::PATCH,
            path.clone(),
            Some(json!({ "title": "Back" })),
        ),
        (Method::GET, format!("{path}/export"), None),
        (Method::POST, format!("{path}/play"), None),
        (
            Method::POST,
            format!("{path}/complete"),
            Some(json!({ "practice_event_id": open_event })),
        ),
        (Method::POST, format!("{path}/share"), None),
        (Method::GET, format!("{path}/share"), None),
        (Method::DELETE, format!("{path}/share"), None),
    ] {
        let response = request(
            &app,
            method.clone(),
            &route,
            Some(&user.access),
            body.as_ref(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {route}");
        expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
    }

    // The history keeps both plays, with the title the item had.
    let history = get_ok(&app, &user, HISTORY).await;
    let events = history["practice_events"].as_array().expect("events");
    assert_eq!(events.len(), 2, "{history}");
    assert_eq!(events[0]["id"], open_event);
    assert_eq!(events[1]["id"], event);
    assert!(
        events
            .iter()
            .all(|e| e["ritual_id"] == doomed.to_string() && e["ritual_title"] == "Doomed")
    );
    assert!(events[1]["completed_at"].is_string());
    let filtered = get_ok(&app, &user, &format!("{HISTORY}?ritual_id={doomed}")).await;
    assert_eq!(filtered["pagination"]["total"], 2, "{filtered}");
    // The personal export keeps the item, marked deleted, without a link to its
    // removed audio, and its share link revoked.
    let export = get_ok(&app, &user, "/api/v1/users/me/export").await;
    let exported = export["content"]
        .as_array()
        .expect("content")
        .iter()
        .find(|c| c["id"] == doomed.to_string())
        .unwrap_or_else(|| panic!("the deleted item is not in the export: {export}"));
    assert!(exported["deleted_at"].is_string(), "{exported}");
    assert_eq!(exported["audio_url"], Value::Null, "{exported}");
    let shares = export["shares"].as_array().expect("shares");
    assert_eq!(shares.len(), 1, "{export}");
    assert!(shares[0]["revoked_at"].is_string(), "{export}");
    // The stats still count the practice.
    let stats = get_ok(&app, &user, "/api/v1/users/me/stats").await;
    assert_eq!(stats["total_plays"], 2, "{stats}");
    assert_eq!(stats["total_practices"], 1, "{stats}");
}

/// Export answers the text, the audio or both (the default); the audio URL of the
/// export downloads the item's track; an unknown format is a query error.
async fn export_gives_text_audio_or_both(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let id = ready_item(
        &app,
        user.user_id,
        ItemSpec::new("Exported").content_type(ContentType::Affirmation),
    )
    .await;
    let export = |format: &'static str| {
        let app = &app;
        let token = user.access.clone();
        async move {
            let query = if format.is_empty() {
                String::new()
            } else {
                format!("?format={format}")
            };
            expect_status(
                app.get(&format!("{}/export{query}", item_path(id)), Some(&token))
                    .await,
                StatusCode::OK,
            )
            .await
        }
    };
    let text = "Exported. Breathe in. [pause 3s] Breathe out.";
    let common = ["id", "content_type", "title", "exported_at"];
    let with = |extra: &[&str]| {
        let mut all: Vec<&str> = common.to_vec();
        all.extend_from_slice(extra);
        set(&all)
    };

    let only_text = export("text").await;
    assert_eq!(keys(&only_text), with(&["text"]), "{only_text}");
    assert_eq!(only_text["id"], id.to_string());
    assert_eq!(only_text["content_type"], "affirmation");
    assert_eq!(only_text["title"], "Exported");
    assert_eq!(only_text["text"], text);
    let exported_at = time(&only_text["exported_at"]);
    assert!((Utc::now() - exported_at).num_seconds().abs() < 60);

    let audio_keys = ["audio_url", "audio_url_expires_at", "audio_format"];
    let only_audio = export("audio").await;
    assert_eq!(keys(&only_audio), with(&audio_keys), "{only_audio}");
    assert_eq!(only_audio["audio_format"], "mp3");
    assert!(time(&only_audio["audio_url_expires_at"]) > Utc::now());

    let mut both_keys = audio_keys.to_vec();
    both_keys.push("text");
    for format in ["both", ""] {
        let both = export(format).await;
        assert_eq!(keys(&both), with(&both_keys), "format `{format}`: {both}");
        assert_eq!(both["text"], text);
        let url = both["audio_url"].as_str().expect("audio_url");
        assert_playback_url(&app, url);
        assert_eq!(
            fetch_audio(&app, url).await,
            AUDIO_BYTES,
            "the export's audio URL serves the item's track"
        );
    }

    for format in ["pdf", "TEXT", ""] {
        let query = if format.is_empty() {
            "?format=".to_owned()
        } else {
            format!("?format={format}")
        };
        expect_error(
            app.get(
                &format!("{}/export{query}", item_path(id)),
                Some(&user.access),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY",
        )
        .await;
    }
    expect_error(
        app.get(
            &format!("{}/export", item_path(Uuid::now_v7())),
            Some(&user.access),
        )
        .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
}

// ---------------------------------------------------------------------------------
// Practice
// ---------------------------------------------------------------------------------

/// Play answers 201 with the event and the new count (body optional); complete answers
/// 200, and again with the first completion; events are checked against the item and
/// the caller; times are checked; the history lists plays newest first, paginated
/// and filtered by item.
async fn plays_and_completions(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let first = ready_item(&app, user.user_id, ItemSpec::new("First")).await;
    let second = ready_item(
        &app,
        user.user_id,
        ItemSpec::new("Second").content_type(ContentType::Affirmation),
    )
    .await;

    // No body at all.
    let response = request(
        &app,
        Method::POST,
        &format!("{}/play", item_path(first)),
        Some(&user.access),
        None,
    )
    .await;
    let started = expect_status(response, StatusCode::CREATED).await;
    assert_eq!(
        keys(&started),
        set(&["practice_event_id", "status", "started_at", "play_count"]),
        "{started}"
    );
    assert_eq!(started["status"], "started");
    assert_eq!(started["play_count"], 1);
    assert!(
        (Utc::now() - time(&started["started_at"]))
            .num_seconds()
            .abs()
            < 60
    );
    let event = started["practice_event_id"]
        .as_str()
        .expect("event")
        .to_owned();

    // With a body: device and context are kept in the event's metadata.
    let with_body = play(
        &app,
        &user,
        first,
        json!({ "started_at": minutes_ago(10), "device": "ios", "context": "before bed" }),
    )
    .await;
    assert_eq!(with_body["play_count"], 2);
    let backdated = with_body["practice_event_id"]
        .as_str()
        .expect("event")
        .to_owned();
    assert_ne!(backdated, event);

    let done = expect_status(
        complete(
            &app,
            &user,
            first,
            json!({ "practice_event_id": event, "duration": 120 }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        keys(&done),
        set(&[
            "practice_event_id",
            "status",
            "started_at",
            "completed_at",
            "duration",
            "already_completed",
        ]),
        "{done}"
    );
    assert_eq!(done["practice_event_id"], event);
    assert_eq!(done["status"], "completed");
    assert_eq!(done["duration"], 120);
    assert_eq!(done["already_completed"], false);
    assert_eq!(time(&done["started_at"]), time(&started["started_at"]));
    assert!(time(&done["completed_at"]) >= time(&done["started_at"]));

    // Completing again changes nothing and answers the first completion.
    let again = expect_status(
        complete(
            &app,
            &user,
            first,
            json!({ "practice_event_id": event, "duration": 5, "completed_at": Utc::now().to_rfc3339() }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["already_completed"], true, "{again}");
    assert_eq!(again["duration"], 120);
    assert_eq!(again["completed_at"], done["completed_at"]);
    assert_eq!(again["started_at"], done["started_at"]);

    // Without a duration: the time since the start, at most the item's 300 s.
    let defaulted = expect_status(
        complete(
            &app,
            &user,
            first,
            json!({ "practice_event_id": backdated }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        defaulted["duration"], 300,
        "capped at the item's length: {defaulted}"
    );
    let short = play_at(&app, &user, second, 2).await;
    let completed_at = (Utc::now() - Duration::minutes(1)).to_rfc3339();
    let short_done = expect_status(
        complete(
            &app,
            &user,
            second,
            json!({ "practice_event_id": short, "completed_at": completed_at }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let secs = short_done["duration"].as_i64().expect("duration");
    assert!(
        (58..=62).contains(&secs),
        "a minute of practice, got {secs}"
    );

    // An event of another item, or no event at all, is not found.
    let of_second = play_at(&app, &user, second, 3).await;
    expect_error(
        complete(
            &app,
            &user,
            first,
            json!({ "practice_event_id": of_second }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    expect_error(
        complete(
            &app,
            &user,
            first,
            json!({ "practice_event_id": Uuid::now_v7() }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    // Another user cannot complete my event, on my item or on one of theirs.
    let other = app.signed_up_user().await;
    let theirs = ready_item(&app, other.user_id, ItemSpec::new("Theirs")).await;
    for on in [second, theirs] {
        expect_error(
            complete(&app, &other, on, json!({ "practice_event_id": of_second })).await,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        )
        .await;
    }

    // Times: completed before the start, or in the future, or a start in the future.
    let late = play_at(&app, &user, second, 60).await;
    expect_error(
        complete(
            &app,
            &user,
            second,
            json!({ "practice_event_id": late, "completed_at": minutes_ago(120) }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    expect_error(
        complete(
            &app,
            &user,
            second,
            json!({ "practice_event_id": late, "completed_at": minutes_ago(-60) }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    for duration in [-1, 86_401] {
        expect_error(
            complete(
                &app,
                &user,
                second,
                json!({ "practice_event_id": late, "duration": duration }),
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        )
        .await;
    }
    // The refused completions left the event open.
    let late_done = expect_status(
        complete(
            &app,
            &user,
            second,
            json!({ "practice_event_id": late, "duration": 30 }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(late_done["already_completed"], false, "{late_done}");
    for body in [
        json!({ "started_at": minutes_ago(-60) }),
        json!({ "started_at": minutes_ago(31 * 24 * 60) }),
        json!({ "device": "d".repeat(65) }),
    ] {
        let response = app
            .send_json(
                Method::POST,
                &format!("{}/play", item_path(second)),
                Some(&user.access),
                &body,
            )
            .await;
        expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        )
        .await;
    }
    for body in [json!({ "speed": 2 }), json!({ "started_at": "yesterday" })] {
        let response = app
            .send_json(
                Method::POST,
                &format!("{}/play", item_path(second)),
                Some(&user.access),
                &body,
            )
            .await;
        expect_error(response, StatusCode::BAD_REQUEST, "INVALID_BODY").await;
    }
    expect_error(
        complete(&app, &user, second, json!({ "duration": 3 })).await,
        StatusCode::BAD_REQUEST,
        "INVALID_BODY",
    )
    .await;

    // History: the 5 plays recorded (the refused ones left nothing), newest start first:
    // `event` (now), `short` (-2 min), `of_second` (-3), `backdated` (-10), `late` (-60).
    let history = get_ok(&app, &user, HISTORY).await;
    let events: Vec<&str> = history["practice_events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        events,
        [
            event.as_str(),
            short.as_str(),
            of_second.as_str(),
            backdated.as_str(),
            late.as_str()
        ],
        "{history}"
    );
    assert_eq!(
        history["pagination"],
        json!({ "page": 1, "limit": 20, "total": 5, "pages": 1, "has_next": false, "has_prev": false })
    );
    let row = &history["practice_events"][3];
    assert_eq!(
        keys(row),
        set(&[
            "id",
            "ritual_id",
            "ritual_title",
            "content_type",
            "started_at",
            "completed_at",
            "duration",
            "metadata",
        ]),
        "{row}"
    );
    assert_eq!(row["ritual_id"], first.to_string());
    assert_eq!(row["ritual_title"], "First");
    assert_eq!(row["content_type"], "ritual");
    assert_eq!(
        row["metadata"],
        json!({ "device": "ios", "context": "before bed" })
    );
    assert_eq!(row["duration"], 300);
    let open = &history["practice_events"][2];
    assert_eq!(open["completed_at"], Value::Null, "{open}");
    assert_eq!(open["duration"], Value::Null);

    let page_two = get_ok(&app, &user, &format!("{HISTORY}?limit=2&page=2")).await;
    let ids_two: Vec<&str> = page_two["practice_events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids_two, [of_second.as_str(), backdated.as_str()]);
    assert_eq!(
        page_two["pagination"],
        json!({ "page": 2, "limit": 2, "total": 5, "pages": 3, "has_next": true, "has_prev": true })
    );
    let of_first = get_ok(&app, &user, &format!("{HISTORY}?ritual_id={first}")).await;
    let ids_first: Vec<&str> = of_first["practice_events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids_first, [event.as_str(), backdated.as_str()]);
    assert_eq!(of_first["pagination"]["total"], 2);
    // `content_id` is accepted as the same filter.
    let aliased = get_ok(&app, &user, &format!("{HISTORY}?content_id={second}")).await;
    assert_eq!(aliased["pagination"]["total"], 3, "{aliased}");
    expect_error(
        app.get(&format!("{HISTORY}?ritual_id={theirs}"), Some(&user.access))
            .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    expect_error(
        app.get(&format!("{HISTORY}?page=0"), Some(&user.access))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    let empty = get_ok(&app, &other, HISTORY).await;
    assert_eq!(empty["practice_events"], json!([]), "history is per user");

    // The play counts show on the item.
    assert_eq!(item(&app, &user, first).await["play_count"], 2);
    assert_eq!(item(&app, &user, second).await["play_count"], 3);
}

/// A start time sent by the client with nanoseconds is answered by `play` as it is
/// read back later (by `complete` and the history): the API never shows two different
/// start times for one play.
async fn client_start_times_read_back_as_answered(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let id = ready_item(&app, user.user_id, ItemSpec::new("Precise")).await;
    let sent = (Utc::now() - Duration::minutes(5))
        .with_nanosecond(123_456_789)
        .expect("a valid nanosecond");
    let started = play(
        &app,
        &user,
        id,
        json!({ "started_at": sent.to_rfc3339_opts(SecondsFormat::Nanos, true) }),
    )
    .await;
    let event = started["practice_event_id"].as_str().expect("event");
    let history = get_ok(&app, &user, HISTORY).await;
    let stored = &history["practice_events"][0];
    assert_eq!(stored["id"], event);
    assert_eq!(
        time(&stored["started_at"]),
        time(&started["started_at"]),
        "play answered started_at {} but the history holds {}",
        started["started_at"],
        stored["started_at"]
    );
    let done = expect_status(
        complete(&app, &user, id, json!({ "practice_event_id": event })).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        time(&done["started_at"]),
        time(&started["started_at"]),
        "play answered started_at {} but complete answers {}",
        started["started_at"],
        done["started_at"]
    );
}

/// 100 plays of one item at once: all recorded, each its own event, each answered
/// with its own count, and the item counts exactly 100 (through the cache too).
async fn concurrent_plays_are_all_counted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let id = ready_item(&app, user.user_id, ItemSpec::new("Popular")).await;
    // Cached with a count of 0 before the plays.
    assert_eq!(item(&app, &user, id).await["play_count"], 0);

    let path = format!("{}/play", item_path(id));
    let plays = (0..100).map(|_| request(&app, Method::POST, &path, Some(&user.access), None));
    let mut events = HashSet::new();
    let mut counts = BTreeSet::new();
    for response in futures_util::future::join_all(plays).await {
        let body = expect_status(response, StatusCode::CREATED).await;
        events.insert(
            body["practice_event_id"]
                .as_str()
                .expect("event")
                .to_owned(),
        );
        counts.insert(body["play_count"].as_i64().expect("play_count"));
    }
    assert_eq!(events.len(), 100, "every play has its own event");
    assert_eq!(
        counts,
        (1..=100).collect::<BTreeSet<i64>>(),
        "each play is answered with its own count"
    );

    assert_eq!(
        item(&app, &user, id).await["play_count"],
        100,
        "GET /content/{{id}}"
    );
    let listing = list(&app, &user, "").await;
    assert_eq!(content_items(&listing)[0]["play_count"], 100, "the listing");
    let history = get_ok(&app, &user, &format!("{HISTORY}?ritual_id={id}&limit=1")).await;
    assert_eq!(history["pagination"]["total"], 100, "the history");
    let stats = get_ok(&app, &user, "/api/v1/users/me/stats").await;
    assert_eq!(stats["total_plays"], 100, "the stats: {stats}");
}

// ---------------------------------------------------------------------------------
// Sharing
// ---------------------------------------------------------------------------------

/// A share link is created once (201, then 200 with the same token), shows the item
/// to anyone without a sign-in and nothing of its owner, plays its audio, and stops at
/// once when revoked; a new link after that has a new token.
async fn share_links_show_the_item_and_nothing_of_its_owner(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let id = ready_item(
        &app,
        user.user_id,
        ItemSpec::new("Shared Calm").content_type(ContentType::GuidedMeditation),
    )
    .await;
    let share_path = format!("{}/share", item_path(id));
    let as_owner = |method: Method| {
        let app = &app;
        let path = share_path.clone();
        let token = user.access.clone();
        async move { request(app, method, &path, Some(&token), None).await }
    };

    expect_error(
        as_owner(Method::GET).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    let created = expect_status(as_owner(Method::POST).await, StatusCode::CREATED).await;
    assert_eq!(
        keys(&created),
        set(&["token", "url", "created_at"]),
        "{created}"
    );
    let token = created["token"].as_str().expect("token").to_owned();
    assert_eq!(token.len(), 43, "256 bits in base64url: {token}");
    assert!(
        created["url"]
            .as_str()
            .expect("url")
            .ends_with(&format!("/api/v1/shared/{token}")),
        "{created}"
    );
    let again = expect_status(as_owner(Method::POST).await, StatusCode::OK).await;
    assert_eq!(again, created, "the link the item already has");
    let current = expect_status(as_owner(Method::GET).await, StatusCode::OK).await;
    assert_eq!(current, created);

    // The public view: no token needed.
    let public_path = format!("/api/v1/shared/{token}");
    let response = app.get(&public_path, None).await;
    let cache_control = response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let raw = response.text().await.expect("body");
    assert_eq!(cache_control.as_deref(), Some("no-store"));
    let public: Value = serde_json::from_str(&raw).expect("JSON");
    assert_eq!(
        keys(&public),
        set(&[
            "content_type",
            "title",
            "content_text",
            "duration",
            "audio_url",
            "audio_url_expires_at",
            "audio_format",
            "shared_at",
        ]),
        "{public}"
    );
    assert_eq!(public["content_type"], "guided_meditation");
    assert_eq!(public["title"], "Shared Calm");
    assert_eq!(
        public["content_text"],
        "Shared Calm. Breathe in. [pause 3s] Breathe out."
    );
    assert_eq!(public["duration"], 300);
    assert_eq!(public["audio_format"], "mp3");
    assert_eq!(public["shared_at"], created["created_at"]);
    let user_id = user.user_id.to_string();
    let item_id = id.to_string();
    // The audio URL names the object by its key (which holds the owner's id), so the
    // check for owner data looks at every field but the URL.
    let mut without_url = public.clone();
    without_url["audio_url"] = Value::Null;
    let text = without_url.to_string();
    for secret in [
        user_id.as_str(),
        user.email.as_str(),
        item_id.as_str(),
        "intent",
    ] {
        assert!(
            !text.contains(secret),
            "the public view shows `{secret}`: {raw}"
        );
    }
    let url = public["audio_url"].as_str().expect("audio_url");
    assert_playback_url(&app, url);
    assert_eq!(fetch_audio(&app, url).await, AUDIO_BYTES);

    // A rename shows through the link.
    expect_status(
        patch(&app, &user, id, json!({ "title": "Shared Calm, Renamed" })).await,
        StatusCode::OK,
    )
    .await;
    let renamed = expect_status(app.get(&public_path, None).await, StatusCode::OK).await;
    assert_eq!(renamed["title"], "Shared Calm, Renamed");

    // Another user can neither create, read nor revoke the owner's link.
    let other = app.signed_up_user().await;
    for method in [Method::POST, Method::GET, Method::DELETE] {
        expect_error(
            request(&app, method, &share_path, Some(&other.access), None).await,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        )
        .await;
    }
    expect_status(app.get(&public_path, None).await, StatusCode::OK).await;

    // Revoked: the link answers 404 at once.
    let revoked = as_owner(Method::DELETE).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert!(revoked.text().await.expect("body").is_empty());
    expect_error(
        app.get(&public_path, None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    expect_error(
        as_owner(Method::GET).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    // Revoking again is not an error.
    assert_eq!(
        as_owner(Method::DELETE).await.status(),
        StatusCode::NO_CONTENT
    );

    // A new link has a new token; the old one stays dead.
    let fresh = expect_status(as_owner(Method::POST).await, StatusCode::CREATED).await;
    let fresh_token = fresh["token"].as_str().expect("token");
    assert_ne!(fresh_token, token);
    expect_status(
        app.get(&format!("/api/v1/shared/{fresh_token}"), None)
            .await,
        StatusCode::OK,
    )
    .await;
    expect_error(
        app.get(&public_path, None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;

    // Junk tokens: malformed, or well-formed and unknown.
    let unknown = "A".repeat(43);
    for junk in ["junk", unknown.as_str(), "%2E%2E"] {
        expect_error(
            app.get(&format!("/api/v1/shared/{junk}"), None).await,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        )
        .await;
    }
    // An unknown item has no link to create.
    expect_error(
        request(
            &app,
            Method::POST,
            &format!("{}/share", item_path(Uuid::now_v7())),
            Some(&user.access),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
}

// ---------------------------------------------------------------------------------
// Authorization
// ---------------------------------------------------------------------------------

/// One library route as the matrix calls it.
struct Route {
    method: Method,
    path: String,
    body: Option<Value>,
}

impl Route {
    fn new(method: Method, path: String, body: Option<Value>) -> Route {
        Route { method, path, body }
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    async fn call(&self, app: &TestApp, token: Option<&str>) -> Response {
        request(
            app,
            self.method.clone(),
            &self.path,
            token,
            self.body.as_ref(),
        )
        .await
    }
}

/// Every library route: without a token 401, with a bad token 401, as another user
/// 404 for the owner's item, event and link (or their own, empty data for the `me`
/// and listing routes), and as the owner the answer it should be. Nothing the other
/// user tried changed the owner's data.
async fn only_the_owner_reaches_an_item_its_plays_and_its_link(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let owner = app.signed_up_user().await;
    let other = app.signed_up_user().await;
    let id = ready_item(&app, owner.user_id, ItemSpec::new("Private Ritual")).await;
    let path = item_path(id);
    // The owner's read caches the item (nothing has written it through the API yet):
    // another user's reads must be refused from the cache as well as from the store.
    item(&app, &owner, id).await;
    for read in [path.clone(), format!("{path}/export")] {
        expect_error(
            app.get(&read, Some(&other.access)).await,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        )
        .await;
    }
    expect_status(
        patch(&app, &owner, id, json!({ "folder": "Secret Folder" })).await,
        StatusCode::OK,
    )
    .await;
    let event = play_at(&app, &owner, id, 5).await;
    let share = expect_status(
        request(
            &app,
            Method::POST,
            &format!("{path}/share"),
            Some(&owner.access),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let public = format!("/api/v1/shared/{}", share["token"].as_str().expect("token"));
    let owners_id = id.to_string();

    let item_routes = [
        Route::new(Method::GET, path.clone(), None),
        Route::new(
            Method::PATCH,
            path.clone(),
            Some(json!({ "title": "Hijacked" })),
        ),
        Route::new(Method::GET, format!("{path}/export"), None),
        Route::new(Method::POST, format!("{path}/play"), None),
        Route::new(
            Method::POST,
            format!("{path}/complete"),
            Some(json!({ "practice_event_id": event, "duration": 1 })),
        ),
        Route::new(Method::POST, format!("{path}/share"), None),
        Route::new(Method::GET, format!("{path}/share"), None),
        Route::new(Method::DELETE, format!("{path}/share"), None),
        Route::new(Method::GET, format!("{HISTORY}?ritual_id={id}"), None),
        Route::new(Method::DELETE, path.clone(), None),
    ];
    let own_data_routes = [
        Route::new(Method::GET, CONTENT.to_owned(), None),
        Route::new(Method::GET, format!("{CONTENT}/folders"), None),
        Route::new(Method::GET, HISTORY.to_owned(), None),
        Route::new(Method::GET, "/api/v1/users/me/stats".to_owned(), None),
        Route::new(Method::GET, "/api/v1/users/me/export".to_owned(), None),
    ];

    // Without a token, or with a bad one.
    for route in item_routes.iter().chain(&own_data_routes) {
        let response = route.call(&app, None).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{} without a token",
            route.name()
        );
        expect_error(response, StatusCode::UNAUTHORIZED, "UNAUTHORIZED").await;
        let response = route.call(&app, Some("not.a.jwt")).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{} with a bad token",
            route.name()
        );
        expect_error(response, StatusCode::UNAUTHORIZED, "INVALID_TOKEN").await;
    }

    // Another user: the owner's item, event and link do not exist for them.
    for route in &item_routes {
        let response = route.call(&app, Some(&other.access)).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{} as another user",
            route.name()
        );
        let body = expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
        assert!(!body.to_string().contains("Private Ritual"), "{body}");
    }
    // ...and the routes of their own data show only theirs.
    for route in &own_data_routes {
        let response = route.call(&app, Some(&other.access)).await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(
            status,
            StatusCode::OK,
            "{} as another user: {text}",
            route.name()
        );
        for secret in [
            owners_id.as_str(),
            "Private Ritual",
            "Secret Folder",
            event.as_str(),
        ] {
            assert!(
                !text.contains(secret),
                "{} shows the owner's `{secret}` to another user: {text}",
                route.name()
            );
        }
    }
    let stats = get_ok(&app, &other, "/api/v1/users/me/stats").await;
    assert_eq!(stats["total_plays"], 0, "{stats}");
    assert_eq!(list(&app, &other, "").await["pagination"]["total"], 0);

    // Nothing the others tried changed anything.
    let untouched = item(&app, &owner, id).await;
    assert_eq!(untouched["title"], "Private Ritual");
    assert_eq!(
        untouched["play_count"], 1,
        "the other user's play was not counted"
    );
    expect_status(app.get(&public, None).await, StatusCode::OK).await;
    assert!(audio_exists(&app, owner.user_id, id).await);

    // The owner reaches everything; the destructive calls come last.
    let expected = [
        StatusCode::OK,      // GET item
        StatusCode::OK,      // PATCH
        StatusCode::OK,      // export
        StatusCode::CREATED, // play
        StatusCode::OK,      // complete
        StatusCode::OK,      // share: the existing link
        StatusCode::OK,      // GET share
        StatusCode::NO_CONTENT,
        StatusCode::OK, // history of the item
        StatusCode::OK, // DELETE item
    ];
    // The own-data routes before the deletions.
    for route in &own_data_routes {
        let response = route.call(&app, Some(&owner.access)).await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(
            status,
            StatusCode::OK,
            "{} as the owner: {text}",
            route.name()
        );
        if route.path != "/api/v1/users/me/stats" {
            let needle = if route.path.ends_with("/folders") {
                "Secret Folder"
            } else {
                owners_id.as_str()
            };
            assert!(
                text.contains(needle),
                "{} as the owner lacks `{needle}`: {text}",
                route.name()
            );
        }
    }
    for (route, status) in item_routes.iter().zip(expected) {
        let response = route.call(&app, Some(&owner.access)).await;
        let actual = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(actual, status, "{} as the owner: {text}", route.name());
        if route.path.ends_with("/complete") {
            let body: Value = serde_json::from_str(&text).expect("JSON");
            assert_eq!(
                body["already_completed"], false,
                "the other user's completion must not have landed: {body}"
            );
        }
        if route.method == Method::PATCH {
            let body: Value = serde_json::from_str(&text).expect("JSON");
            assert_eq!(body["title"], "Hijacked", "the owner's own rename: {body}");
        }
    }
    expect_error(
        app.get(&public, None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    expect_error(
        app.get(&path, Some(&owner.access)).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
}
