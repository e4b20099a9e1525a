//! The marketplace over HTTP on both backends: creators' packs, the catalog's search and
//! recommendations, buying through the sandbox checkout (one-time and subscription, with
//! signed provider events for lapses and renewals), reviews, earnings, the admin routes,
//! and who may reach which of them.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;
use waqup::providers::payments::signature::sign;

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, Tokens, expect_error, expect_status, tokens_of};
use crate::library_fixtures::{AUDIO_BYTES, ItemSpec, ready_item};
use crate::ws::Incoming;

backend_tests!(
    a_pack_is_found_bought_and_played,
    subscriptions_lapse_and_renew,
    search_and_recommendations,
    who_may_reach_what,
    suspension_closes_everything,
    a_deleted_creators_packs_leave_the_search_at_once,
);

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

const CATALOG: &str = "/api/v1/catalog/packs";
const MY_PACKS: &str = "/api/v1/creators/me/packs";
const CHECKOUT: &str = "/api/v1/payments/checkout";
const PURCHASES: &str = "/api/v1/payments/purchases";
const WEBHOOK: &str = "/api/v1/payments/webhook";
/// The webhook secret the subscription test spawns its app with (the sandbox signs
/// with it too, so the test can sign events of its own).
const WEBHOOK_SECRET: &str = "whsec_test";
const ADMIN_EMAIL: &str = "admin@example.com";

