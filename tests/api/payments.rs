//! Payments on both backends: webhook signatures, each event applied once, credit packs
//! bought on the sandbox's checkout page and refunded, and checkouts opened at a local
//! fake of Stripe's API (real HTTP, Stripe's JSON shapes).
//!
//! Events are built from the Stripe objects in `tests/fixtures/stripe` and signed with
//! the webhook secret the app is given, as Stripe signs them.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use futures_util::future::join_all;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use waqup::domain::LedgerType;
use waqup::providers::payments::signature::sign;
use waqup::store::NewLedgerEntry;

use crate::backend_tests;
use crate::helpers::{Backend, TestApp, Tokens, expect_error, expect_status};
use crate::library_fixtures::{ItemSpec, ready_item};

backend_tests!(
    webhook_signatures_are_checked,
    an_event_applies_once,
    one_payment_credits_once,
    one_refund_takes_back_once,
    credit_purchase_and_refund,
    checkout_sessions_go_to_stripe,
);

/// The secret the sandbox app signs (and checks) webhooks with.
const SECRET: &str = "whsec_payments_test";
const SUCCESS_URL: &str = "https://app.example/ok";
const CANCEL_URL: &str = "https://app.example/no";
/// Seeker pack: 10 credits for 14.99 (the defaults).
const SEEKER_CREDITS: i64 = 10;
const SEEKER_CENTS: i64 = 1499;

// ----- the app and its API -------------------------------------------------------------

/// An app on the sandbox provider, signing webhooks with [`SECRET`].
async fn sandbox_app(backend: Backend) -> Option<TestApp> {
    TestApp::builder(backend)
        .env("WAQUP_STRIPE_WEBHOOK_SECRET", SECRET)
        .spawn()
        .await
}

/// Opens a credit pack checkout; answers the 201 body.
async fn buy_credits(app: &TestApp, user: &Tokens, pack: &str) -> Value {
    let response = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/credits/purchase",
            Some(&user.access),
            &json!({ "pack_type": pack, "success_url": SUCCESS_URL, "cancel_url": CANCEL_URL }),
        )
        .await;
    expect_status(response, StatusCode::CREATED).await
}

async fn balance(app: &TestApp, user: &Tokens) -> i64 {
    let body = expect_status(
        app.get("/api/v1/credits/balance", Some(&user.access)).await,
        StatusCode::OK,
    )
    .await;
    body["balance"].as_i64().expect("balance")
}

/// The user's ledger rows of one type.
async fn ledger_rows(app: &TestApp, user: &Tokens, kind: &str) -> Vec<Value> {
    let body = expect_status(
        app.get("/api/v1/credits/transactions?limit=100", Some(&user.access))
            .await,
        StatusCode::OK,
    )
    .await;
    body["transactions"]
        .as_array()
        .expect("transactions")
        .iter()
        .filter(|row| row["type"] == kind)
        .cloned()
        .collect()
}

async fn purchases(app: &TestApp, user: &Tokens) -> Value {
    expect_status(
        app.get("/api/v1/payments/purchases", Some(&user.access))
            .await,
        StatusCode::OK,
    )
    .await
}

