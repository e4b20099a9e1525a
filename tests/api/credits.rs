use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;
use waqup::domain::LedgerType;
use waqup::store::NewLedgerEntry;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, expect_error, expect_status};

backend_tests!(
    a_new_account_holds_one_credit_in_the_ledger,
    transactions_paginate_and_filter,
    transaction_queries_are_validated,
);

async fn a_new_account_holds_one_credit_in_the_ledger(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let balance = expect_status(
        app.get("/api/v1/credits/balance", Some(&user.access)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(balance["balance"], 1);
    assert_eq!(balance["free_tier_used"], false);
    assert!(balance["last_transaction_at"].is_string());

    let ledger = expect_status(
        app.get("/api/v1/credits/transactions", Some(&user.access))
            .await,
        StatusCode::OK,
    )
    .await;
    let rows = ledger["transactions"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["type"], "grant");
    assert_eq!(rows[0]["amount"], 1);
    assert_eq!(rows[0]["balance_after"], 1);
    assert_eq!(
        ledger["pagination"],
        json!({ "page": 1, "limit": 20, "total": 1, "pages": 1, "has_next": false, "has_prev": false })
    );

    // Another user sees only their own ledger.
    let other = app.signed_up_user().await;
    let theirs = expect_status(
        app.get("/api/v1/credits/transactions", Some(&other.access))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_ne!(theirs["transactions"][0]["id"], rows[0]["id"]);
}

/// Adds ledger rows straight through the store, as purchases and generations will.
async fn append(app: &TestApp, user_id: Uuid, kind: LedgerType, amount: i64) {
    app.state
        .store
        .append_ledger(NewLedgerEntry {
            id: Uuid::now_v7(),
            user_id,
            kind,
            amount,
            content_item_id: (kind == LedgerType::Consumption).then(Uuid::now_v7),
            content_type: (kind == LedgerType::Consumption).then(|| "affirmation".to_owned()),
            metadata: if kind == LedgerType::Purchase {
                json!({ "pack_id": "seeker" })
            } else {
                json!({})
            },
            now: waqup::time::now(),
        })
        .await
        .expect("append ledger row");
}

async fn transactions_paginate_and_filter(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    // 1 grant + 10 purchases of 10 + 14 consumptions of 1 = 25 rows, balance 87.
    for _ in 0..10 {
        append(&app, user.user_id, LedgerType::Purchase, 10).await;
    }
    for _ in 0..14 {
        append(&app, user.user_id, LedgerType::Consumption, -1).await;
    }
    let list = |query: &'static str| {
        let app = &app;
        let token = user.access.clone();
        async move {
            let response = app
                .get(
                    &format!("/api/v1/credits/transactions{query}"),
                    Some(&token),
                )
                .await;
            expect_status(response, StatusCode::OK).await
        }
    };

    let first = list("?limit=10").await;
    assert_eq!(first["transactions"].as_array().unwrap().len(), 10);
    assert_eq!(first["pagination"]["total"], 25);
    assert_eq!(first["pagination"]["pages"], 3);
    assert_eq!(first["pagination"]["has_next"], true);
    assert_eq!(first["pagination"]["has_prev"], false);
    // Newest first: the last consumption leads, with the final balance.
    assert_eq!(first["transactions"][0]["type"], "consumption");
    assert_eq!(first["transactions"][0]["balance_after"], 87);
    assert_eq!(first["transactions"][0]["content_type"], "affirmation");
    assert!(first["transactions"][0]["ritual_id"].is_string());

    let last = list("?limit=10&page=3").await;
    assert_eq!(last["transactions"].as_array().unwrap().len(), 5);
    assert_eq!(last["pagination"]["has_next"], false);
    assert_eq!(last["pagination"]["has_prev"], true);
    assert_eq!(last["transactions"][4]["type"], "grant");

    let past_the_end = list("?limit=10&page=9").await;
    assert_eq!(past_the_end["transactions"], json!([]));
    assert_eq!(past_the_end["pagination"]["total"], 25);

    let capped = list("?limit=5000").await;
    assert_eq!(capped["pagination"]["limit"], 100);
    assert_eq!(capped["transactions"].as_array().unwrap().len(), 25);

    // Pages are disjoint and together are the whole ledger.
    let mut ids: Vec<Value> = Vec::new();
    for query in ["?limit=10&page=1", "?limit=10&page=2", "?limit=10&page=3"] {
        ids.extend(
            list(query).await["transactions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["id"].clone()),
        );
    }
    let mut unique = ids.clone();
    unique.sort_by_key(|v| v.to_string());
    unique.dedup();
    assert_eq!(unique.len(), 25);

    let purchases = list("?transaction_type=purchase&limit=100").await;
    let rows = purchases["transactions"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert!(
        rows.iter()
            .all(|r| r["type"] == "purchase" && r["pack_id"] == "seeker")
    );
    assert_eq!(purchases["pagination"]["total"], 10);

    let refunds = list("?transaction_type=refund").await;
    assert_eq!(refunds["pagination"]["total"], 0);

    // The ledger explains the balance: every balance_after follows from the amounts.
    let all = list("?limit=100").await;
    let mut rows: Vec<Value> = all["transactions"].as_array().unwrap().clone();
    rows.reverse();
    let mut running = 0;
    for row in &rows {
        running += row["amount"].as_i64().unwrap();
        assert_eq!(row["balance_after"].as_i64().unwrap(), running, "{row}");
    }
    let balance = expect_status(
        app.get("/api/v1/credits/balance", Some(&user.access)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(balance["balance"].as_i64().unwrap(), running);
    assert_eq!(balance["free_tier_used"], true);
}

async fn transaction_queries_are_validated(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
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
        ("?page=abc", StatusCode::BAD_REQUEST, "INVALID_QUERY"),
        (
            "?limit=99999999999",
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY",
        ),
        (
            "?transaction_type=gift",
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY",
        ),
    ] {
        let response = app
            .get(
                &format!("/api/v1/credits/transactions{query}"),
                Some(&user.access),
            )
            .await;
        expect_error(response, status, code).await;
    }
    // Without a token.
    expect_error(
        app.get("/api/v1/credits/balance", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    expect_error(
        app.get("/api/v1/credits/transactions", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
}
