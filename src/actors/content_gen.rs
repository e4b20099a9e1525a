use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use anyhow::Context as _;
use serde_json::json;
use uuid::Uuid;

use super::{BusMessage, Deps, GenerationEvent};
use crate::actors::protocol::code;
use crate::blob::BlobKey;
use crate::generation::narration::{NarrationRequest, Spoken};
use crate::providers::tts::voices;
use crate::state_machine::Slots;
use crate::store::{Finish, GeneratedAudio, Job, JobStage};
use crate::time::now;

/// Attempts at writing the text before the job fails and the hold is released.
const TEXT_ATTEMPTS: u32 = 3;
/// First wait between attempts; doubles each time.
const RETRY_BACKOFF: Duration = Duration::from_millis(500);

/// A job has ended on this node (done, failed or taken over).
#[derive(Message)]
#[rtype(result = "()")]
pub struct JobDone {
    pub job_id: Uuid,
}

/// Renewals that may fail in a row (the store unreachable) before the run gives up:
/// renewing every third of the lease, the lease is about to run out by then.
const RENEWAL_FAILURES: u32 = 2;

/// Runs one generation job from its recorded stage: text, audio, then the charge. Renews the
/// job's lease while it works, so a dead node's jobs are resumed elsewhere.
pub struct ContentGenActor {
    job: Job,
    deps: Arc<Deps>,
    runner: Recipient<JobDone>,
    /// The run's task: aborted when the actor stops, so a run that lost its lease does
    /// no more work.
    task: Option<tokio::task::AbortHandle>,
    renewal_failures: u32,
}

impl ContentGenActor {
    pub fn new(job: Job, deps: Arc<Deps>, runner: Recipient<JobDone>) -> Self {
        Self {
            job,
            deps,
            runner,
            task: None,
            renewal_failures: 0,
        }
    }

    fn renew(&mut self, ctx: &mut Context<Self>) {
        let (deps, job_id, lease) = (self.deps.clone(), self.job.id, self.job.lease.clone());
        let renew = async move {
            deps.store
                .renew_lease(job_id, &lease, now() + deps.job_lease)
                .await
        };
        ctx.spawn(super::offload_try(renew).into_actor(self).map(|renewed, act, ctx| {
            match renewed {
                Ok(true) => act.renewal_failures = 0,
                Ok(false) => {
                    tracing::warn!(job_id = %act.job.id, "job lease lost; stopping");
                    ctx.stop();
                }
                Err(e) => {
                    act.renewal_failures += 1;
                    tracing::warn!(job_id = %act.job.id, error = %e, failures = act.renewal_failures, "renewing the job lease failed");
                    if act.renewal_failures >= RENEWAL_FAILURES {
                        ctx.stop();
                    }
                }
            }
        }));
    }
}

impl Actor for ContentGenActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.run_interval(self.deps.job_lease / 3, |act, ctx| act.renew(ctx));
        let task = tokio::spawn(run(self.job.clone(), self.deps.clone()));
        self.task = Some(task.abort_handle());
        ctx.spawn(
            super::joined(task)
                .into_actor(self)
                .map(|_, _, ctx| ctx.stop()),
        );
    }

    fn stopped(&mut self, _: &mut Context<Self>) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        self.runner.do_send(JobDone {
            job_id: self.job.id,
        });
    }
}

async fn publish(deps: &Deps, job: &Job, event: GenerationEvent) {
    if let Some(session_id) = job.session_id {
        deps.bus
            .publish(BusMessage::Generation { session_id, event })
            .await;
    }
}

async fn progress(deps: &Deps, job: &Job, stage: &str, percent: u8) {
    publish(
        deps,
        job,
        GenerationEvent::Progress {
            stage: stage.to_owned(),
            percent,
        },
    )
    .await;
}

#[tracing::instrument(skip_all, fields(job_id = %job.id, content_id = %job.content_id))]
async fn run(job: Job, deps: Arc<Deps>) {
    let started = std::time::Instant::now();
    let outcome = stages(&job, &deps).await;
    let label = match &outcome {
        Ok(true) => "ready",
        Ok(false) => "lease_lost",
        Err(_) => "failed",
    };
    metrics::histogram!("generation_duration_seconds", "outcome" => label)
        .record(started.elapsed().as_secs_f64());
    match outcome {
        Ok(true) => {
            tracing::info!("generation ready");
            publish(
                &deps,
                &job,
                GenerationEvent::Succeeded {
                    content_id: job.content_id,
                },
            )
            .await;
        }
        Ok(false) => tracing::warn!("generation stopped: another node holds the job"),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "generation failed");
            let failed = deps
                .store
                .fail_job(job.id, &job.lease, &format!("{e:#}"), now())
                .await;
            match failed {
                Ok(true) => {
                    publish(
                        &deps,
                        &job,
                        GenerationEvent::Failed {
                            code: code::GENERATION_FAILED.to_owned(),
                            message: "the item could not be created; no credits were used"
                                .to_owned(),
                            refunded: true,
                        },
                    )
                    .await;
                }
                Ok(false) => tracing::warn!("could not fail the job: lease lost"),
                Err(e) => {
                    tracing::error!(error = %e, "could not fail the job; its lease will expire and it will be retried")
                }
            }
        }
    }
}

