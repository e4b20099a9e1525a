//! The sandbox payment provider's checkout page (only when Stripe is not configured):
//! shows what is being bought and completes or cancels it, as Stripe Checkout would.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::cents_to_amount;
use crate::error::ApiError;
use crate::state::AppState;

/// The page for one checkout session.
pub async fn checkout_page(
    state: web::Data<AppState>,
    session_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let purchase = state.payments.sandbox_purchase(&session_id).await?;
    let what = match (&purchase.pack_title, purchase.credit_pack) {
        (Some(title), _) => format!("the pack “{}”", escape(title)),
        (None, Some(pack)) => format!("{} credits ({pack})", purchase.credits),
        _ => "a purchase".to_owned(),
    };
    let price = format!(
        "{:.2} {}{}",
        cents_to_amount(purchase.amount_cents),
        purchase.currency.to_uppercase(),
        if purchase.subscription {
            " per period"
        } else {
            ""
        }
    );
    let action = format!("/sandbox/checkout/{}", escape(&session_id));
    let body = if purchase.status == "pending" {
        format!(
            "<p>Buy {what} for <strong>{price}</strong>.</p>\
             <form method=\"post\" action=\"{action}\">\
             <button name=\"outcome\" value=\"pay\" id=\"pay\">Pay (sandbox)</button> \
             <button name=\"outcome\" value=\"cancel\" id=\"cancel\">Cancel</button></form>"
        )
    } else {
        format!("<p>This checkout is {}.</p>", escape(&purchase.status))
    };
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>waQup sandbox checkout</title>\
             <style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;\
             padding:0 1rem}}button{{font-size:1rem;padding:.5rem 1rem}}</style></head>\
             <body><h1>Sandbox checkout</h1><p>No money moves: this server plays the \
             payment provider.</p>{body}</body></html>"
        )))
}

#[derive(Debug, Deserialize)]
pub struct Outcome {
    /// `pay` or `cancel`.
    pub outcome: String,
}

/// Completes or cancels the checkout, delivers the signed events to our webhook, and
/// sends the buyer to the success or cancel URL.
pub async fn finish_checkout(
    state: web::Data<AppState>,
    session_id: web::Path<String>,
    form: web::Form<Outcome>,
) -> Result<HttpResponse, ApiError> {
    let pay = match form.outcome.as_str() {
        "pay" => true,
        "cancel" => false,
        _ => return Err(ApiError::validation("outcome", "pay or cancel")),
    };
    let next = state.payments.sandbox_finish(&session_id, pay).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, next))
        .finish())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
