//! `GET /api/v1/voices`: the voice catalogue.

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use crate::providers::tts::{DEFAULT_VOICE, VOICES, VoiceEntry};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct VoicesResponse {
    pub voices: Vec<VoiceEntry>,
    /// Used when neither the conversation nor the preferences name one.
    #[schema(example = "aurora")]
    pub default_voice: &'static str,
    /// Who speaks: `openai`, `elevenlabs`, `espeak` or `placeholder`.
    #[schema(example = "espeak")]
    pub provider: &'static str,
    /// False when no voice is available: items then play a soft tone instead of speech.
    pub voice_available: bool,
}

/// The voices a practice can be read with. Set one as `preferences.voice_id`, or ask
/// for a female, male or neutral voice in the conversation.
#[utoipa::path(
    get, path = "/api/v1/voices", tag = "content",
    responses((status = 200, body = VoicesResponse))
)]
pub async fn list_voices(state: web::Data<AppState>) -> web::Json<VoicesResponse> {
    let narrator = &state.engine.deps.narrator;
    web::Json(VoicesResponse {
        voices: VOICES.to_vec(),
        default_voice: DEFAULT_VOICE,
        provider: narrator.provider(),
        voice_available: narrator.speaks(),
    })
}
