//! HTTP routes, one module per area. [`routes`] is the whole URL map.

pub mod admin;
pub mod auth;
pub mod catalog;
pub mod console;
pub mod content;
pub mod conversation;
pub mod creators;
pub mod credits;
mod extract;
pub mod health;
pub mod media;
pub mod middleware;
pub mod openapi;
pub mod payments;
pub mod sandbox;
pub mod users;
pub mod voices;

use actix_web::{HttpResponse, web};

use crate::error::ApiError;

pub use extract::{json_config, path_config, query_config};

/// Every route of the application.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource("/metrics").route(web::get().to(health::metrics)))
        .service(
            web::resource("/")
                .route(web::get().to(console::index))
                .route(web::head().to(console::index)),
        )
        .service(
            web::resource("/assets/{version}/{file:.*}")
                .route(web::get().to(console::asset))
                .route(web::head().to(console::asset)),
        )
        .service(
            web::resource("/media/{key:.*}")
                .route(web::get().to(media::media))
                .route(web::head().to(media::media)),
        )
        .service(openapi::docs())
        .service(web::resource("/api/docs").route(web::get().to(|| async {
            HttpResponse::PermanentRedirect()
                .insert_header(("location", "/api/docs/"))
                .finish()
        })))
        .service(
            web::scope("/api/v1")
                .service(web::resource("/auth/register").route(web::post().to(auth::register)))
                .service(web::resource("/auth/login").route(web::post().to(auth::login)))
                .service(web::resource("/auth/refresh").route(web::post().to(auth::refresh)))
                .service(web::resource("/auth/logout").route(web::post().to(auth::logout)))
                .service(
                    web::resource("/users/me")
                        .route(web::get().to(users::get_me))
                        .route(web::put().to(users::update_me))
                        .route(web::delete().to(users::delete_me)),
                )
                .service(web::resource("/users/me/history").route(web::get().to(users::history)))
                .service(web::resource("/users/me/stats").route(web::get().to(users::stats)))
                .service(web::resource("/users/me/export").route(web::get().to(users::export_me)))
                .service(
                    web::resource("/users/me/password")
                        .route(web::post().to(users::change_password)),
                )
                .service(web::resource("/credits/balance").route(web::get().to(credits::balance)))
                .service(
                    web::resource("/credits/transactions")
                        .route(web::get().to(credits::transactions)),
                )
                .service(
                    web::resource("/conversation/start").route(web::post().to(conversation::start)),
                )
                .service(
                    web::resource("/conversation/message")
                        .route(web::post().to(conversation::message)),
                )
                .service(
                    web::resource("/conversation/complete")
                        .route(web::post().to(conversation::complete)),
                )
                .service(
                    web::resource("/conversation/state").route(web::get().to(conversation::state)),
                )
                .service(web::resource("/content").route(web::get().to(content::list_content)))
                .service(
                    web::resource("/content/folders").route(web::get().to(content::list_folders)),
                )
                .service(
                    web::resource("/content/{id}")
                        .route(web::get().to(content::get_content))
                        .route(web::patch().to(content::update_content))
                        .route(web::delete().to(content::delete_content)),
                )
                .service(
                    web::resource("/content/{id}/export")
                        .route(web::get().to(content::export_content)),
                )
                .service(web::resource("/content/{id}/play").route(web::post().to(content::play)))
                .service(
                    web::resource("/content/{id}/complete")
                        .route(web::post().to(content::complete)),
                )
                .service(
                    web::resource("/content/{id}/share")
                        .route(web::post().to(content::create_share))
                        .route(web::get().to(content::get_share))
                        .route(web::delete().to(content::revoke_share)),
                )
                .service(
                    web::resource("/shared/{token}").route(web::get().to(content::shared_content)),
                )
                .service(web::resource("/voices").route(web::get().to(voices::list_voices)))
                .service(
                    web::resource("/credits/purchase")
                        .route(web::post().to(payments::purchase_credits)),
                )
                .service(
                    web::resource("/credits/packs").route(web::get().to(payments::credit_packs)),
                )
                .service(
                    web::resource("/payments/checkout").route(web::post().to(payments::checkout)),
                )
                .service(
                    web::resource("/payments/webhook").route(web::post().to(payments::webhook)),
                )
                .service(
                    web::resource("/payments/purchases").route(web::get().to(payments::purchases)),
                )
                .service(web::resource("/catalog/packs").route(web::get().to(catalog::list_packs)))
                .service(
                    web::resource("/catalog/packs/{id}").route(web::get().to(catalog::get_pack)),
                )
                .service(
                    web::resource("/catalog/packs/{id}/reviews")
                        .route(web::get().to(catalog::list_reviews))
                        .route(web::post().to(catalog::create_review)),
                )
                .service(
                    web::resource("/catalog/recommendations")
                        .route(web::get().to(catalog::recommendations)),
                )
                .service(
                    web::resource("/creators/me").route(web::post().to(creators::become_creator)),
                )
                .service(
                    web::resource("/creators/me/packs")
                        .route(web::get().to(creators::list_packs))
                        .route(web::post().to(creators::create_pack)),
                )
                .service(
                    web::resource("/creators/me/packs/{id}")
                        .route(web::patch().to(creators::update_pack)),
                )
                .service(
                    web::resource("/creators/me/packs/{id}/publish")
                        .route(web::post().to(creators::publish_pack)),
                )
                .service(
                    web::resource("/creators/me/packs/{id}/archive")
                        .route(web::post().to(creators::archive_pack)),
                )
                .service(
                    web::resource("/creators/me/analytics")
                        .route(web::get().to(creators::analytics)),
                )
                .service(
                    web::resource("/creators/me/earnings").route(web::get().to(creators::earnings)),
                )
                .service(web::resource("/admin/users").route(web::get().to(admin::list_users)))
                .service(web::resource("/admin/users/{id}").route(web::patch().to(admin::set_role)))
                .service(
                    web::resource("/admin/users/{id}/suspend")
                        .route(web::post().to(admin::suspend_user)),
                )
                .service(
                    web::resource("/admin/users/{id}/restore")
                        .route(web::post().to(admin::restore_user)),
                )
                .service(
                    web::resource("/admin/crisis-alerts").route(web::get().to(admin::list_alerts)),
                )
                .service(
                    web::resource("/admin/crisis-alerts/{id}")
                        .route(web::patch().to(admin::review_alert)),
                )
                .service(web::resource("/admin/audit-log").route(web::get().to(admin::audit_log)))
                .service(
                    web::resource("/admin/packs/{id}/archive")
                        .route(web::post().to(admin::archive_pack)),
                ),
        )
        .service(
            web::resource("/sandbox/checkout/{session_id}")
                .route(web::get().to(sandbox::checkout_page))
                .route(web::post().to(sandbox::finish_checkout)),
        )
        .service(
            web::resource("/ws/conversation")
                .route(web::get().to(conversation::ws::conversation_socket)),
        );
}

/// The caller's address for the audit log (the forwarded one behind a trusted proxy).
pub fn client_ip(req: &actix_web::HttpRequest, state: &crate::state::AppState) -> Option<String> {
    Some(middleware::rate_limit::client_ip(
        req,
        state.config.trust_forwarded_for,
    ))
}

/// Unknown routes.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::from_status(
        actix_web::http::StatusCode::NOT_FOUND,
    ))
}
