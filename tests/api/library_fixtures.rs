//! Items for library tests, made through the generation store (the path a job takes),
//! with a real audio object in the app's blob store.

use serde_json::json;
use uuid::Uuid;
use waqup::blob::BlobKey;
use waqup::domain::{ContentType, Depth};
use waqup::store::{Finish, GeneratedAudio, GeneratedText, NewGeneration, Reservation};
use waqup::time::now;

use crate::conversation::grant;
use crate::helpers::TestApp;

/// What an item should be made of.
#[derive(Debug, Clone)]
pub struct ItemSpec {
    pub content_type: ContentType,
    pub title: String,
    pub tags: Vec<String>,
    pub depth: Depth,
    pub seconds: i64,
}

impl ItemSpec {
    pub fn new(title: &str) -> ItemSpec {
        ItemSpec {
            content_type: ContentType::Ritual,
            title: title.to_owned(),
            tags: vec!["calm".into()],
            depth: Depth::Medium,
            seconds: 300,
        }
    }

    pub fn content_type(mut self, content_type: ContentType) -> Self {
        self.content_type = content_type;
        self
    }

    pub fn tags(mut self, tags: &[&str]) -> Self {
        self.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        self
    }

    pub fn depth(mut self, depth: Depth) -> Self {
        self.depth = depth;
        self
    }
}

/// Bytes standing for a track (the library never decodes them).
pub const AUDIO_BYTES: &[u8] = b"ID3\x04\x00\x00\x00\x00\x00\x00not really an mp3";

/// A ready item of `user_id` made as a generation job makes it (the user is granted
/// the credit it costs). Returns its id; its audio object is at
/// `audio/{user}/{item}/1.mp3`.
pub async fn ready_item(app: &TestApp, user_id: Uuid, spec: ItemSpec) -> Uuid {
    grant(app, user_id, 1).await;
    let store = &app.state.store;
    let content_id = Uuid::now_v7();
    let job_id = Uuid::now_v7();
    let reservation = store
        .reserve_generation(NewGeneration {
            user_id,
            session_id: None,
            hold_key: format!("fixture-{content_id}"),
            cost: 1,
            content_type: spec.content_type,
            context: json!({ "intent": "rest" }),
            parent_id: None,
            content_id,
            hold_id: Uuid::now_v7(),
            job_id,
            now: now(),
        })
        .await
        .unwrap();
    assert!(
        matches!(reservation, Reservation::Created(_)),
        "{reservation:?}"
    );
    let lease = format!("fixture/{}", Uuid::new_v4().simple());
    let until = now() + chrono::Duration::minutes(5);
    store
        .claim_job(job_id, &lease, now(), until)
        .await
        .unwrap()
        .expect("the fixture's job is free");
    let saved = store
        .save_generated_text(
            job_id,
            &lease,
            GeneratedText {
                title: spec.title.clone(),
                text: format!("{}. Breathe in. [pause 3s] Breathe out.", spec.title),
                structure: json!({ "sections": ["opening", "core", "closing"] }),
                tags: spec.tags.clone(),
                depth: spec.depth,
                duration_seconds: spec.seconds,
            },
            now(),
        )
        .await
        .unwrap();
    assert!(saved);
    let key = BlobKey::audio(user_id, content_id, 1, "mp3");
    app.state
        .blobs
        .put(&key, AUDIO_BYTES.to_vec(), "audio/mpeg")
        .await
        .unwrap();
    let saved = store
        .save_generated_audio(
            job_id,
            &lease,
            GeneratedAudio {
                key: key.as_str().to_owned(),
                seconds: spec.seconds as f64,
                format: "mp3".into(),
                voice_id: "aurora".into(),
                details: json!({ "provider": "fixture" }),
            },
            now(),
        )
        .await
        .unwrap();
    assert!(saved);
    let finish = store.finish_job(job_id, &lease, now()).await.unwrap();
    assert!(matches!(finish, Finish::Charged { .. }), "{finish:?}");
    content_id
}

/// Whether the item's audio object exists in the app's blob store.
pub async fn audio_exists(app: &TestApp, user_id: Uuid, content_id: Uuid) -> bool {
    app.state
        .blobs
        .exists(&BlobKey::audio(user_id, content_id, 1, "mp3"))
        .await
        .unwrap()
}
