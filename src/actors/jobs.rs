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
/// Jobs one node runs at once.
const MAX_RUNNING_JOBS: usize = 256;

/// Claims generation jobs and runs each in a [`ContentGenActor`]. At start it resumes
/// the jobs whose lease expired and releases holds no job will ever capture.
#[derive(Default)]
pub struct JobRunner {
    deps: Option<Arc<Deps>>,
    running: HashSet<Uuid>,
}

impl JobRunner {
    pub fn new() -> Self {
        Self::default()
    }

    fn lease_until(deps: &Deps) -> chrono::DateTime<chrono::Utc> {
        now() + deps.job_lease
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
        let room = MAX_RUNNING_JOBS.saturating_sub(self.running.len());
        if room == 0 {
            return;
        }
        let claim = async move {
            deps.store
                .claim_free_jobs(
                    &deps.node_id,
                    now(),
                    JobRunner::lease_until(&deps),
                    room as i64,
                )
                .await
        };
        ctx.spawn(super::offload_try(claim).into_actor(self).map(|claimed, act, ctx| match claimed {
            Ok(jobs) => {
                for job in jobs {
                    tracing::info!(job_id = %job.id, stage = job.stage.as_str(), "claimed a free generation job");
                    act.run(job, ctx);
                }
            }
            Err(e) => tracing::warn!(error = %e, "claiming free jobs failed"),
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
        let deps = msg.deps.clone();
        self.deps = Some(msg.deps);
        let release = async move {
            match deps.store.release_orphan_holds(now()).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(released = n, "released credit holds left by failed jobs"),
                Err(e) => tracing::warn!(error = %e, "releasing orphan holds failed"),
            }
        };
        ctx.spawn(super::offload(release).into_actor(self).map(|_, _, _| ()));
        self.poll(ctx);
        ctx.run_interval(POLL_INTERVAL, |act, ctx| act.poll(ctx));
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
        let claim = async move {
            deps.store
                .claim_job(
                    msg.job_id,
                    &deps.node_id,
                    now(),
                    JobRunner::lease_until(&deps),
                )
                .await
        };
        ctx.spawn(super::offload_try(claim).into_actor(self).map(
            |claimed, act, ctx| match claimed {
                Ok(Some(job)) => act.run(job, ctx),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "claiming a job failed; the poller will retry")
                }
            },
        ));
    }
}

impl Handler<JobDone> for JobRunner {
    type Result = ();

    fn handle(&mut self, msg: JobDone, _: &mut Context<Self>) {
        self.running.remove(&msg.job_id);
    }
}
