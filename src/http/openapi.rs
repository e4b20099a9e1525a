//! The OpenAPI 3 document, generated from the handlers, and its browsable UI.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use super::{
    admin, auth, catalog, console, content, conversation, creators, credits, health, media,
    payments, users, voices,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "waQup engine",
        description = "Voice-first wellness engine. Every error answers \
            `{\"error\": {\"code\", \"message\", \"details\"}}` with a stable `code`."
    ),
    paths(
        health::healthz,
        health::readyz,
        health::metrics,
        auth::register,
        auth::login,
        auth::refresh,
        auth::logout,
        users::get_me,
        users::update_me,
        users::change_password,
        users::delete_me,
        users::export_me,
        users::history,
        users::stats,
        credits::balance,
        credits::transactions,
        conversation::start,
        conversation::message,
        conversation::complete,
        conversation::state,
        content::list_content,
        content::list_folders,
        content::get_content,
        content::update_content,
        content::delete_content,
        content::export_content,
        content::play,
        content::complete,
        content::create_share,
        content::get_share,
        content::revoke_share,
        content::shared_content,
        voices::list_voices,
        media::media,
        catalog::list_packs,
        catalog::get_pack,
        catalog::list_reviews,
        catalog::create_review,
        catalog::recommendations,
        creators::become_creator,
        creators::list_packs,
        creators::create_pack,
        creators::update_pack,
        creators::publish_pack,
        creators::archive_pack,
        creators::analytics,
        creators::earnings,
        payments::checkout,
        payments::webhook,
        payments::purchases,
        payments::purchase_credits,
        payments::credit_packs,
        admin::list_users,
        admin::set_role,
        admin::suspend_user,
        admin::restore_user,
        admin::list_alerts,
        admin::review_alert,
        admin::audit_log,
        admin::archive_pack,
        console::index,
        console::asset,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Accounts and tokens"),
        (name = "users", description = "The caller's profile, data export and account deletion"),
        (name = "credits", description = "Credit balance and ledger"),
        (name = "conversation", description = "Creating a practice by talking (REST mirror of /ws/conversation)"),
        (name = "content", description = "The library: generated affirmations, guided meditations and rituals"),
        (name = "practice", description = "Plays, completions, history and streaks"),
        (name = "sharing", description = "Share links of items"),
        (name = "catalog", description = "Published packs: search, details, reviews, recommendations"),
        (name = "creators", description = "Becoming a creator; packs, analytics and earnings"),
        (name = "payments", description = "Checkout, the provider's webhook, purchases"),
        (name = "admin", description = "Accounts, crisis alerts and the audit log (role admin)"),
        (name = "operations", description = "Health, readiness, metrics"),
        (name = "console", description = "The browser console: its page and the files it loads"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// `/api/docs/` (the UI) and `/api/docs/openapi.json`.
pub fn docs() -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").url("/api/docs/openapi.json", ApiDoc::openapi())
}
