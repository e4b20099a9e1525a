use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use uuid::Uuid;

use super::Deps;
use super::content_gen::{ContentGenActor, JobDone};
use crate::time::now;

/// How often free jobs (new ones nobody claimed, or those of a dead node) are looked for.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// How often jobs that used up their claims are given up and their holds released.
const SETTLE_INTERVAL: Duration = Duration::from_secs(60);

/// Claims generation jobs and runs each in a [`ContentGenActor`]. It resumes the jobs
/// whose lease expired, and at start and every minute gives up the jobs that used up
/// their claims and releases holds no job will ever capture.
#[derive(Default)]
pub struct JobRunner {
    deps: Option<Arc<Deps>>,
    running: HashSet<Uuid>,
    /// A job was left waiting for room: look for it as soon as one ends.
    waiting: bool,
    /// A claim of free jobs is in flight (one at a time, so they never overfill).
    polling: bool,
    /// Claims of single jobs in flight: they count against the limit already.
    claiming: usize,
}

impl JobRunner {
    pub fn new() -> Self {
        Self::default()
    }

    fn lease_until(deps: &Deps) -> chrono::DateTime<chrono::Utc> {
        now() + deps.job_lease
    }

    /// A lease token unique to one claim: it names the node (for the logs) and the
    /// claim, so an earlier run of the same job on this node cannot pass for this one.
    fn lease_token(deps: &Deps) -> String {
        format!("{}/{}", deps.node_id, Uuid::new_v4().simple())
    }

    fn settle_abandoned(&mut self, ctx: &mut Context<Self>) {
        let Some(deps) = self.deps.clone() else {
            return;
        };
        let settle = async move {
            match deps.store.settle_abandoned_jobs(now()).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(released = n, "released credit holds of abandoned jobs"),
                Err(e) => tracing::warn!(error = %e, "settling abandoned jobs failed"),
            }
        };
        ctx.spawn(super::offload(settle).into_actor(self).map(|_, _, _| ()));
    }

    fn run(&mut self, job: crate::store::Job, ctx: &mut Context<Self>) {
        let Some(deps) = self.deps.clone() else {
            return;
        };
        if self.running.insert(job.id) {
            ContentGenActor::new(job, deps, ctx.address().recipient()).start();
        }
    }

    fn poll(&mut self, ctx: &mut Context<Self>) {
        let Some(deps) = self.deps.clone() else {
            return;
        };
        let room = deps
            .max_running_jobs
            .saturating_sub(self.running.len() + self.claiming);
        if room == 0 || self.polling {
            return;
        }
        self.polling = true;
        let claim = async move {
            deps.store
                .claim_free_jobs(
                    &JobRunner::lease_token(&deps),
                    now(),
                    JobRunner::lease_until(&deps),
                    room as i64,
                )
                .await
        };
        ctx.spawn(super::offload_try(claim).into_actor(self).map(move |claimed, act, ctx| {
            act.polling = false;
            match claimed {
                Ok(jobs) => {
                    // As many as there was room for: more may be waiting.
                    act.waiting |= jobs.len() >= room;
                    for job in jobs {
                        tracing::info!(job_id = %job.id, stage = job.stage.as_str(), "claimed a free generation job");
                        act.run(job, ctx);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "claiming free jobs failed"),
            }
        }));
    }
}

impl Actor for JobRunner {
    type Context = Context<Self>;
}

/// Gives the runner its dependencies and starts it.
#[derive(Message)]
#[rtype(result = "()")]
pub(super) struct Begin {
    pub deps: Arc<Deps>,
}

impl Handler<Begin> for JobRunner {
    type Result = ();

    fn handle(&mut self, msg: Begin, ctx: &mut Context<Self>) {
        if !msg.deps.run_jobs {
            tracing::info!("this node runs no generation jobs; other nodes pick them up");
            return;
        }
        self.deps = Some(msg.deps);
        self.settle_abandoned(ctx);
        self.poll(ctx);
        ctx.run_interval(POLL_INTERVAL, |act, ctx| act.poll(ctx));
        ctx.run_interval(SETTLE_INTERVAL, |act, ctx| act.settle_abandoned(ctx));
    }
}

/// Run this job now if nobody holds it (a session just confirmed).
#[derive(Message)]
#[rtype(result = "()")]
pub struct RunJob {
    pub job_id: Uuid,
}

impl Handler<RunJob> for JobRunner {
    type Result = ();

    fn handle(&mut self, msg: RunJob, ctx: &mut Context<Self>) {
        let Some(deps) = self.deps.clone() else {
            return;
        };
        if self.running.contains(&msg.job_id) {
            return;
        }
        if self.running.len() + self.claiming >= deps.max_running_jobs {
            // Full: the job waits in the store, queued, until one ends (the poller
            // claims the oldest first).
            self.waiting = true;
            metrics::counter!("generation_jobs_deferred_total").increment(1);
            return;
        }
        let claim = async move {
            deps.store
                .claim_job(
                    msg.job_id,
                    &JobRunner::lease_token(&deps),
                    now(),
                    JobRunner::lease_until(&deps),
                )
                .await
        };
        self.claiming += 1;
        ctx.spawn(super::offload_try(claim).into_actor(self).map(|claimed, act, ctx| {
            act.claiming -= 1;
            match claimed {
                Ok(Some(job)) => act.run(job, ctx),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "claiming a job failed; the poller will retry")
                }
            }
        }));
    }
}

impl Handler<JobDone> for JobRunner {
    type Result = ();

    fn handle(&mut self, msg: JobDone, ctx: &mut Context<Self>) {
        self.running.remove(&msg.job_id);
        // (With a claim in flight, the next job to end looks again.)
        if self.waiting && !self.polling {
            self.waiting = false;
            self.poll(ctx);
        }
    }
}