/// One purchase of the user, as `GET /payments/purchases` shows it.
async fn purchase(app: &TestApp, user: &Tokens, id: &Value) -> Value {
    let all = purchases(app, user).await;
    all["purchases"]
        .as_array()
        .expect("purchases")
        .iter()
        .find(|p| &p["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("purchase {id} not listed: {all}"))
}

/// Spends credits, as a generation does.
async fn spend(app: &TestApp, user_id: Uuid, credits: i64) {
    app.state
        .store
        .append_ledger(NewLedgerEntry {
            id: Uuid::now_v7(),
            user_id,
            kind: LedgerType::Consumption,
            amount: -credits,
            content_item_id: None,
            content_type: None,
            metadata: json!({}),
            now: waqup::time::now(),
        })
        .await
        .unwrap();
}

// ----- events --------------------------------------------------------------------------

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stripe")
        .join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn new_event_id() -> String {
    format!("evt_test_{}", Uuid::new_v4().simple())
}

/// An event of `event_type` about `object`, in Stripe's envelope.
fn event(id: &str, event_type: &str, object: Value) -> Vec<u8> {
    let mut event = fixture("event.json");
    event["id"] = json!(id);
    event["type"] = json!(event_type);
    event["created"] = json!(unix_now());
    event["data"]["object"] = object;
    serde_json::to_vec(&event).unwrap()
}

/// A paid checkout session (Stripe's object) of a one-time payment.
fn paid_session(session_id: &str, payment_intent: &str, amount_total: i64) -> Value {
    let mut session = fixture("checkout_session.json");
    session["id"] = json!(session_id);
    session["status"] = json!("complete");
    session["payment_status"] = json!("paid");
    session["payment_intent"] = json!(payment_intent);
    session["amount_total"] = json!(amount_total);
    session["amount_subtotal"] = json!(amount_total);
    session["currency"] = json!("usd");
    session
}

/// A charge (Stripe's object) of `amount` cents of which `refunded` are refunded so far.
fn refunded_charge(payment_intent: &str, amount: i64, refunded: i64) -> Value {
    let mut charge = fixture("charge.json");
    charge["id"] = json!(format!("ch_test_{}", Uuid::new_v4().simple()));
    charge["payment_intent"] = json!(payment_intent);
    charge["amount"] = json!(amount);
    charge["amount_captured"] = json!(amount);
    charge["amount_refunded"] = json!(refunded);
    charge["refunded"] = json!(refunded >= amount);
    charge
}

/// Posts a webhook delivery with this `Stripe-Signature` header (none for `None`).
async fn deliver(app: &TestApp, body: &[u8], signature: Option<&str>) -> Response {
    let mut request = app
        .client
        .post(app.url("/api/v1/payments/webhook"))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(signature) = signature {
        request = request.header("Stripe-Signature", signature);
    }
    request.send().await.expect("webhook request")
}

/// Delivers an event signed now with `secret`; answers the webhook's `outcome`.
async fn deliver_signed(app: &TestApp, secret: &str, body: &[u8]) -> String {
    let signature = sign(secret.as_bytes(), unix_now(), body);
    let answer = expect_status(deliver(app, body, Some(&signature)).await, StatusCode::OK).await;
    assert_eq!(answer["received"], true, "{answer}");
    answer["outcome"].as_str().expect("outcome").to_owned()
}

// ----- the sandbox's checkout page -----------------------------------------------------

/// Presses `pay` or `cancel` on the sandbox's checkout page.
async fn sandbox_finish(app: &TestApp, checkout_url: &str, outcome: &str) -> Response {
    app.client
        .post(checkout_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("outcome={outcome}"))
        .send()
        .await
        .expect("sandbox checkout form")
}

/// The redirect a sandbox form answered with: 303 and its `Location`.
fn see_other(response: &Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The payment intent the sandbox pays a checkout session with.
fn sandbox_payment_intent(session_id: &str) -> String {
    let suffix = session_id
        .strip_prefix("cs_sandbox_")
        .unwrap_or_else(|| panic!("not a sandbox session: {session_id}"));
    format!("pi_sandbox_{suffix}")
}

// ----- tests ---------------------------------------------------------------------------

async fn webhook_signatures_are_checked(backend: Backend) {
    let Some(app) = sandbox_app(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    let checkout = buy_credits(&app, &user, "seeker").await;
    assert_eq!(checkout["credits_amount"], SEEKER_CREDITS);
    let session_id = checkout["session_id"].as_str().unwrap();
    let event_id = new_event_id();
    let body = event(
        &event_id,
        "checkout.session.completed",
        paid_session(session_id, "pi_x", SEEKER_CENTS),
    );
    let now = unix_now();
    let valid = sign(SECRET.as_bytes(), now, &body);
    let mut altered: Value = serde_json::from_slice(&body).unwrap();
    altered["data"]["object"]["amount_total"] = json!(1);
    let altered = serde_json::to_vec(&altered).unwrap();
    let refusals: [(&str, &[u8], Option<String>); 7] = [
        (
            "signed with another secret",
            &body,
            Some(sign(b"whsec_someone_else", now, &body)),
        ),
        ("body altered after signing", &altered, Some(valid)),
        (
            "signed 301 s ago",
            &body,
            Some(sign(SECRET.as_bytes(), now - 301, &body)),
        ),
        (
            "signed 330 s ahead",
            &body,
            Some(sign(SECRET.as_bytes(), now + 330, &body)),
        ),
        ("no header", &body, None),
        ("no v1 signature", &body, Some(format!("t={now}"))),
        (
            "not hex",
            &body,
            Some(format!("t={now},v1=not-a-signature")),
        ),
    ];
    for (case, body, signature) in refusals {
        let response = deliver(&app, body, signature.as_deref()).await;
        let error = expect_error(response, StatusCode::BAD_REQUEST, "INVALID_SIGNATURE").await;
        assert_eq!(balance(&app, &user).await, 1, "{case}: {error}");
        let bought = purchase(&app, &user, &checkout["purchase_id"]).await;
        assert_eq!(bought["status"], "pending", "{case}");
        assert!(bought["paid_at"].is_null(), "{case}");
    }

    // Signed bodies that are not events are refused as such.
    for not_an_event in [
        b"not json".to_vec(),
        br#"{"hello":"world"}"#.to_vec(),
        br#"{"id":"evt_x","type":"checkout.session.completed","created":1}"#.to_vec(),
    ] {
        let signature = sign(SECRET.as_bytes(), unix_now(), &not_an_event);
        let response = deliver(&app, &not_an_event, Some(&signature)).await;
        expect_error(response, StatusCode::BAD_REQUEST, "INVALID_EVENT").await;
    }
    assert_eq!(balance(&app, &user).await, 1);

    // Within the tolerance, the same event id (never recorded by a refusal) applies.
    let signature = sign(SECRET.as_bytes(), unix_now() - 200, &body);
    let answer = expect_status(deliver(&app, &body, Some(&signature)).await, StatusCode::OK).await;
    assert_eq!(answer, json!({ "received": true, "outcome": "applied" }));
    assert_eq!(balance(&app, &user).await, 1 + SEEKER_CREDITS);
    let bought = purchase(&app, &user, &checkout["purchase_id"]).await;
    assert_eq!(bought["status"], "paid");
    assert!(bought["paid_at"].is_string());
    assert_eq!(bought["amount_cents"], SEEKER_CENTS);
    let rows = ledger_rows(&app, &user, "purchase").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["amount"], SEEKER_CREDITS);
    assert_eq!(rows[0]["balance_after"], 1 + SEEKER_CREDITS);
    assert_eq!(rows[0]["pack_id"], "seeker");
}

async fn an_event_applies_once(backend: Backend) {
    let Some(app) = sandbox_app(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;

    // Five deliveries one after another.
    let first = buy_credits(&app, &user, "seeker").await;
    let body = event(
        &new_event_id(),
        "checkout.session.completed",
        paid_session(
            first["session_id"].as_str().unwrap(),
            "pi_first",
            SEEKER_CENTS,
        ),
    );
    let mut outcomes = Vec::new();
    for _ in 0..5 {
        outcomes.push(deliver_signed(&app, SECRET, &body).await);
    }
    assert_eq!(
        outcomes,
        [
            "applied",
            "duplicate",
            "duplicate",
            "duplicate",
            "duplicate"
        ]
    );
    assert_eq!(balance(&app, &user).await, 1 + SEEKER_CREDITS);

    // Five at once, of another event for another purchase.
    let second = buy_credits(&app, &user, "seeker").await;
    let body = event(
        &new_event_id(),
        "checkout.session.completed",
        paid_session(
            second["session_id"].as_str().unwrap(),
            "pi_second",
            SEEKER_CENTS,
        ),
    );
    let outcomes = join_all((0..5).map(|_| deliver_signed(&app, SECRET, &body))).await;
    let applied = outcomes.iter().filter(|o| *o == "applied").count();
    let duplicates = outcomes.iter().filter(|o| *o == "duplicate").count();
    assert_eq!((applied, duplicates), (1, 4), "{outcomes:?}");
    assert_eq!(balance(&app, &user).await, 1 + 2 * SEEKER_CREDITS);

    let rows = ledger_rows(&app, &user, "purchase").await;
    assert_eq!(rows.len(), 2, "one purchase row per payment: {rows:?}");
    let mut after: Vec<i64> = rows
        .iter()
        .map(|r| r["balance_after"].as_i64().unwrap())
        .collect();
    after.sort_unstable();
    assert_eq!(after, [1 + SEEKER_CREDITS, 1 + 2 * SEEKER_CREDITS]);
    for bought in [&first, &second] {
        assert_eq!(
            purchase(&app, &user, &bought["purchase_id"]).await["status"],
            "paid"
        );
    }

    // A new event about a purchase already paid changes nothing.
    let again = event(
        &new_event_id(),
        "checkout.session.completed",
        paid_session(
            first["session_id"].as_str().unwrap(),
            "pi_first",
            SEEKER_CENTS,
        ),
    );
    assert_eq!(deliver_signed(&app, SECRET, &again).await, "ignored");
    assert_eq!(balance(&app, &user).await, 1 + 2 * SEEKER_CREDITS);
}

/// How many times the concurrent cases are played (a race may be lost once by luck).
const ROUNDS: usize = 6;

/// Delivers all the events at once; answers their outcomes.
async fn race(app: &TestApp, bodies: &[Vec<u8>]) -> Vec<String> {
    join_all(bodies.iter().map(|b| deliver_signed(app, SECRET, b))).await
}

/// Distinct events confirming one payment (Stripe sends `completed` and
/// `async_payment_succeeded`, and may retry either), all at once: the credits arrive once.
async fn one_payment_credits_once(backend: Backend) {
    let Some(app) = sandbox_app(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    for round in 1..=ROUNDS as i64 {
        let checkout = buy_credits(&app, &user, "seeker").await;
        let session_id = checkout["session_id"].as_str().unwrap();
        let session = paid_session(session_id, &format!("pi_once_{round}"), SEEKER_CENTS);
        let bodies: Vec<Vec<u8>> = (0..6)
            .map(|i| {
                let kind = if i % 2 == 0 {
                    "checkout.session.completed"
                } else {
                    "checkout.session.async_payment_succeeded"
                };
                event(&new_event_id(), kind, session.clone())
            })
            .collect();
        let outcomes = race(&app, &bodies).await;
        let seen = format!("round {round}, outcomes {outcomes:?}");
        assert_eq!(
            balance(&app, &user).await,
            1 + round * SEEKER_CREDITS,
            "{seen}"
        );
        let rows = ledger_rows(&app, &user, "purchase").await;
        assert_eq!(rows.len() as i64, round, "{seen}");
        let applied = outcomes.iter().filter(|o| *o == "applied").count();
        assert_eq!(applied, 1, "{seen}");
    }
}

/// The same refund told by several events at once takes the credits back once.
async fn one_refund_takes_back_once(backend: Backend) {
    let Some(app) = sandbox_app(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;
    for round in 1..=ROUNDS {
        let checkout = buy_credits(&app, &user, "seeker").await;
        let session_id = checkout["session_id"].as_str().unwrap();
        let payment_intent = format!("pi_refund_{round}");
        let paid = event(
            &new_event_id(),
            "checkout.session.completed",
            paid_session(session_id, &payment_intent, SEEKER_CENTS),
        );
        assert_eq!(deliver_signed(&app, SECRET, &paid).await, "applied");
        assert_eq!(balance(&app, &user).await, 1 + SEEKER_CREDITS);
        let bodies: Vec<Vec<u8>> = (0..6)
            .map(|_| {
                let charge = refunded_charge(&payment_intent, SEEKER_CENTS, SEEKER_CENTS);
                event(&new_event_id(), "charge.refunded", charge)
            })
            .collect();
        let outcomes = race(&app, &bodies).await;
        let refunded = purchase(&app, &user, &checkout["purchase_id"]).await;
        let seen = format!("round {round}, outcomes {outcomes:?}, purchase {refunded}");
        assert_eq!(balance(&app, &user).await, 1, "{seen}");
        assert_eq!(refunded["status"], "refunded", "{seen}");
        assert_eq!(refunded["refunded_cents"], SEEKER_CENTS, "{seen}");
        assert_eq!(refunded["credits_reversed"], SEEKER_CREDITS, "{seen}");
        let rows = ledger_rows(&app, &user, "refund").await;
        assert_eq!(rows.len(), round, "{seen}");
        let applied = outcomes.iter().filter(|o| *o == "applied").count();
        assert_eq!(applied, 1, "{seen}");
    }
}

async fn credit_purchase_and_refund(backend: Backend) {
    let Some(app) = sandbox_app(backend).await else {
        return;
    };
    let user = app.signed_up_user().await;

    // Paid on the sandbox's page.
    let checkout = buy_credits(&app, &user, "seeker").await;
    let url = checkout["checkout_url"].as_str().unwrap();
    let session_id = checkout["session_id"].as_str().unwrap();
    assert_eq!(url, app.url(&format!("/sandbox/checkout/{session_id}")));
    let page = app.client.get(url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let content_type = page.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let html = page.text().await.unwrap();
    assert!(html.contains("10 credits (seeker)"), "{html}");
    assert!(html.contains("14.99 USD"), "{html}");
    assert!(html.contains("value=\"pay\""), "{html}");
    assert_eq!(balance(&app, &user).await, 1, "nothing before paying");

    let response = sandbox_finish(&app, url, "pay").await;
    assert_eq!(see_other(&response), SUCCESS_URL);
    assert_eq!(balance(&app, &user).await, 1 + SEEKER_CREDITS);
    let rows = ledger_rows(&app, &user, "purchase").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["amount"], SEEKER_CREDITS);
    let bought = purchase(&app, &user, &checkout["purchase_id"]).await;
    assert_eq!(bought["status"], "paid");
    assert_eq!(bought["provider"], "sandbox");
    assert_eq!(bought["kind"], "credits");
    assert_eq!(bought["credit_pack"], "seeker");
    assert_eq!(bought["session_id"], session_id);
    // The page now says so, and cannot be paid twice.
    let html = app
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("This checkout is paid."), "{html}");
    let twice = sandbox_finish(&app, url, "pay").await;
    expect_error(twice, StatusCode::CONFLICT, "CONFLICT").await;
    assert_eq!(balance(&app, &user).await, 1 + SEEKER_CREDITS);

    // 7 of the 11 spent; a full refund takes back only the 4 unspent.
    spend(&app, user.user_id, 7).await;
    assert_eq!(balance(&app, &user).await, 4);
    let payment_intent = sandbox_payment_intent(session_id);
    let refund = event(
        &new_event_id(),
        "charge.refunded",
        refunded_charge(&payment_intent, SEEKER_CENTS, SEEKER_CENTS),
    );
    assert_eq!(deliver_signed(&app, SECRET, &refund).await, "applied");
    assert_eq!(balance(&app, &user).await, 0);
    let refunds = ledger_rows(&app, &user, "refund").await;
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0]["amount"], -4);
    assert_eq!(refunds[0]["balance_after"], 0);
    let bought = purchase(&app, &user, &checkout["purchase_id"]).await;
    assert_eq!(bought["status"], "refunded");
    assert_eq!(bought["refunded_cents"], SEEKER_CENTS);
    assert_eq!(bought["credits_reversed"], 4);
    // The same refund told again (a new event) takes nothing more.
    let again = event(
        &new_event_id(),
        "charge.refunded",
        refunded_charge(&payment_intent, SEEKER_CENTS, SEEKER_CENTS),
    );
    assert_eq!(deliver_signed(&app, SECRET, &again).await, "ignored");
    assert_eq!(balance(&app, &user).await, 0);
    assert_eq!(ledger_rows(&app, &user, "refund").await.len(), 1);

    // Half of another pack refunded takes back half its credits; the rest, the rest.
    let second = buy_credits(&app, &user, "seeker").await;
    let url = second["checkout_url"].as_str().unwrap();
    see_other(&sandbox_finish(&app, url, "pay").await);
    assert_eq!(balance(&app, &user).await, SEEKER_CREDITS);
    let payment_intent = sandbox_payment_intent(second["session_id"].as_str().unwrap());
    let half = event(
        &new_event_id(),
        "charge.refunded",
        refunded_charge(&payment_intent, SEEKER_CENTS, 750),
    );
    assert_eq!(deliver_signed(&app, SECRET, &half).await, "applied");
    assert_eq!(
        balance(&app, &user).await,
        5,
        "floor(10 * 750 / 1499) = 5 taken back"
    );
    let bought = purchase(&app, &user, &second["purchase_id"]).await;
    assert_eq!(bought["status"], "paid", "partly refunded is still paid");
    assert_eq!(bought["refunded_cents"], 750);
    assert_eq!(bought["credits_reversed"], 5);
    let rest = event(
        &new_event_id(),
        "charge.refunded",
        refunded_charge(&payment_intent, SEEKER_CENTS, SEEKER_CENTS),
    );
    assert_eq!(deliver_signed(&app, SECRET, &rest).await, "applied");
    assert_eq!(balance(&app, &user).await, 0);
    let bought = purchase(&app, &user, &second["purchase_id"]).await;
    assert_eq!(bought["status"], "refunded");
    assert_eq!(bought["refunded_cents"], SEEKER_CENTS);
    assert_eq!(bought["credits_reversed"], SEEKER_CREDITS);
    let mut refunds: Vec<i64> = ledger_rows(&app, &user, "refund")
        .await
        .iter()
        .map(|r| r["amount"].as_i64().unwrap())
        .collect();
    refunds.sort_unstable();
    assert_eq!(refunds, [-5, -5, -4]);

    // Given up on the page: back to the cancel URL, expired, no credits.
    let third = buy_credits(&app, &user, "starter").await;
    let url = third["checkout_url"].as_str().unwrap();
    assert_eq!(
        see_other(&sandbox_finish(&app, url, "cancel").await),
        CANCEL_URL
    );
    let given_up = purchase(&app, &user, &third["purchase_id"]).await;
    assert_eq!(given_up["status"], "expired");
    assert!(given_up["paid_at"].is_null());
    assert_eq!(balance(&app, &user).await, 0);
    assert_eq!(ledger_rows(&app, &user, "purchase").await.len(), 2);
    let html = app
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("This checkout is expired."), "{html}");
}

async fn checkout_sessions_go_to_stripe(backend: Backend) {
    let stripe = FakeStripe::start();
    let Some(app) = TestApp::builder(backend)
        .env("WAQUP_STRIPE_SECRET_KEY", "sk_test_x")
        .env("WAQUP_STRIPE_WEBHOOK_SECRET", "whsec_x")
        .env("WAQUP_STRIPE_API_BASE", &stripe.base_url)
        .spawn()
        .await
    else {
        return;
    };
    let user = app.signed_up_user().await;

    // A credit pack: a one-time payment.
    let checkout = buy_credits(&app, &user, "architect").await;
    let sent = stripe.last();
    assert_eq!(checkout["session_id"], "cs_test_1");
    assert_eq!(
        checkout["checkout_url"],
        "https://checkout.stripe.com/c/pay/cs_test_1"
    );
    assert_eq!(checkout["credits_amount"], 30);
    let purchase_id = checkout["purchase_id"].as_str().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/checkout/sessions");
    assert_eq!(sent.authorization.as_deref(), Some("Bearer sk_test_x"));
    assert_eq!(
        sent.idempotency_key.as_deref(),
        Some(format!("checkout-{purchase_id}").as_str())
    );
    assert_eq!(sent.field("mode"), Some("payment"));
    assert_eq!(
        sent.field("line_items[0][price_data][unit_amount]"),
        Some("3999")
    );
    assert_eq!(
        sent.field("line_items[0][price_data][currency]"),
        Some("usd")
    );
    assert_eq!(
        sent.field("line_items[0][price_data][product_data][name]"),
        Some("30 waQup credits (architect)")
    );
    assert_eq!(
        sent.field("line_items[0][price_data][recurring][interval]"),
        None
    );
    assert_eq!(sent.field("line_items[0][quantity]"), Some("1"));
    assert_eq!(sent.field("metadata[purchase_id]"), Some(purchase_id));
    assert_eq!(
        sent.field("metadata[user_id]"),
        Some(user.user_id.to_string().as_str())
    );
    assert_eq!(sent.field("metadata[credit_pack]"), Some("architect"));
    assert_eq!(sent.field("metadata[credits]"), Some("30"));
    assert_eq!(sent.field("client_reference_id"), Some(purchase_id));
    assert_eq!(sent.field("customer_email"), Some(user.email.as_str()));
    assert_eq!(sent.field("success_url"), Some(SUCCESS_URL));
    assert_eq!(sent.field("cancel_url"), Some(CANCEL_URL));
    assert!(
        sent.fields
            .iter()
            .all(|(k, _)| !k.starts_with("subscription_data"))
    );
    let bought = purchase(&app, &user, &checkout["purchase_id"]).await;
    assert_eq!(bought["provider"], "stripe");
    assert_eq!(bought["status"], "pending");
    assert_eq!(bought["session_id"], "cs_test_1");
    assert_eq!(bought["amount_cents"], 3999);
    assert_eq!(bought["subscription"], false);

    // Stripe's signed confirmation of that session credits the buyer.
    let paid = event(
        &new_event_id(),
        "checkout.session.completed",
        paid_session("cs_test_1", "pi_test_1", 3999),
    );
    let wrong = sign(SECRET.as_bytes(), unix_now(), &paid);
    expect_error(
        deliver(&app, &paid, Some(&wrong)).await,
        StatusCode::BAD_REQUEST,
        "INVALID_SIGNATURE",
    )
    .await;
    assert_eq!(deliver_signed(&app, "whsec_x", &paid).await, "applied");
    assert_eq!(balance(&app, &user).await, 31);
    assert_eq!(
        purchase(&app, &user, &checkout["purchase_id"]).await["status"],
        "paid"
    );

    // A monthly subscription pack.
    let pack_id = subscription_pack(&app).await;
    let response = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/payments/checkout",
            Some(&user.access),
            &json!({ "pack_id": pack_id }),
        )
        .await;
    let checkout = expect_status(response, StatusCode::CREATED).await;
    let sent = stripe.last();
    assert_eq!(checkout["session_id"], "cs_test_2");
    assert_eq!(
        checkout["checkout_url"],
        "https://checkout.stripe.com/c/pay/cs_test_2"
    );
    let purchase_id = checkout["purchase_id"].as_str().unwrap();
    assert_eq!(sent.field("mode"), Some("subscription"));
    assert_eq!(
        sent.field("line_items[0][price_data][unit_amount]"),
        Some("499")
    );
    assert_eq!(
        sent.field("line_items[0][price_data][recurring][interval]"),
        Some("month")
    );
    assert_eq!(
        sent.field("line_items[0][price_data][product_data][name]"),
        Some("Sleep Subscription")
    );
    assert_eq!(sent.field("metadata[pack_id]"), Some(pack_id.as_str()));
    assert_eq!(sent.field("metadata[purchase_id]"), Some(purchase_id));
    assert_eq!(
        sent.field("subscription_data[metadata][pack_id]"),
        Some(pack_id.as_str())
    );
    assert_eq!(
        sent.field("subscription_data[metadata][purchase_id]"),
        Some(purchase_id)
    );
    assert_eq!(
        sent.idempotency_key.as_deref(),
        Some(format!("checkout-{purchase_id}").as_str())
    );
    let bought = purchase(&app, &user, &checkout["purchase_id"]).await;
    assert_eq!(bought["subscription"], true);
    assert_eq!(bought["kind"], "pack");

    // Stripe refuses: a gateway error, and no purchase is recorded.
    stripe.state.refuse.store(true, Ordering::SeqCst);
    let other = app.signed_up_user().await;
    let response = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/credits/purchase",
            Some(&other.access),
            &json!({ "pack_type": "starter" }),
        )
        .await;
    let error = expect_error(response, StatusCode::BAD_GATEWAY, "PAYMENT_PROVIDER_ERROR").await;
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("No such price"),
        "{error}"
    );
    assert_eq!(stripe.count(), 3);
    let listed = purchases(&app, &other).await;
    assert_eq!(listed["purchases"], json!([]));
    assert_eq!(listed["pagination"]["total"], 0);
    assert_eq!(balance(&app, &other).await, 1);
}