/// Any request, with an optional bearer token and an optional JSON body.
async fn call(
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

async fn get_as(app: &TestApp, user: &Tokens, path: &str) -> Value {
    expect_status(app.get(path, Some(&user.access)).await, StatusCode::OK).await
}

async fn post_as(app: &TestApp, user: &Tokens, path: &str, body: Value) -> Response {
    app.send_json(Method::POST, path, Some(&user.access), &body)
        .await
}

/// A new user who became a creator (with the same token).
async fn creator(app: &TestApp) -> Tokens {
    let user = app.signed_up_user().await;
    let profile = expect_status(
        post_as(app, &user, "/api/v1/creators/me", json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(profile["role"], "creator", "{profile}");
    assert_eq!(profile["id"], user.user_id.to_string());
    user
}

/// The administrator `admin@example.com`, created in the store and signed in.
async fn admin(app: &TestApp) -> Tokens {
    app.create_account(ADMIN_EMAIL, waqup::domain::Role::Admin)
        .await;
    let body = expect_status(app.login(ADMIN_EMAIL, PASSWORD).await, StatusCode::OK).await;
    assert_eq!(body["user"]["role"], "admin", "{body}");
    tokens_of(&body, ADMIN_EMAIL)
}

/// A one-time pack body at `price` with these items.
fn one_time(title: &str, description: &str, price: f64, tags: &[&str], items: &[Uuid]) -> Value {
    json!({
        "title": title,
        "description": description,
        "price_type": "one_time",
        "price_amount": price,
        "tags": tags,
        "item_ids": items,
    })
}

/// A monthly subscription pack body at `price` with these items.
fn monthly(title: &str, description: &str, price: f64, tags: &[&str], items: &[Uuid]) -> Value {
    let mut body = one_time(title, description, price, tags, items);
    body["price_type"] = json!("subscription");
    body["subscription_interval"] = json!("monthly");
    body
}

/// A free pack body with these items.
fn free(title: &str, description: &str, tags: &[&str], items: &[Uuid]) -> Value {
    let mut body = one_time(title, description, 0.0, tags, items);
    body["price_type"] = json!("free");
    body
}

/// Small edits of a pack body.
trait BodyEdits {
    fn priced(self, amount: f64) -> Value;
    fn without(self, field: &str) -> Value;
}

impl BodyEdits for Value {
    fn priced(mut self, amount: f64) -> Value {
        self["price_amount"] = json!(amount);
        self
    }

    fn without(mut self, field: &str) -> Value {
        self.as_object_mut().expect("an object").remove(field);
        self
    }
}

/// Creates a draft pack, expecting 201.
async fn create_pack(app: &TestApp, creator: &Tokens, body: Value) -> Value {
    let pack = expect_status(
        post_as(app, creator, MY_PACKS, body).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(pack["status"], "draft", "{pack}");
    assert_eq!(pack["creator"]["id"], creator.user_id.to_string());
    pack
}

fn pack_path(id: Uuid) -> String {
    format!("{MY_PACKS}/{id}")
}

fn catalog_path(id: Uuid) -> String {
    format!("{CATALOG}/{id}")
}

fn id_of(value: &Value) -> Uuid {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {value}"))
        .parse()
        .expect("uuid")
}

/// Publishes a pack, expecting 200.
async fn publish(app: &TestApp, creator: &Tokens, id: Uuid) -> Value {
    let pack = expect_status(
        post_as(
            app,
            creator,
            &format!("{}/publish", pack_path(id)),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pack["status"], "published", "{pack}");
    assert!(pack["published_at"].is_string(), "{pack}");
    pack
}

/// A published pack of `creator` holding a fresh ready item tagged `item_tags`; returns
/// the pack's id and the item's.
async fn published_pack(
    app: &TestApp,
    creator: &Tokens,
    item_tags: &[&str],
    body: impl FnOnce(&[Uuid]) -> Value,
) -> (Uuid, Uuid) {
    let item = ready_item(
        app,
        creator.user_id,
        ItemSpec::new("Pack Ritual").tags(item_tags),
    )
    .await;
    let pack = create_pack(app, creator, body(&[item])).await;
    let id = id_of(&pack);
    publish(app, creator, id).await;
    (id, item)
}

/// `GET /catalog/packs{query}` without a token, expecting 200.
async fn catalog(app: &TestApp, query: &str) -> Value {
    expect_status(
        app.get(&format!("{CATALOG}{query}"), None).await,
        StatusCode::OK,
    )
    .await
}

fn packs(list: &Value) -> &Vec<Value> {
    list["packs"]
        .as_array()
        .unwrap_or_else(|| panic!("no packs: {list}"))
}

/// The titles of a catalog page, as a set.
fn titles(list: &Value) -> BTreeSet<String> {
    packs(list)
        .iter()
        .map(|p| p["title"].as_str().expect("title").to_owned())
        .collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

/// The titles a catalog query finds, checking that the page holds every match.
async fn found(app: &TestApp, query: &str) -> BTreeSet<String> {
    let list = catalog(app, query).await;
    assert_eq!(
        list["pagination"]["total"],
        packs(&list).len(),
        "{query}: {list}"
    );
    for pack in packs(&list) {
        assert_eq!(pack["status"], "published", "{query}: {pack}");
    }
    titles(&list)
}

/// A pack's catalog page as `user` (or anonymously).
async fn detail(app: &TestApp, user: Option<&Tokens>, id: Uuid) -> Value {
    let response = app
        .get(&catalog_path(id), user.map(|u| u.access.as_str()))
        .await;
    expect_status(response, StatusCode::OK).await
}

/// Opens a checkout of `pack` for `buyer`, expecting 201.
async fn open_checkout(app: &TestApp, buyer: &Tokens, pack: Uuid) -> Value {
    let checkout = expect_status(
        post_as(app, buyer, CHECKOUT, json!({ "pack_id": pack })).await,
        StatusCode::CREATED,
    )
    .await;
    let session = checkout["session_id"].as_str().expect("session_id");
    assert!(session.starts_with("cs_sandbox_"), "{checkout}");
    assert_eq!(
        checkout["checkout_url"],
        app.url(&format!("/sandbox/checkout/{session}")),
        "the sandbox's page on this server"
    );
    checkout
}

/// Answers the sandbox's checkout page with `outcome` (`pay` or `cancel`).
async fn finish(app: &TestApp, checkout_url: &str, outcome: &str) -> Response {
    app.client
        .post(checkout_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("outcome={outcome}"))
        .send()
        .await
        .expect("sandbox checkout")
}

/// Buys `pack` as `buyer` through the sandbox: the checkout page shows it and paying
/// sends the buyer to the success URL. Returns the checkout.
async fn buy(app: &TestApp, buyer: &Tokens, pack: Uuid, title: &str, price: &str) -> Value {
    let checkout = open_checkout(app, buyer, pack).await;
    let url = checkout["checkout_url"].as_str().unwrap();
    let page = app.client.get(url).send().await.expect("checkout page");
    assert_eq!(page.status(), StatusCode::OK);
    let content_type = page.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let html = page.text().await.unwrap();
    assert!(html.contains(title), "the page names the pack: {html}");
    assert!(
        html.contains(price),
        "the page shows the price {price}: {html}"
    );
    assert!(html.contains("value=\"pay\""), "{html}");
    let paid = finish(app, url, "pay").await;
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    assert_eq!(paid.headers()["location"], "/?checkout=success");
    checkout
}

/// Downloads a playback URL (relative ones from the app) and returns its bytes.
async fn fetch_audio(app: &TestApp, url: &str) -> Vec<u8> {
    let absolute = if url.starts_with('/') {
        app.url(url)
    } else {
        url.to_owned()
    };
    let response = app.client.get(&absolute).send().await.expect("audio");
    assert_eq!(response.status(), StatusCode::OK, "fetching {absolute}");
    response.bytes().await.expect("audio body").to_vec()
}

async fn play(app: &TestApp, user: &Tokens, item: Uuid) -> Response {
    call(
        app,
        Method::POST,
        &format!("/api/v1/content/{item}/play"),
        Some(&user.access),
        None,
    )
    .await
}

/// Whether `user` holds `pack`: its page says so, and its item opens and plays (or is
/// not found) accordingly.
async fn holds(app: &TestApp, user: &Tokens, pack: Uuid, item: Uuid) -> bool {
    let page = detail(app, Some(user), pack).await;
    let access = page["user_has_access"]
        .as_bool()
        .unwrap_or_else(|| panic!("no user_has_access: {page}"));
    let ritual = page["rituals"]
        .as_array()
        .expect("rituals")
        .iter()
        .find(|r| r["id"] == item.to_string())
        .unwrap_or_else(|| panic!("{item} is not in the pack: {page}"));
    assert_eq!(ritual["audio_url"].is_string(), access, "{page}");
    let opened = app
        .get(&format!("/api/v1/content/{item}"), Some(&user.access))
        .await;
    let played = play(app, user, item).await;
    if access {
        let opened = expect_status(opened, StatusCode::OK).await;
        assert!(opened["audio_url"].is_string(), "{opened}");
        expect_status(played, StatusCode::CREATED).await;
    } else {
        expect_error(opened, StatusCode::NOT_FOUND, "NOT_FOUND").await;
        expect_error(played, StatusCode::NOT_FOUND, "NOT_FOUND").await;
    }
    access
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A provider event in Stripe's envelope, with an id of its own.
fn event(event_type: &str, created: i64, object: Value) -> Value {
    json!({
        "id": format!("evt_test_{}", Uuid::new_v4().simple()),
        "object": "event",
        "type": event_type,
        "created": created,
        "data": { "object": object },
    })
}

/// Posts `event` to the webhook signed with `secret` now.
async fn deliver_signed(app: &TestApp, secret: &str, event: &Value) -> Response {
    let body = serde_json::to_vec(event).unwrap();
    app.client
        .post(app.url(WEBHOOK))
        .header(
            "Stripe-Signature",
            sign(secret.as_bytes(), unix_now(), &body),
        )
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("webhook")
}

/// Posts a correctly signed event; returns the webhook's `outcome`.
async fn deliver(app: &TestApp, event: &Value) -> String {
    let answer = expect_status(
        deliver_signed(app, WEBHOOK_SECRET, event).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(answer["received"], true, "{answer}");
    answer["outcome"].as_str().expect("outcome").to_owned()
}

/// An invoice of `subscription` paying for the period to `period_end`.
fn invoice(id: &str, subscription: &str, reason: &str, period_end: i64) -> Value {
    json!({
        "id": id,
        "object": "invoice",
        "amount_paid": 499,
        "currency": "usd",
        "billing_reason": reason,
        "parent": { "subscription_details": { "subscription": subscription } },
        "lines": { "data": [{ "period": { "end": period_end } }] },
    })
}

/// `GET /admin/audit-log{query}` as `admin`: its entries.
async fn audit(app: &TestApp, admin: &Tokens, query: &str) -> Vec<Value> {
    let log = get_as(app, admin, &format!("/api/v1/admin/audit-log{query}")).await;
    log["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("no entries: {log}"))
        .clone()
}

async fn earnings(app: &TestApp, creator: &Tokens) -> Value {
    get_as(app, creator, "/api/v1/creators/me/earnings").await
}

/// The creator's net earnings in cents (one currency, `usd`).
fn earned_cents(earnings: &Value) -> i64 {
    let totals = earnings["totals"].as_array().expect("totals");
    assert_eq!(totals.len(), 1, "{earnings}");
    assert_eq!(totals[0]["currency"], "usd", "{earnings}");
    totals[0]["amount_cents"].as_i64().expect("amount_cents")
}

// ---------------------------------------------------------------------------------
// Buying
// ---------------------------------------------------------------------------------

/// A creator's one-time pack is found by a word of its description, bought through the
/// sandbox checkout, then opened and played by the buyer; the creator earns 70 % of
/// the price and sees the sale and the play; the buyer reviews it once.
async fn a_pack_is_found_bought_and_played(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let creator = creator(&app).await;
    expect_status(
        app.send_json(
            Method::PUT,
            "/api/v1/users/me",
            Some(&creator.access),
            &json!({ "display_name": "Mara" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let first = ready_item(
        &app,
        creator.user_id,
        ItemSpec::new("Harbour Breath").tags(&["sleep"]),
    )
    .await;
    let second = ready_item(
        &app,
        creator.user_id,
        ItemSpec::new("Night Tide").tags(&["sleep", "calm"]),
    )
    .await;
    // Prices are checked as a whole.
    let invalid = [
        one_time("Too Cheap", "", 0.49, &[], &[first]),
        free("Not Free", "", &[], &[first]).priced(1.0),
        monthly("No Interval", "", 4.99, &[], &[first]).without("subscription_interval"),
        one_time("", "", 9.99, &[], &[first]),
        one_time("Cents", "", 9.999, &[], &[first]),
    ];
    for body in invalid {
        let response = post_as(&app, &creator, MY_PACKS, body.clone()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        expect_error(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        )
        .await;
    }
    let draft = create_pack(
        &app,
        &creator,
        one_time(
            "Evening Harbour",
            "Two rituals that guide you home like a lighthouse",
            9.99,
            &["sleep"],
            &[first, second],
        ),
    )
    .await;
    let pack = id_of(&draft);
    assert_eq!(draft["price_type"], "one_time");
    assert_eq!(draft["price_cents"], 999);
    assert_eq!(draft["price_amount"], 9.99);
    assert_eq!(draft["currency"], "usd");
    assert_eq!(draft["ritual_count"], 2);
    assert_eq!(draft["tags"], json!(["sleep"]));
    assert_eq!(draft["creator"]["name"], "Mara");
    assert!(draft["rating"].is_null(), "{draft}");
    assert_eq!(draft["review_count"], 0);

    // A draft is nobody's to find, nor to open but its creator's.
    assert!(found(&app, "?search=lighthouse").await.is_empty());
    let buyer = app.signed_up_user().await;
    expect_error(
        app.get(&catalog_path(pack), Some(&buyer.access)).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    assert_eq!(detail(&app, Some(&creator), pack).await["status"], "draft");
    publish(&app, &creator, pack).await;

    // Found by the word of its description only; a word in nothing finds nothing.
    let results = expect_status(
        app.get(&format!("{CATALOG}?search=lighthouse"), Some(&buyer.access))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(packs(&results).len(), 1, "{results}");
    assert_eq!(packs(&results)[0]["id"], pack.to_string());
    assert_eq!(packs(&results)[0]["ritual_count"], 2);
    assert_eq!(results["pagination"]["total"], 1);
    let nothing = catalog(&app, "?search=submarine").await;
    assert!(packs(&nothing).is_empty(), "{nothing}");
    assert_eq!(nothing["pagination"]["total"], 0);

    // Before buying: the items are listed without audio and do not open or play.
    for viewer in [None, Some(&buyer)] {
        let page = detail(&app, viewer, pack).await;
        assert_eq!(page["user_has_access"], false, "{page}");
        assert_eq!(page["title"], "Evening Harbour");
        let rituals = page["rituals"].as_array().expect("rituals");
        let ids: Vec<&str> = rituals.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [first.to_string(), second.to_string()],
            "in pack order"
        );
        assert_eq!(rituals[0]["title"], "Harbour Breath");
        assert_eq!(rituals[0]["duration"], 300);
        assert_eq!(rituals[0]["practice_type"], "ritual");
        assert_eq!(rituals[1]["tags"], json!(["sleep", "calm"]));
        for ritual in rituals {
            assert!(ritual["audio_url"].is_null(), "{page}");
        }
    }
    assert!(!holds(&app, &buyer, pack, first).await);
    expect_error(
        post_as(
            &app,
            &buyer,
            &format!("{}/reviews", catalog_path(pack)),
            json!({ "rating": 5 }),
        )
        .await,
        StatusCode::FORBIDDEN,
        "NOT_A_BUYER",
    )
    .await;

    // Buying through the sandbox.
    let checkout = buy(&app, &buyer, pack, "Evening Harbour", "9.99 USD").await;
    let bought = get_as(&app, &buyer, PURCHASES).await;
    let purchase = &bought["purchases"][0];
    assert_eq!(bought["purchases"].as_array().unwrap().len(), 1, "{bought}");
    assert_eq!(purchase["id"], checkout["purchase_id"]);
    assert_eq!(purchase["status"], "paid", "{purchase}");
    assert_eq!(purchase["kind"], "pack");
    assert_eq!(purchase["pack_id"], pack.to_string());
    assert_eq!(purchase["pack_title"], "Evening Harbour");
    assert_eq!(purchase["amount_cents"], 999);
    assert_eq!(purchase["provider"], "sandbox");
    assert_eq!(purchase["subscription"], false);
    assert!(purchase["paid_at"].is_string(), "{purchase}");
    // The page of a paid checkout offers nothing more, and it cannot be paid twice.
    let url = checkout["checkout_url"].as_str().unwrap();
    let page = app
        .client
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("value=\"pay\""), "{page}");
    expect_error(
        finish(&app, url, "pay").await,
        StatusCode::CONFLICT,
        "CONFLICT",
    )
    .await;

    // After: every item has a playback URL that serves its audio, opens and plays.
    let page = detail(&app, Some(&buyer), pack).await;
    assert_eq!(page["user_has_access"], true, "{page}");
    for ritual in page["rituals"].as_array().unwrap() {
        let url = ritual["audio_url"]
            .as_str()
            .unwrap_or_else(|| panic!("no audio_url: {page}"));
        assert_eq!(fetch_audio(&app, url).await, AUDIO_BYTES);
    }
    let opened = get_as(&app, &buyer, &format!("/api/v1/content/{first}")).await;
    assert_eq!(opened["id"], first.to_string());
    assert_eq!(opened["title"], "Harbour Breath");
    let url = opened["audio_url"].as_str().expect("audio_url");
    assert_eq!(fetch_audio(&app, url).await, AUDIO_BYTES);
    let started = expect_status(play(&app, &buyer, first).await, StatusCode::CREATED).await;
    assert!(started["practice_event_id"].is_string(), "{started}");
    // Anonymous readers still get no audio.
    assert_eq!(detail(&app, None, pack).await["user_has_access"], false);
    // Someone who did not buy still cannot play it.
    let stranger = app.signed_up_user().await;
    assert!(!holds(&app, &stranger, pack, second).await);

    // The creator earns their share of the sale and sees the sale and the play.
    let earned = earnings(&app, &creator).await;
    assert_eq!(earned_cents(&earned), 699, "70 % of 9.99: {earned}");
    assert_eq!(earned["totals"][0]["amount"], 6.99);
    assert_eq!(earned["share_percent"], 70);
    let rewards = earned["rewards"].as_array().expect("rewards");
    assert_eq!(rewards.len(), 1, "{earned}");
    assert_eq!(rewards[0]["kind"], "sale");
    assert_eq!(rewards[0]["gross_cents"], 999);
    assert_eq!(rewards[0]["amount_cents"], 699);
    assert_eq!(rewards[0]["pack_id"], pack.to_string());
    assert_eq!(rewards[0]["purchase_id"], checkout["purchase_id"]);
    let analytics = get_as(&app, &creator, "/api/v1/creators/me/analytics").await;
    assert_eq!(analytics["total_sales"], 1, "{analytics}");
    assert_eq!(analytics["total_plays"], 1, "{analytics}");
    assert_eq!(analytics["total_earnings_cents"], 699, "{analytics}");
    assert_eq!(analytics["packs"][0]["pack_id"], pack.to_string());
    assert_eq!(analytics["packs"][0]["sales"], 1);
    assert_eq!(analytics["packs"][0]["plays"], 1);
    // The creator's own plays are not counted.
    expect_status(play(&app, &creator, first).await, StatusCode::CREATED).await;
    let analytics = get_as(&app, &creator, "/api/v1/creators/me/analytics").await;
    assert_eq!(analytics["total_plays"], 1, "{analytics}");

    // Bought once: a second checkout is refused.
    expect_error(
        post_as(&app, &buyer, CHECKOUT, json!({ "pack_id": pack })).await,
        StatusCode::CONFLICT,
        "ALREADY_OWNED",
    )
    .await;

    // The buyer reviews once; others cannot.
    let reviews = format!("{}/reviews", catalog_path(pack));
    let review = expect_status(
        post_as(
            &app,
            &buyer,
            &reviews,
            json!({ "rating": 4, "body": "  Calming.  " }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(review["rating"], 4);
    assert_eq!(review["body"], "Calming.");
    assert_eq!(review["pack_id"], pack.to_string());
    assert_eq!(review["author"]["id"], buyer.user_id.to_string());
    expect_error(
        post_as(&app, &buyer, &reviews, json!({ "rating": 1 })).await,
        StatusCode::CONFLICT,
        "ALREADY_REVIEWED",
    )
    .await;
    expect_error(
        post_as(&app, &stranger, &reviews, json!({ "rating": 1 })).await,
        StatusCode::FORBIDDEN,
        "NOT_A_BUYER",
    )
    .await;
    expect_error(
        post_as(&app, &buyer, &reviews, json!({ "rating": 6 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    let listed = expect_status(app.get(&reviews, None).await, StatusCode::OK).await;
    assert_eq!(listed["pagination"]["total"], 1, "{listed}");
    assert_eq!(listed["reviews"][0]["id"], review["id"]);
    // The rating shows on the pack's page and in the (cached) search at once.
    let page = detail(&app, None, pack).await;
    assert_eq!(page["rating"], 4.0, "{page}");
    assert_eq!(page["review_count"], 1, "{page}");
    let results = catalog(&app, "?search=lighthouse").await;
    assert_eq!(packs(&results)[0]["rating"], 4.0, "{results}");
    assert_eq!(packs(&results)[0]["review_count"], 1, "{results}");
}

/// A monthly subscription: paid through the sandbox it opens the pack; the provider's
/// signed events then end it, renew it (a new sale for the creator), fail a payment and
/// renew it again. Events older than the state applied last change no access, events
/// seen before change nothing, and badly signed ones are refused.
async fn subscriptions_lapse_and_renew(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .env("WAQUP_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .spawn()
        .await
    else {
        return;
    };
    let creator = creator(&app).await;
    let (pack, item) = published_pack(&app, &creator, &["focus"], |items| {
        monthly(
            "Monthly Focus",
            "A new focus ritual every month",
            4.99,
            &["focus"],
            items,
        )
    })
    .await;
    let page = detail(&app, None, pack).await;
    assert_eq!(page["price_type"], "subscription");
    assert_eq!(page["subscription_interval"], "monthly");
    assert_eq!(page["price_cents"], 499);

    let buyer = app.signed_up_user().await;
    assert!(!holds(&app, &buyer, pack, item).await);
    let checkout = buy(&app, &buyer, pack, "Monthly Focus", "4.99 USD per period").await;
    assert!(
        holds(&app, &buyer, pack, item).await,
        "a paid subscription opens the pack"
    );
    let bought = get_as(&app, &buyer, PURCHASES).await;
    assert_eq!(bought["purchases"][0]["status"], "paid", "{bought}");
    assert_eq!(bought["purchases"][0]["subscription"], true, "{bought}");
    assert_eq!(
        earned_cents(&earnings(&app, &creator).await),
        349,
        "70 % of 4.99"
    );
    let session = checkout["session_id"].as_str().unwrap();
    let subscription = session.replace("cs_sandbox_", "sub_sandbox_");
    // Later than every event the sandbox sent.
    let base = unix_now() + 1;
    let in_a_month = unix_now() + 30 * 86_400;

    // Cancelled: access ends.
    let deleted = event(
        "customer.subscription.deleted",
        base + 10,
        json!({ "id": subscription, "object": "subscription", "status": "canceled" }),
    );
    assert_eq!(deliver(&app, &deleted).await, "applied");
    assert!(
        !holds(&app, &buyer, pack, item).await,
        "a cancelled subscription closes the pack"
    );
    // The same event again is acknowledged and changes nothing.
    assert_eq!(deliver(&app, &deleted).await, "duplicate");

    // A renewal invoice, later: access is back and the creator earns again.
    let renewal = event(
        "invoice.paid",
        base + 20,
        invoice(
            "in_test_renewal_1",
            &subscription,
            "subscription_cycle",
            in_a_month,
        ),
    );
    assert_eq!(deliver(&app, &renewal).await, "applied");
    assert!(
        holds(&app, &buyer, pack, item).await,
        "a renewal reopens the pack"
    );
    assert_eq!(deliver(&app, &renewal).await, "duplicate");
    let earned = earnings(&app, &creator).await;
    assert_eq!(earned_cents(&earned), 698, "two sales of 4.99: {earned}");
    assert_eq!(earned["rewards"].as_array().unwrap().len(), 2, "{earned}");
    let bought = get_as(&app, &buyer, PURCHASES).await;
    let paid: Vec<&Value> = bought["purchases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "paid" && p["pack_id"] == pack.to_string())
        .collect();
    assert_eq!(
        paid.len(),
        2,
        "the renewal is a purchase of its own: {bought}"
    );
    let analytics = get_as(&app, &creator, "/api/v1/creators/me/analytics").await;
    assert_eq!(analytics["total_sales"], 2, "{analytics}");

    // A failed payment ends access again.
    let failed = event(
        "invoice.payment_failed",
        base + 30,
        invoice(
            "in_test_failed_1",
            &subscription,
            "subscription_cycle",
            in_a_month,
        ),
    );
    assert_eq!(deliver(&app, &failed).await, "applied");
    assert!(
        !holds(&app, &buyer, pack, item).await,
        "a failed payment closes the pack"
    );

    // An update older than the failure does not reopen it.
    let stale = event(
        "customer.subscription.updated",
        base + 25,
        json!({
            "id": subscription, "object": "subscription", "status": "active",
            "items": { "data": [{ "current_period_end": in_a_month }] },
        }),
    );
    deliver(&app, &stale).await;
    assert!(
        !holds(&app, &buyer, pack, item).await,
        "a stale event changes no access"
    );

    // A badly signed event is refused and changes nothing.
    let mut forged = stale.clone();
    forged["id"] = json!(format!("evt_test_{}", Uuid::new_v4().simple()));
    forged["created"] = json!(base + 100);
    expect_error(
        deliver_signed(&app, "whsec_someone_else", &forged).await,
        StatusCode::BAD_REQUEST,
        "INVALID_SIGNATURE",
    )
    .await;
    assert!(
        !holds(&app, &buyer, pack, item).await,
        "a forged event changes nothing"
    );

    // A later update to active with a period in the future reopens it.
    let reactivated = event(
        "customer.subscription.updated",
        base + 40,
        json!({
            "id": subscription, "object": "subscription", "status": "active",
            "items": { "data": [{ "current_period_end": in_a_month }] },
        }),
    );
    assert_eq!(deliver(&app, &reactivated).await, "applied");
    assert!(
        holds(&app, &buyer, pack, item).await,
        "a reactivated subscription reopens the pack"
    );
    // Holding it again, a second checkout is refused.
    expect_error(
        post_as(&app, &buyer, CHECKOUT, json!({ "pack_id": pack })).await,
        StatusCode::CONFLICT,
        "ALREADY_OWNED",
    )
    .await;
    assert_eq!(
        earned_cents(&earnings(&app, &creator).await),
        698,
        "no sale without an invoice"
    );

    // Each applied event is in the audit log, by the payment provider.
    let admin = admin(&app).await;
    for applied in [&deleted, &renewal, &failed, &reactivated] {
        let id = applied["id"].as_str().unwrap();
        let entries = audit(
            &app,
            &admin,
            &format!("?action=payment.event_applied&target_id={id}"),
        )
        .await;
        assert_eq!(entries.len(), 1, "{id}: {entries:?}");
        assert_eq!(entries[0]["actor_role"], "payment_provider");
        assert!(entries[0]["actor_id"].is_null());
        assert_eq!(entries[0]["details"]["type"], applied["type"]);
    }
    let forged_id = forged["id"].as_str().unwrap();
    assert!(
        audit(&app, &admin, &format!("?target_id={forged_id}"))
            .await
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------
// Search and recommendations
// ---------------------------------------------------------------------------------

/// Only published packs are listed: by stemmed words, tags, creator, price type and
/// page. Archiving or renaming a pack shows in the next search at once. Recommendations
/// follow what each person practised.
async fn search_and_recommendations(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let ana = creator(&app).await;
    let ben = creator(&app).await;
    let (breathing, _) = published_pack(&app, &ana, &["focus", "morning"], |items| {
        one_time(
            "Morning Breathing",
            "Slow breathing for the start of the day",
            5.0,
            &["focus", "morning"],
            items,
        )
    })
    .await;
    let (deep_sleep, _) = published_pack(&app, &ana, &["sleep"], |items| {
        free("Deep Sleep Harbour", "Drift into rest", &["sleep"], items)
    })
    .await;
    let (wind_down, _) = published_pack(&app, &ben, &["sleep", "evening"], |items| {
        monthly(
            "Evening Wind Down",
            "Unwind after work",
            4.99,
            &["sleep", "evening"],
            items,
        )
    })
    .await;
    let (desk_focus, _) = published_pack(&app, &ben, &["focus"], |items| {
        one_time(
            "Desk Focus",
            "Concentration at work",
            3.0,
            &["focus"],
            items,
        )
    })
    .await;
    // Never listed: a draft and an archived pack that match the same words and tags.
    let item = ready_item(
        &app,
        ana.user_id,
        ItemSpec::new("Unlisted").tags(&["focus"]),
    )
    .await;
    let draft = id_of(
        &create_pack(
            &app,
            &ana,
            one_time(
                "Draft Breathing",
                "Breathing at work",
                2.0,
                &["focus"],
                &[item],
            ),
        )
        .await,
    );
    let (retired, _) = published_pack(&app, &ana, &["focus"], |items| {
        one_time(
            "Retired Breathing",
            "Breathing at work",
            2.0,
            &["focus", "sleep"],
            items,
        )
    })
    .await;
    expect_status(
        post_as(
            &app,
            &ana,
            &format!("{}/archive", pack_path(retired)),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    // Archived packs are read-only; an archived pack still has its page.
    expect_error(
        app.send_json(
            Method::PATCH,
            &pack_path(retired),
            Some(&ana.access),
            &json!({ "title": "Back" }),
        )
        .await,
        StatusCode::CONFLICT,
        "PACK_STATUS",
    )
    .await;
    expect_error(
        post_as(
            &app,
            &ana,
            &format!("{}/publish", pack_path(retired)),
            json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "PACK_STATUS",
    )
    .await;
    assert_eq!(detail(&app, None, retired).await["status"], "archived");
    expect_error(
        app.get(&catalog_path(draft), None).await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;

    let all = set(&[
        "Morning Breathing",
        "Deep Sleep Harbour",
        "Evening Wind Down",
        "Desk Focus",
    ]);
    assert_eq!(found(&app, "").await, all);
    // Words are stemmed alike in the query and the text, on both backends.
    assert_eq!(
        found(&app, "?search=breathe").await,
        set(&["Morning Breathing"])
    );
    assert_eq!(
        found(&app, "?search=BREATHES").await,
        set(&["Morning Breathing"])
    );
    assert_eq!(
        found(&app, "?search=drifting").await,
        set(&["Deep Sleep Harbour"])
    );
    assert_eq!(
        found(&app, "?search=work").await,
        set(&["Evening Wind Down", "Desk Focus"])
    );
    assert_eq!(
        found(&app, "?search=unwind%20work").await,
        set(&["Evening Wind Down"])
    );
    assert!(
        found(&app, "?search=unwind%20concentration")
            .await
            .is_empty(),
        "every word must match"
    );
    // Tags (all of them), creator and price type, alone and together.
    assert_eq!(
        found(&app, "?tags=sleep").await,
        set(&["Deep Sleep Harbour", "Evening Wind Down"])
    );
    assert_eq!(
        found(&app, "?tags=sleep,evening").await,
        set(&["Evening Wind Down"])
    );
    assert_eq!(
        found(&app, "?tags=Focus").await,
        set(&["Morning Breathing", "Desk Focus"])
    );
    assert!(found(&app, "?tags=nothing").await.is_empty());
    assert_eq!(
        found(&app, &format!("?creator_id={}", ben.user_id)).await,
        set(&["Evening Wind Down", "Desk Focus"])
    );
    assert_eq!(
        found(&app, "?price_type=free").await,
        set(&["Deep Sleep Harbour"])
    );
    assert_eq!(
        found(&app, "?price_type=subscription").await,
        set(&["Evening Wind Down"])
    );
    assert_eq!(
        found(&app, "?price_type=one_time").await,
        set(&["Morning Breathing", "Desk Focus"])
    );
    assert_eq!(
        found(&app, &format!("?creator_id={}&tags=focus", ana.user_id)).await,
        set(&["Morning Breathing"])
    );
    assert_eq!(
        found(
            &app,
            &format!(
                "?search=work&price_type=one_time&creator_id={}",
                ben.user_id
            )
        )
        .await,
        set(&["Desk Focus"])
    );
    let subscriptions = catalog(&app, "?price_type=subscription").await;
    let subscription = &packs(&subscriptions)[0];
    assert_eq!(subscription["subscription_interval"], "monthly");
    assert_eq!(subscription["price_amount"], 4.99);

    // Pages of one: each pack once, the edges flagged.
    let mut paged = BTreeSet::new();
    for page in 1..=4 {
        let list = catalog(&app, &format!("?limit=1&page={page}")).await;
        assert_eq!(packs(&list).len(), 1, "{list}");
        let pagination = &list["pagination"];
        assert_eq!(pagination["page"], page, "{list}");
        assert_eq!(pagination["limit"], 1);
        assert_eq!(pagination["total"], 4);
        assert_eq!(pagination["pages"], 4);
        assert_eq!(pagination["has_prev"], page > 1, "{list}");
        assert_eq!(pagination["has_next"], page < 4, "{list}");
        paged.insert(packs(&list)[0]["title"].as_str().unwrap().to_owned());
    }
    assert_eq!(paged, all);
    let past = catalog(&app, "?limit=1&page=5").await;
    assert!(packs(&past).is_empty(), "{past}");
    assert_eq!(past["pagination"]["has_next"], false);
    let newest = catalog(&app, "?limit=2").await;
    assert_eq!(
        packs(&newest)[0]["id"],
        desk_focus.to_string(),
        "newest first: {newest}"
    );
    expect_error(
        app.get(&format!("{CATALOG}?price_type=cheap"), None).await,
        StatusCode::BAD_REQUEST,
        "INVALID_QUERY",
    )
    .await;

    // Archiving shows in the next search at once (the cached result is not served).
    assert_eq!(found(&app, "?search=work").await.len(), 2);
    expect_status(
        post_as(
            &app,
            &ben,
            &format!("{}/archive", pack_path(desk_focus)),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        found(&app, "?search=work").await,
        set(&["Evening Wind Down"])
    );
    assert_eq!(
        found(&app, "?tags=focus").await,
        set(&["Morning Breathing"])
    );
    // So does a new title: a search that found nothing finds it right after.
    assert!(found(&app, "?search=sunrise").await.is_empty());
    let renamed = expect_status(
        app.send_json(
            Method::PATCH,
            &pack_path(breathing),
            Some(&ana.access),
            &json!({ "title": "Sunrise Breathing" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["title"], "Sunrise Breathing");
    assert_eq!(
        renamed["description"],
        "Slow breathing for the start of the day"
    );
    assert_eq!(
        found(&app, "?search=sunrise").await,
        set(&["Sunrise Breathing"])
    );
    assert!(
        found(&app, "?search=morning").await.is_empty(),
        "the old title is gone"
    );
    assert_eq!(
        found(&app, "?search=breathe").await,
        set(&["Sunrise Breathing"])
    );
    // Publishing shows at once too.
    expect_status(
        post_as(
            &app,
            &ana,
            &format!("{}/publish", pack_path(draft)),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        found(&app, "?search=breathe").await,
        set(&["Sunrise Breathing", "Draft Breathing"])
    );

    // Recommendations: one person practises sleep in the evening, another focus in
    // the morning; each gets the pack nearest their practice first.
    let sleeper = app.signed_up_user().await;
    let sleepy = ready_item(
        &app,
        sleeper.user_id,
        ItemSpec::new("Lights Out").tags(&["sleep", "evening"]),
    )
    .await;
    let worker = app.signed_up_user().await;
    let focused = ready_item(
        &app,
        worker.user_id,
        ItemSpec::new("Deep Work").tags(&["focus", "morning"]),
    )
    .await;
    for _ in 0..2 {
        expect_status(play(&app, &sleeper, sleepy).await, StatusCode::CREATED).await;
        expect_status(play(&app, &worker, focused).await, StatusCode::CREATED).await;
    }
    let picks_of = |user: Tokens| {
        let app = &app;
        async move {
            let body = get_as(app, &user, "/api/v1/catalog/recommendations").await;
            let picks = body["recommendations"]
                .as_array()
                .unwrap_or_else(|| panic!("no recommendations: {body}"))
                .clone();
            for pick in &picks {
                assert_eq!(pick["pack_id"], pick["pack"]["id"], "{pick}");
                assert_eq!(pick["pack"]["status"], "published", "{pick}");
                let score = pick["score"].as_f64().expect("score");
                assert!((0.0..=1.0).contains(&score), "{pick}");
                assert!(
                    pick["reason"].as_str().is_some_and(|r| !r.is_empty()),
                    "{pick}"
                );
            }
            picks
        }
    };
    let for_sleeper = picks_of(sleeper.clone()).await;
    let for_worker = picks_of(worker.clone()).await;
    let ids = |picks: &[Value]| -> Vec<String> {
        picks
            .iter()
            .map(|p| p["pack_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let published: BTreeSet<String> = [breathing, deep_sleep, wind_down, draft]
        .iter()
        .map(Uuid::to_string)
        .collect();
    assert_eq!(
        ids(&for_sleeper).into_iter().collect::<BTreeSet<_>>(),
        published,
        "every published pack, nothing archived: {for_sleeper:?}"
    );
    assert_eq!(
        for_sleeper[0]["pack_id"],
        wind_down.to_string(),
        "{for_sleeper:?}"
    );
    assert_eq!(
        for_worker[0]["pack_id"],
        breathing.to_string(),
        "{for_worker:?}"
    );
    let sleeper_reason = for_sleeper[0]["reason"].as_str().unwrap();
    assert!(
        sleeper_reason.contains("sleep") || sleeper_reason.contains("evening"),
        "{sleeper_reason}"
    );
    let worker_reason = for_worker[0]["reason"].as_str().unwrap();
    assert!(
        worker_reason.contains("focus") || worker_reason.contains("morning"),
        "{worker_reason}"
    );
    // Best first; a pack that shares half the tags comes before one that shares none.
    for picks in [&for_sleeper, &for_worker] {
        let scores: Vec<f64> = picks.iter().map(|p| p["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert!(scores[0] > scores[scores.len() - 1], "{scores:?}");
    }
    assert_eq!(
        for_sleeper[1]["pack_id"],
        deep_sleep.to_string(),
        "{for_sleeper:?}"
    );
    // A creator is not recommended their own packs.
    let for_ben = picks_of(ben.clone()).await;
    assert!(
        !ids(&for_ben).contains(&wind_down.to_string()),
        "{for_ben:?}"
    );
}

// ---------------------------------------------------------------------------------
// Authorization
// ---------------------------------------------------------------------------------

/// What a caller should get: a status, and the error code when it is an error.
type Outcome = (StatusCode, &'static str);

const OK: Outcome = (StatusCode::OK, "");
const CREATED: Outcome = (StatusCode::CREATED, "");
const NO_TOKEN: Outcome = (StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
const BAD_TOKEN: Outcome = (StatusCode::UNAUTHORIZED, "INVALID_TOKEN");
const FORBIDDEN: Outcome = (StatusCode::FORBIDDEN, "FORBIDDEN");
const NOT_FOUND: Outcome = (StatusCode::NOT_FOUND, "NOT_FOUND");
const NOT_A_BUYER: Outcome = (StatusCode::FORBIDDEN, "NOT_A_BUYER");
const BAD_SIGNATURE: Outcome = (StatusCode::BAD_REQUEST, "INVALID_SIGNATURE");

/// The callers of the matrix, in the order they call each route.
const CALLERS: [&str; 6] = [
    "anonymous",
    "bad token",
    "user",
    "other creator",
    "owner",
    "admin",
];

/// One route and what each of [`CALLERS`] gets from it, in that order.
struct Route {
    method: Method,
    path: String,
    body: Option<Value>,
    outcomes: [Outcome; 6],
}

fn route(method: Method, path: String, body: Option<Value>, outcomes: [Outcome; 6]) -> Route {
    Route {
        method,
        path,
        body,
        outcomes,
    }
}

/// Every route of the marketplace, as nobody, with a bad token, as a plain user, as a
/// creator who does not own the pack, as its owner and as an administrator: public
/// reads are open (but a bad token is refused), signed-in routes need a token, creator
/// routes a creator (and their own pack), admin routes an administrator. The webhook
/// and the sandbox page read no token at all.
async fn who_may_reach_what(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let owner = creator(&app).await;
    let other = creator(&app).await;
    let user = app.signed_up_user().await;
    let admin = admin(&app).await;
    let victim = app.signed_up_user().await;
    let (pack, _) = published_pack(&app, &owner, &["calm"], |items| {
        one_time("Owner's Pack", "Calm", 9.99, &["calm"], items)
    })
    .await;
    let item = ready_item(&app, owner.user_id, ItemSpec::new("To Publish")).await;
    let draft = id_of(
        &create_pack(
            &app,
            &owner,
            one_time("Owner's Draft", "", 1.0, &[], &[item]),
        )
        .await,
    );
    let (others_pack, _) = published_pack(&app, &other, &["calm"], |items| {
        one_time("Other's Pack", "Calm", 1.0, &["calm"], items)
    })
    .await;
    let alert = Uuid::now_v7();
    app.state
        .store
        .insert_crisis_alert(waqup::store::NewCrisisAlert {
            id: alert,
            user_id: victim.user_id,
            session_id: None,
            severity: "high".into(),
            trigger_type: "distress".into(),
            signals: vec!["hopeless".into()],
            context: "nothing gets better".into(),
            now: waqup::time::now(),
        })
        .await
        .unwrap();
    let unknown_session = format!("/sandbox/checkout/cs_sandbox_{}", Uuid::new_v4().simple());
    let pack_page = catalog_path(pack);
    let owned = pack_path(pack);
    let victim_path = format!("/api/v1/admin/users/{}", victim.user_id);

    let routes = [
        // Public reads.
        route(
            Method::GET,
            CATALOG.into(),
            None,
            [OK, BAD_TOKEN, OK, OK, OK, OK],
        ),
        route(
            Method::GET,
            pack_page.clone(),
            None,
            [OK, BAD_TOKEN, OK, OK, OK, OK],
        ),
        route(
            Method::GET,
            format!("{pack_page}/reviews"),
            None,
            [OK, BAD_TOKEN, OK, OK, OK, OK],
        ),
        // A draft is its creator's alone.
        route(
            Method::GET,
            catalog_path(draft),
            None,
            [NOT_FOUND, BAD_TOKEN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND],
        ),
        // Signed in.
        route(
            Method::POST,
            format!("{pack_page}/reviews"),
            Some(json!({ "rating": 5 })),
            [
                NO_TOKEN,
                BAD_TOKEN,
                NOT_A_BUYER,
                NOT_A_BUYER,
                NOT_A_BUYER,
                NOT_A_BUYER,
            ],
        ),
        route(
            Method::GET,
            "/api/v1/catalog/recommendations".into(),
            None,
            [NO_TOKEN, BAD_TOKEN, OK, OK, OK, OK],
        ),
        route(
            Method::GET,
            PURCHASES.into(),
            None,
            [NO_TOKEN, BAD_TOKEN, OK, OK, OK, OK],
        ),
        route(
            Method::POST,
            CHECKOUT.into(),
            Some(json!({ "pack_id": pack })),
            [
                NO_TOKEN,
                BAD_TOKEN,
                CREATED,
                CREATED,
                (StatusCode::CONFLICT, "ALREADY_OWNED"),
                CREATED,
            ],
        ),
        route(
            Method::POST,
            CHECKOUT.into(),
            Some(json!({ "pack_id": draft })),
            [
                NO_TOKEN,
                BAD_TOKEN,
                NOT_FOUND,
                NOT_FOUND,
                (StatusCode::CONFLICT, "NOT_FOR_SALE"),
                NOT_FOUND,
            ],
        ),
        // Creators, on their own packs.
        route(
            Method::GET,
            MY_PACKS.into(),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, OK, OK, OK],
        ),
        route(
            Method::POST,
            MY_PACKS.into(),
            Some(free("Another", "", &[], &[])),
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, CREATED, CREATED, CREATED],
        ),
        route(
            Method::PATCH,
            owned.clone(),
            Some(json!({ "description": "Edited" })),
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND],
        ),
        route(
            Method::POST,
            format!("{}/publish", pack_path(draft)),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND],
        ),
        route(
            Method::GET,
            "/api/v1/creators/me/analytics".into(),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, OK, OK, OK],
        ),
        route(
            Method::GET,
            "/api/v1/creators/me/earnings".into(),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, OK, OK, OK],
        ),
        // Administrators.
        route(
            Method::GET,
            "/api/v1/admin/users".into(),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        route(
            Method::PATCH,
            victim_path.clone(),
            Some(json!({ "role": "creator" })),
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        route(
            Method::POST,
            format!("{victim_path}/suspend"),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        route(
            Method::POST,
            format!("{victim_path}/restore"),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        route(
            Method::GET,
            "/api/v1/admin/crisis-alerts".into(),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        route(
            Method::PATCH,
            format!("/api/v1/admin/crisis-alerts/{alert}"),
            Some(json!({ "status": "reviewed" })),
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        route(
            Method::GET,
            "/api/v1/admin/audit-log".into(),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        route(
            Method::POST,
            format!("/api/v1/admin/packs/{others_pack}/archive"),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
        ),
        // No token is read: the signature, or the session, is what counts.
        route(
            Method::POST,
            WEBHOOK.into(),
            Some(json!({ "id": "evt_unsigned", "type": "checkout.session.completed" })),
            [BAD_SIGNATURE; 6],
        ),
        route(Method::GET, unknown_session.clone(), None, [NOT_FOUND; 6]),
        // Archiving, last: the owner's pack leaves the catalog.
        route(
            Method::POST,
            format!("{owned}/archive"),
            None,
            [NO_TOKEN, BAD_TOKEN, FORBIDDEN, NOT_FOUND, OK, NOT_FOUND],
        ),
    ];

    let tokens = [
        None,
        Some("not.a.jwt"),
        Some(user.access.as_str()),
        Some(other.access.as_str()),
        Some(owner.access.as_str()),
        Some(admin.access.as_str()),
    ];
    for route in &routes {
        for ((caller, token), (status, code)) in CALLERS.iter().zip(tokens).zip(route.outcomes) {
            let response = call(
                &app,
                route.method.clone(),
                &route.path,
                token,
                route.body.as_ref(),
            )
            .await;
            let actual = response.status();
            let text = response.text().await.expect("body");
            let what = format!("{} {} as {caller}", route.method, route.path);
            assert_eq!(actual, status, "{what}: {text}");
            if !code.is_empty() {
                let body: Value =
                    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{what}: {text}"));
                crate::helpers::assert_envelope(&body);
                assert_eq!(body["error"]["code"], code, "{what}: {body}");
            }
        }
    }
    // The sandbox page's form, too.
    expect_error(
        finish(&app, &app.url(&unknown_session), "pay").await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;

    // Nothing a refused caller tried changed anything.
    let mine = get_as(&app, &owner, MY_PACKS).await;
    let edited = packs(&mine)
        .iter()
        .find(|p| p["id"] == pack.to_string())
        .expect("the owner's pack");
    assert_eq!(edited["description"], "Edited");
    assert_eq!(edited["status"], "archived");
    assert_eq!(
        mine["pagination"]["total"], 3,
        "two packs and the one created: {mine}"
    );
    assert_eq!(detail(&app, None, draft).await["status"], "published");
    assert_eq!(detail(&app, None, others_pack).await["status"], "archived");
    assert_eq!(found(&app, "").await, set(&["Owner's Draft"]));
    let victim_now = expect_status(
        app.get("/api/v1/users/me", Some(&victim.access)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        victim_now["role"], "creator",
        "the admin's change: {victim_now}"
    );
    let archived = audit(&app, &admin, "?action=admin.pack_archived").await;
    assert_eq!(archived.len(), 1, "{archived:?}");
    assert_eq!(archived[0]["target_id"], others_pack.to_string());
    assert_eq!(archived[0]["actor_id"], admin.user_id.to_string());

    // Becoming a creator needs a token; then the same token reaches the creator routes.
    expect_error(
        app.post_json("/api/v1/creators/me", &json!({})).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    )
    .await;
    expect_error(
        call(
            &app,
            Method::POST,
            "/api/v1/creators/me",
            Some("not.a.jwt"),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "INVALID_TOKEN",
    )
    .await;
    let became = expect_status(
        post_as(&app, &user, "/api/v1/creators/me", json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(became["role"], "creator");
    let theirs = get_as(&app, &user, MY_PACKS).await;
    assert_eq!(theirs["pagination"]["total"], 0, "{theirs}");
    // Asking twice changes nothing; an administrator stays one.
    assert_eq!(
        expect_status(
            post_as(&app, &user, "/api/v1/creators/me", json!({})).await,
            StatusCode::OK
        )
        .await["role"],
        "creator"
    );
    assert_eq!(
        expect_status(
            post_as(&app, &admin, "/api/v1/creators/me", json!({})).await,
            StatusCode::OK
        )
        .await["role"],
        "admin"
    );
    let changes = audit(
        &app,
        &admin,
        &format!("?action=user.role_changed&target_id={}", user.user_id),
    )
    .await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["details"]["to"], "creator");
    assert_eq!(changes[0]["details"]["by"], "self");
    // Items that are not the creator's own ready items are refused.
    let foreign = ready_item(&app, owner.user_id, ItemSpec::new("Not Theirs")).await;
    expect_error(
        post_as(
            &app,
            &user,
            MY_PACKS,
            one_time("Stolen", "", 1.0, &[], &[foreign]),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_PACK_ITEMS",
    )
    .await;
    let empty = id_of(&create_pack(&app, &user, one_time("Empty", "", 1.0, &[], &[])).await);
    expect_error(
        post_as(
            &app,
            &user,
            &format!("{}/publish", pack_path(empty)),
            json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "PACK_STATUS",
    )
    .await;
}

// ---------------------------------------------------------------------------------
// Administration
// ---------------------------------------------------------------------------------

/// Suspending an account closes its socket, refuses its access and refresh tokens and
/// its sign-in, and is audited with the administrator as the actor; restoring it lets
/// it sign in again. A crisis alert is reviewed by an administrator.
async fn suspension_closes_everything(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin = admin(&app).await;
    let member = app.signed_up_user().await;
    let bystander = app.signed_up_user().await;
    let mut socket = app.ws(&member.access).await;
    socket.send(json!({ "type": "ping" })).await;
    socket.until("pong").await;
    let mut bystanders_socket = app.ws(&bystander.access).await;
    bystanders_socket.send(json!({ "type": "ping" })).await;
    bystanders_socket.until("pong").await;

    // A wrong password is audited, without an actor.
    expect_error(
        app.login(&member.email, "not the password at all").await,
        StatusCode::UNAUTHORIZED,
        "INVALID_CREDENTIALS",
    )
    .await;
    let failed = audit(&app, &admin, "?action=auth.login_failed").await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["details"]["email"], member.email);
    assert!(failed[0]["actor_id"].is_null());

    // Found by part of the email, then suspended.
    let local_part = member.email.split('@').next().unwrap();
    let users = get_as(
        &app,
        &admin,
        &format!("/api/v1/admin/users?search={local_part}"),
    )
    .await;
    assert_eq!(users["pagination"]["total"], 1, "{users}");
    assert_eq!(users["users"][0]["id"], member.user_id.to_string());
    assert_eq!(users["users"][0]["status"], "active");
    let suspended = expect_status(
        post_as(
            &app,
            &admin,
            &format!("/api/v1/admin/users/{}/suspend", member.user_id),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(suspended["status"], "suspended", "{suspended}");

    // The socket is closed by the server.
    let closed = tokio::time::timeout(Duration::from_secs(5), socket.closed())
        .await
        .expect("the suspended account's socket closes within 5 s");
    if let Some(frame) = closed {
        assert_eq!(u16::from(frame.code), 4003, "{frame:?}");
    }
    // Nobody else's.
    bystanders_socket.send(json!({ "type": "ping" })).await;
    match bystanders_socket.next().await {
        Incoming::Frame(frame) => assert_eq!(frame["type"], "pong", "{frame}"),
        Incoming::Closed(frame) => panic!("another account's socket closed: {frame:?}"),
    }

    // Every way in is shut.
    expect_error(
        app.get("/api/v1/users/me", Some(&member.access)).await,
        StatusCode::FORBIDDEN,
        "ACCOUNT_SUSPENDED",
    )
    .await;
    expect_error(
        app.get(CATALOG, Some(&member.access)).await,
        StatusCode::FORBIDDEN,
        "ACCOUNT_SUSPENDED",
    )
    .await;
    let refreshed = app.refresh(&member.refresh).await;
    let status = refreshed.status();
    let body: Value = refreshed.json().await.expect("JSON");
    assert!(
        matches!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("INVALID_REFRESH_TOKEN"))
                | (StatusCode::FORBIDDEN, Some("ACCOUNT_SUSPENDED"))
        ),
        "refresh after suspension: {status} {body}"
    );
    expect_error(
        app.login(&member.email, PASSWORD).await,
        StatusCode::FORBIDDEN,
        "ACCOUNT_SUSPENDED",
    )
    .await;
    let url = format!(
        "{}/ws/conversation?token={}",
        app.address.replace("http://", "ws://"),
        member.access
    );
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), StatusCode::FORBIDDEN.as_u16());
        }
        Err(e) => panic!("unexpected socket error: {e}"),
        Ok(_) => panic!("a suspended account opened a socket"),
    }
    let listed = get_as(&app, &admin, "/api/v1/admin/users?status=suspended").await;
    assert_eq!(listed["pagination"]["total"], 1, "{listed}");
    assert_eq!(listed["users"][0]["id"], member.user_id.to_string());

    // Audited, with the administrator as the actor.
    let entries = audit(&app, &admin, "?action=admin.user_suspended").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["actor_id"], admin.user_id.to_string());
    assert_eq!(entries[0]["actor_role"], "admin");
    assert_eq!(entries[0]["target_type"], "user");
    assert_eq!(entries[0]["target_id"], member.user_id.to_string());
    let by_admin = audit(&app, &admin, &format!("?actor_id={}", admin.user_id)).await;
    assert!(
        by_admin
            .iter()
            .any(|e| e["action"] == "admin.user_suspended"),
        "{by_admin:?}"
    );

    // An administrator cannot suspend themselves, nor an account that does not exist.
    expect_error(
        post_as(
            &app,
            &admin,
            &format!("/api/v1/admin/users/{}/suspend", admin.user_id),
            json!({}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    expect_error(
        post_as(
            &app,
            &admin,
            &format!("/api/v1/admin/users/{}/suspend", Uuid::now_v7()),
            json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;

    // Restored: the account signs in again (the sign-ins of before stay ended).
    let restored = expect_status(
        post_as(
            &app,
            &admin,
            &format!("/api/v1/admin/users/{}/restore", member.user_id),
            json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(restored["status"], "active");
    let again = expect_status(app.login(&member.email, PASSWORD).await, StatusCode::OK).await;
    let again = tokens_of(&again, &member.email);
    let me = get_as(&app, &again, "/api/v1/users/me").await;
    assert_eq!(me["id"], member.user_id.to_string());
    expect_error(
        app.refresh(&member.refresh).await,
        StatusCode::UNAUTHORIZED,
        "INVALID_REFRESH_TOKEN",
    )
    .await;
    let mut socket = app.ws(&again.access).await;
    socket.send(json!({ "type": "ping" })).await;
    socket.until("pong").await;
    let restores = audit(&app, &admin, "?action=admin.user_restored").await;
    assert_eq!(restores.len(), 1, "{restores:?}");
    assert_eq!(restores[0]["actor_id"], admin.user_id.to_string());

    // A role change applies to the same token at once, and is audited.
    expect_error(
        app.get(MY_PACKS, Some(&again.access)).await,
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
    )
    .await;
    let promoted = expect_status(
        app.send_json(
            Method::PATCH,
            &format!("/api/v1/admin/users/{}", member.user_id),
            Some(&admin.access),
            &json!({ "role": "creator" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(promoted["role"], "creator");
    get_as(&app, &again, MY_PACKS).await;
    let changes = audit(&app, &admin, "?action=user.role_changed").await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["details"]["from"], "user");
    assert_eq!(changes[0]["details"]["to"], "creator");
    assert_eq!(changes[0]["actor_id"], admin.user_id.to_string());

    // A crisis alert: pending, then reviewed by the administrator with notes.
    let alert = Uuid::now_v7();
    app.state
        .store
        .insert_crisis_alert(waqup::store::NewCrisisAlert {
            id: alert,
            user_id: member.user_id,
            session_id: None,
            severity: "high".into(),
            trigger_type: "suicide".into(),
            signals: vec!["explicit_intent".into()],
            context: "I do not want to be here".into(),
            now: waqup::time::now(),
        })
        .await
        .unwrap();
    let alerts_with = |status: &'static str| {
        let app = &app;
        let admin = &admin;
        async move {
            let list = get_as(
                app,
                admin,
                &format!("/api/v1/admin/crisis-alerts?status={status}"),
            )
            .await;
            list["alerts"].as_array().expect("alerts").clone()
        }
    };
    let pending = alerts_with("pending").await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert_eq!(pending[0]["id"], alert.to_string());
    assert_eq!(pending[0]["user_id"], member.user_id.to_string());
    assert_eq!(pending[0]["severity"], "high");
    assert_eq!(pending[0]["status"], "pending");
    assert!(pending[0]["reviewed_by"].is_null());
    let review = format!("/api/v1/admin/crisis-alerts/{alert}");
    expect_error(
        app.send_json(
            Method::PATCH,
            &review,
            Some(&admin.access),
            &json!({ "status": "pending" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "VALIDATION_ERROR",
    )
    .await;
    expect_error(
        app.send_json(
            Method::PATCH,
            &format!("/api/v1/admin/crisis-alerts/{}", Uuid::now_v7()),
            Some(&admin.access),
            &json!({ "status": "reviewed" }),
        )
        .await,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
    )
    .await;
    let reviewed = expect_status(
        app.send_json(
            Method::PATCH,
            &review,
            Some(&admin.access),
            &json!({ "status": "reviewed", "notes": "Called; they are safe with family." }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reviewed["status"], "reviewed");
    assert_eq!(reviewed["reviewed_by"], admin.user_id.to_string());
    assert!(reviewed["reviewed_at"].is_string(), "{reviewed}");
    assert_eq!(
        reviewed["resolution_notes"],
        "Called; they are safe with family."
    );
    assert!(alerts_with("pending").await.is_empty());
    let listed = alerts_with("reviewed").await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["id"], alert.to_string());
    assert_eq!(listed[0]["reviewed_by"], admin.user_id.to_string());
    let entries = audit(&app, &admin, "?action=admin.crisis_alert_reviewed").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["target_id"], alert.to_string());
    assert_eq!(entries[0]["actor_id"], admin.user_id.to_string());
}

// ---------------------------------------------------------------------------------
// Account deletion
// ---------------------------------------------------------------------------------

/// Deleting a creator's account archives their packs: the very next search leaves them
/// out, and its total counts only what it lists.
async fn a_deleted_creators_packs_leave_the_search_at_once(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let leaving = creator(&app).await;
    let staying = creator(&app).await;
    let (gone, _) = published_pack(&app, &leaving, &["calm"], |items| {
        one_time("Quiet Shore", "Calm waters", 2.0, &["calm"], items)
    })
    .await;
    published_pack(&app, &staying, &["calm"], |items| {
        one_time("Still Lake", "Calm waters", 2.0, &["calm"], items)
    })
    .await;
    // Both searches are answered (and cached) before the deletion.
    assert_eq!(
        found(&app, "?search=calm").await,
        set(&["Quiet Shore", "Still Lake"])
    );
    assert_eq!(
        catalog(&app, "?search=calm&limit=1").await["pagination"]["total"],
        2
    );

    expect_status(
        app.send_json(
            Method::DELETE,
            "/api/v1/users/me",
            Some(&leaving.access),
            &json!({ "password": PASSWORD }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail(&app, None, gone).await["status"], "archived");
    assert_eq!(found(&app, "?tags=calm").await, set(&["Still Lake"]));
    assert_eq!(found(&app, "?search=calm").await, set(&["Still Lake"]));
    let first_page = catalog(&app, "?search=calm&limit=1").await;
    assert_eq!(titles(&first_page), set(&["Still Lake"]), "{first_page}");
    assert_eq!(first_page["pagination"]["total"], 1, "{first_page}");
    assert_eq!(first_page["pagination"]["has_next"], false, "{first_page}");
}