/// Runs the remaining stages. `Ok(false)`: the lease moved to another node.
async fn stages(job: &Job, deps: &Deps) -> anyhow::Result<bool> {
    let slots: Slots = serde_json::from_value(job.context.clone()).unwrap_or_default();
    if job.stage == JobStage::Text {
        progress(deps, job, "text", 10).await;
        let seed = job.content_id.as_u128() as u64;
        let mut attempt = 0;
        let composition = loop {
            attempt += 1;
            match deps.writer.write(job.content_type, &slots, seed).await {
                Ok(composition) => break composition,
                Err(e) if attempt < TEXT_ATTEMPTS => {
                    tracing::warn!(
                        attempt,
                        error = format!("{e:#}"),
                        "writing the text failed; retrying"
                    );
                    tokio::time::sleep(RETRY_BACKOFF * 2u32.pow(attempt - 1)).await;
                }
                Err(e) => return Err(e.context(format!("writing the text failed {attempt} times"))),
            }
        };
        if !deps
            .store
            .save_generated_text(job.id, &job.lease, composition.into(), now())
            .await?
        {
            return Ok(false);
        }
        progress(deps, job, "text", AUDIO_FROM).await;
    }
    if matches!(job.stage, JobStage::Text | JobStage::Audio)
        && !audio_stage(job, deps, &slots).await?
    {
        return Ok(false);
    }
    progress(deps, job, "capture", 95).await;
    match deps.store.finish_job(job.id, &job.lease, now()).await? {
        Finish::Charged { .. } | Finish::AlreadyCharged => Ok(true),
        Finish::LeaseLost => Ok(false),
    }
}

/// Percent of the whole job at which the audio stage starts and ends.
const AUDIO_FROM: u8 = 30;
const AUDIO_TO: u8 = 85;
/// Tries at storing the finished file.
const UPLOAD_ATTEMPTS: u32 = 3;

/// Speaks the stored text, stores the file under `audio/{user}/{item}/{version}.{ext}`
/// and records it on the item. `Ok(false)`: the lease moved to another node.
async fn audio_stage(job: &Job, deps: &Deps, slots: &Slots) -> anyhow::Result<bool> {
    let item = deps
        .store
        .content_item(job.content_id, job.user_id)
        .await?
        .context("the item of the job is gone")?;
    let script = item
        .content_text
        .as_deref()
        .context("the item has no text to speak")?;
    let preferences = deps
        .store
        .user_by_id(job.user_id)
        .await?
        .map(|user| user.preferences)
        .unwrap_or_default();
    let voice = voices::choose(slots.voice, preferences.voice_id.as_deref());
    let request = NarrationRequest {
        script,
        voice,
        pace: slots.pace.unwrap_or(preferences.pace),
        tone: slots.tone.unwrap_or(preferences.tone),
        target_seconds: Some(f64::from(slots.minutes(job.content_type) * 60)),
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Spoken>();
    let reporter = async {
        let mut last = AUDIO_FROM;
        while let Some(spoken) = rx.recv().await {
            let share = spoken.done as f64 / spoken.total.max(1) as f64;
            let percent = AUDIO_FROM + (share * f64::from(AUDIO_TO - AUDIO_FROM)) as u8;
            // A frame every 5%, not every sentence.
            if percent >= last + 5 || spoken.done == spoken.total {
                last = percent;
                progress(deps, job, "audio", percent).await;
            }
        }
    };
    let started = std::time::Instant::now();
    let (narration, ()) = tokio::join!(deps.narrator.narrate(request, Some(tx)), reporter);
    let narration = narration?;
    metrics::histogram!("generation_stage_seconds", "stage" => "audio")
        .record(started.elapsed().as_secs_f64());
    tracing::info!(
        seconds = narration.seconds,
        bytes = narration.bytes.len(),
        provider = narration.provider,
        voice = voice.id,
        "audio assembled"
    );
    let key = BlobKey::audio(
        job.user_id,
        job.content_id,
        item.version,
        narration.format.extension(),
    );
    progress(deps, job, "upload", AUDIO_TO).await;
    // Still ours? A run that lost the job must not write over the new holder's file.
    if !deps
        .store
        .renew_lease(job.id, &job.lease, now() + deps.job_lease)
        .await?
    {
        return Ok(false);
    }
    upload(deps, &key, narration.bytes, narration.format.content_type()).await?;
    let details = json!({
        "provider": narration.provider,
        "voice_available": narration.spoken,
        "note": (!narration.spoken).then_some(
            "No voice was available: this item plays a soft tone in place of speech."
        ),
        "sentences": narration.sentences,
        "format": narration.format.as_str(),
    });
    let saved = deps
        .store
        .save_generated_audio(
            job.id,
            &job.lease,
            GeneratedAudio {
                key: key.to_string(),
                seconds: narration.seconds,
                format: narration.format.as_str().to_owned(),
                voice_id: voice.id.to_owned(),
                details,
            },
            now(),
        )
        .await?;
    Ok(saved)
}

async fn upload(
    deps: &Deps,
    key: &BlobKey,
    bytes: Vec<u8>,
    content_type: &str,
) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match deps.blobs.put(key, bytes.clone(), content_type).await {
            Ok(()) => return Ok(()),
            Err(e) if attempt < UPLOAD_ATTEMPTS => {
                tracing::warn!(attempt, error = %e, "storing the audio failed; retrying");
                tokio::time::sleep(RETRY_BACKOFF * 2u32.pow(attempt - 1)).await;
            }
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("storing the audio failed {attempt} times")));
            }
        }
    }
}