/// A published monthly subscription pack (4.99) of a new creator; answers its id.
async fn subscription_pack(app: &TestApp) -> String {
    let creator = app.signed_up_user().await;
    expect_status(
        app.send_json(
            reqwest::Method::POST,
            "/api/v1/creators/me",
            Some(&creator.access),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let item = ready_item(app, creator.user_id, ItemSpec::new("Night Calm")).await;
    let pack = expect_status(
        app.send_json(
            reqwest::Method::POST,
            "/api/v1/creators/me/packs",
            Some(&creator.access),
            &json!({
                "title": "Sleep Subscription",
                "description": "A new sleep practice every month.",
                "price_type": "subscription",
                "subscription_interval": "monthly",
                "price_amount": 4.99,
                "tags": ["sleep"],
                "item_ids": [item],
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = pack["id"].as_str().unwrap().to_owned();
    let published = expect_status(
        app.send_json(
            reqwest::Method::POST,
            &format!("/api/v1/creators/me/packs/{id}/publish"),
            Some(&creator.access),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(published["status"], "published");
    id
}

// ----- a fake of Stripe's API ----------------------------------------------------------

/// One request the fake received.
#[derive(Debug, Clone)]
struct StripeRequest {
    method: String,
    path: String,
    authorization: Option<String>,
    idempotency_key: Option<String>,
    /// The form body, decoded, in order.
    fields: Vec<(String, String)>,
}

impl StripeRequest {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct StripeState {
    requests: Mutex<Vec<StripeRequest>>,
    sessions: AtomicUsize,
    /// Answer every request with Stripe's 400 `invalid_request_error`.
    refuse: AtomicBool,
}

/// A local server answering `POST /v1/checkout/sessions` as Stripe does.
struct FakeStripe {
    /// What `WAQUP_STRIPE_API_BASE` should be.
    base_url: String,
    state: Arc<StripeState>,
    handle: ServerHandle,
}

impl Drop for FakeStripe {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

impl FakeStripe {
    fn start() -> FakeStripe {
        let state = Arc::new(StripeState::default());
        let shared = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .default_service(web::to(stripe_api))
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind the fake Stripe API");
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        FakeStripe {
            base_url: format!("http://{addr}"),
            state,
            handle,
        }
    }

    fn last(&self) -> StripeRequest {
        let requests = self.state.requests.lock().unwrap();
        requests
            .last()
            .cloned()
            .expect("a request reached the fake Stripe")
    }

    fn count(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }
}

async fn stripe_api(
    state: web::Data<StripeState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request = StripeRequest {
        method: req.method().to_string(),
        path: req.path().to_owned(),
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        fields: decode_form(&String::from_utf8_lossy(&body)),
    };
    state.requests.lock().unwrap().push(request.clone());
    if state.refuse.load(Ordering::SeqCst) {
        return HttpResponse::BadRequest().json(json!({
            "error": { "type": "invalid_request_error", "message": "No such price" }
        }));
    }
    if request.method != "POST" || request.path != "/v1/checkout/sessions" {
        return HttpResponse::NotFound().json(json!({
            "error": { "type": "invalid_request_error", "message": "Unrecognized request URL" }
        }));
    }
    let n = state.sessions.fetch_add(1, Ordering::SeqCst) + 1;
    let id = format!("cs_test_{n}");
    let mut session = fixture("checkout_session.json");
    session["id"] = json!(id);
    session["url"] = json!(format!("https://checkout.stripe.com/c/pay/{id}"));
    session["mode"] = json!(request.field("mode").unwrap_or("payment"));
    session["success_url"] = json!(request.field("success_url"));
    session["cancel_url"] = json!(request.field("cancel_url"));
    session["client_reference_id"] = json!(request.field("client_reference_id"));
    session["customer_email"] = json!(request.field("customer_email"));
    session["payment_intent"] = Value::Null;
    HttpResponse::Ok().json(session)
}

/// `application/x-www-form-urlencoded` pairs: `+` is a space, `%XX` a byte.
fn decode_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 form")
}
