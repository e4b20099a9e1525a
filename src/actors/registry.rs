use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use actix::prelude::*;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::protocol::ServerFrame;
use super::session::{
    Blocked, CLOSE_ACCOUNT_BLOCKED, Core, Evicted, Generation, SessionActor, SessionError,
    SessionView, View,
};
use super::{BusMessage, Deps, Outbound};
use crate::domain::{ContentType, UserStatus};
use crate::state_machine::{Dialogue, Intent, Personal, Slots};
use crate::store::ContentStatus;

/// Which sessions live on this node. Starts new ones, rehydrates stored ones (taking
/// them over from another node when needed), routes bus events to them, and forwards
/// crisis alerts to the admins connected here.
pub struct SessionRegistry {
    deps: Arc<Deps>,
    sessions: HashMap<Uuid, (Uuid, Addr<SessionActor>)>,
    per_user: HashMap<Uuid, HashSet<Uuid>>,
    /// Sessions being created or rehydrated per user, not yet counted in `per_user`.
    arriving: HashMap<Uuid, usize>,
    /// Sessions being rehydrated, with those waiting for it.
    restoring: HashMap<Uuid, Vec<oneshot::Sender<()>>>,
    /// Every socket on this node: its user, whether an admin holds it (crisis alerts go
    /// there), and its outbound channel.
    sockets: HashMap<u64, (Uuid, bool, mpsc::Sender<Outbound>)>,
}

impl SessionRegistry {
    pub fn new(deps: Arc<Deps>) -> Self {
        Self {
            deps,
            sessions: HashMap::new(),
            per_user: HashMap::new(),
            arriving: HashMap::new(),
            restoring: HashMap::new(),
            sockets: HashMap::new(),
        }
    }

    /// Starts the actor; a session not yet over counts as open.
    /// Starts the actor on `home`, the thread of the connection that asked for it (so a
    /// socket and its session talk without crossing threads, and sessions spread over
    /// the server's workers); a session not yet over counts as open.
    fn insert(
        &mut self,
        user_id: Uuid,
        core: Core,
        home: &ArbiterHandle,
        ctx: &mut Context<Self>,
    ) -> Addr<SessionActor> {
        let session_id = core.id;
        let over = crate::state_machine::is_terminal(core.machine.state());
        let (deps, registry) = (self.deps.clone(), ctx.address());
        let addr =
            SessionActor::start_in_arbiter(home, move |_| SessionActor::new(core, deps, registry));
        self.sessions.insert(session_id, (user_id, addr.clone()));
        if !over {
            self.per_user.entry(user_id).or_default().insert(session_id);
        }
        addr
    }

    fn remove(&mut self, session_id: Uuid) -> Option<Addr<SessionActor>> {
        let (user_id, addr) = self.sessions.remove(&session_id)?;
        self.forget_open(user_id, session_id);
        Some(addr)
    }

    /// The session no longer counts against the user's open conversations.
    fn forget_open(&mut self, user_id: Uuid, session_id: Uuid) {
        if let Some(set) = self.per_user.get_mut(&user_id) {
            set.remove(&session_id);
            if set.is_empty() {
                self.per_user.remove(&user_id);
            }
        }
    }

    /// Counts a session on its way in (checked against the cap) until [`Self::arrived`];
    /// false when the user already has as many open as allowed.
    fn arrive(&mut self, user_id: Uuid) -> bool {
        let arriving = self.arriving.get(&user_id).copied().unwrap_or(0);
        let open = self.per_user.get(&user_id).map_or(0, HashSet::len) + arriving;
        if open >= self.deps.max_sessions_per_user {
            return false;
        }
        // Counted now: arrivals running side by side cannot all pass the cap.
        self.arriving.insert(user_id, arriving + 1);
        true
    }

    fn arrived(&mut self, user_id: Uuid) {
        if let Some(count) = self.arriving.get_mut(&user_id) {
            *count -= 1;
            if *count == 0 {
                self.arriving.remove(&user_id);
            }
        }
    }
}

impl Actor for SessionRegistry {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        let mut events = self.deps.bus.subscribe();
        let registry = ctx.address();
        actix_web::rt::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(message) => registry.do_send(FromBus(message)),
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "session registry fell behind the bus");
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                }
            }
        });
    }
}

/// Start a new session.
#[derive(Message)]
#[rtype(result = "Result<(Uuid, Addr<SessionActor>), SessionError>")]
pub struct Create {
    pub user_id: Uuid,
    pub content_type: ContentType,
    pub intent: Option<Intent>,
    /// Start from this item to make a new version of it.
    pub content_id: Option<Uuid>,
    pub speak: bool,
    /// Where the session's actor runs: the caller's thread (`Arbiter::current()`).
    pub home: ArbiterHandle,
}

impl Handler<Create> for SessionRegistry {
    type Result = ResponseActFuture<Self, Result<(Uuid, Addr<SessionActor>), SessionError>>;

    fn handle(&mut self, msg: Create, _: &mut Context<Self>) -> Self::Result {
        if !self.arrive(msg.user_id) {
            return Box::pin(fut::ready(Err(SessionError::Limit)));
        }
        let (user_id, home) = (msg.user_id, msg.home.clone());
        let deps = self.deps.clone();
        let prepare = async move {
            let user: crate::store::User = deps
                .store
                .user_by_id(msg.user_id)
                .await
                .map_err(|e| SessionError::Internal(e.into()))?
                .filter(|u| u.status == UserStatus::Active)
                .ok_or(SessionError::NotFound)?;
            let personal = Personal {
                pace: user.preferences.pace,
                tone: user.preferences.tone,
            };
            let dialogue = match msg.content_id {
                Some(content_id) => {
                    let item = deps
                        .store
                        .content_item(content_id, msg.user_id)
                        .await
                        .map_err(|e| SessionError::Internal(e.into()))?
                        .filter(|item| item.status == ContentStatus::Ready)
                        .ok_or(SessionError::SourceNotFound)?;
                    let slots: Slots = serde_json::from_value(item.context).unwrap_or_default();
                    Dialogue::new(item.content_type, personal).revising(content_id, slots)
                }
                None => Dialogue::new(msg.content_type, personal).with_slots(Slots {
                    intent: msg.intent,
                    ..Slots::default()
                }),
            };
            let session_id = Uuid::new_v4();
            deps.sessions
                .take_ownership(session_id, &deps.node_id, deps.session_ttl)
                .await
                .map_err(SessionError::Internal)?;
            Ok::<Core, SessionError>(Core::new(session_id, msg.user_id, dialogue, msg.speak))
        };
        Box::pin(
            super::offload_try(prepare)
                .into_actor(self)
                .map(move |core, act, ctx| {
                    act.arrived(user_id);
                    let core = core?;
                    let session_id = core.id;
                    metrics::counter!("sessions_started_total").increment(1);
                    Ok((session_id, act.insert(msg.user_id, core, &home, ctx)))
                }),
        )
    }
}

/// Find a session: live here, or rehydrated from its snapshot (taken over from
/// whichever node held it).
#[derive(Message, Clone)]
#[rtype(result = "Result<Addr<SessionActor>, SessionError>")]
pub struct Open {
    pub user_id: Uuid,
    pub session_id: Uuid,
    /// Where a rehydrated session's actor runs: the caller's thread.
    pub home: ArbiterHandle,
}

impl Handler<Open> for SessionRegistry {
    type Result = ResponseActFuture<Self, Result<Addr<SessionActor>, SessionError>>;

    fn handle(&mut self, msg: Open, ctx: &mut Context<Self>) -> Self::Result {
        if let Some((owner, addr)) = self.sessions.get(&msg.session_id) {
            if *owner != msg.user_id {
                return Box::pin(fut::ready(Err(SessionError::NotFound)));
            }
            if addr.connected() {
                return Box::pin(fut::ready(Ok(addr.clone())));
            }
            // Stopped but not yet unregistered: rehydrate from the snapshot.
        }
        if let Some(waiting) = self.restoring.get_mut(&msg.session_id) {
            // One rehydration at a time: the others ask again once it is done.
            let (done, wait) = oneshot::channel();
            waiting.push(done);
            let registry = ctx.address();
            let again = async move {
                let _ = wait.await;
                registry.send(msg).await.map_err(SessionError::from)?
            };
            return Box::pin(again.into_actor(self));
        }
        self.remove(msg.session_id);
        if !self.arrive(msg.user_id) {
            return Box::pin(fut::ready(Err(SessionError::Limit)));
        }
        self.restoring.insert(msg.session_id, Vec::new());
        let deps = self.deps.clone();
        let rehydrate = async move {
            let mut core = load_core(&deps, msg.session_id, msg.user_id).await?;
            let previous = deps
                .sessions
                .take_ownership(msg.session_id, &deps.node_id, deps.session_ttl)
                .await
                .map_err(SessionError::Internal)?;
            // Bump the version: a previous owner still writing now fails and stops.
            core.save(&deps).await?;
            if previous.as_deref().is_some_and(|p| p != deps.node_id) {
                deps.bus
                    .publish(BusMessage::Evict {
                        session_id: msg.session_id,
                        owner: deps.node_id.clone(),
                        version: core.version,
                    })
                    .await;
            }
            Ok::<Core, SessionError>(core)
        };
        Box::pin(
            super::offload_try(rehydrate)
                .into_actor(self)
                .map(move |core, act, ctx| {
                    act.arrived(msg.user_id);
                    for waiting in act.restoring.remove(&msg.session_id).unwrap_or_default() {
                        let _ = waiting.send(());
                    }
                    let core = core?;
                    metrics::counter!("sessions_rehydrated_total").increment(1);
                    // A generation that ended meanwhile is caught up once a socket
                    // attaches (or by the session's periodic check).
                    Ok(act.insert(msg.user_id, core, &msg.home, ctx))
                }),
        )
    }
}

/// Where a session stands, without taking it over: its actor's view when it lives here,
/// else its snapshot.
#[derive(Message)]
#[rtype(result = "Result<SessionView, SessionError>")]
pub struct Peek {
    pub user_id: Uuid,
    pub session_id: Uuid,
}

impl Handler<Peek> for SessionRegistry {
    type Result = ResponseFuture<Result<SessionView, SessionError>>;

    fn handle(&mut self, msg: Peek, _: &mut Context<Self>) -> Self::Result {
        let live = self
            .sessions
            .get(&msg.session_id)
            .filter(|(_, addr)| addr.connected())
            .map(|(_, addr)| addr.clone());
        let deps = self.deps.clone();
        Box::pin(super::offload_try(async move {
            if let Some(addr) = live {
                return addr
                    .send(View {
                        user_id: msg.user_id,
                    })
                    .await
                    .map_err(SessionError::from)?;
            }
            let core = load_core(&deps, msg.session_id, msg.user_id).await?;
            Ok(SessionView::of(&core))
        }))
    }
}

/// A session's snapshot, if it is the user's and has not expired.
async fn load_core(deps: &Deps, session_id: Uuid, user_id: Uuid) -> Result<Core, SessionError> {
    let (version, bytes) = deps
        .sessions
        .load(session_id)
        .await
        .map_err(SessionError::Internal)?
        .ok_or(SessionError::Expired)?;
    let core = Core::restore(version, &bytes).map_err(SessionError::Internal)?;
    if core.user_id != user_id {
        return Err(SessionError::NotFound);
    }
    Ok(core)
}

/// A session actor stopped.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Unregister {
    pub session_id: Uuid,
    pub addr: Addr<SessionActor>,
}

impl Handler<Unregister> for SessionRegistry {
    type Result = ();

    fn handle(&mut self, msg: Unregister, _: &mut Context<Self>) {
        if self
            .sessions
            .get(&msg.session_id)
            .is_some_and(|(_, addr)| *addr == msg.addr)
        {
            self.remove(msg.session_id);
        }
    }
}

/// A session ended (complete or cancelled): it no longer counts as open.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Finished {
    pub session_id: Uuid,
    pub user_id: Uuid,
}

impl Handler<Finished> for SessionRegistry {
    type Result = ();

    fn handle(&mut self, msg: Finished, _: &mut Context<Self>) {
        self.forget_open(msg.user_id, msg.session_id);
    }
}

/// A socket opened on this node (admins' sockets also receive crisis alerts).
#[derive(Message)]
#[rtype(result = "()")]
pub struct SocketJoin {
    pub socket_id: u64,
    pub user_id: Uuid,
    pub admin: bool,
    pub tx: mpsc::Sender<Outbound>,
}

#[derive(Message)]
#[rtype(result = "()")]
pub struct SocketLeave {
    pub socket_id: u64,
}

impl Handler<SocketJoin> for SessionRegistry {
    type Result = ();

    fn handle(&mut self, msg: SocketJoin, _: &mut Context<Self>) {
        self.sockets
            .insert(msg.socket_id, (msg.user_id, msg.admin, msg.tx));
    }
}

impl Handler<SocketLeave> for SessionRegistry {
    type Result = ();

    fn handle(&mut self, msg: SocketLeave, _: &mut Context<Self>) {
        self.sockets.remove(&msg.socket_id);
    }
}

#[derive(Message)]
#[rtype(result = "()")]
struct FromBus(BusMessage);

impl Handler<FromBus> for SessionRegistry {
    type Result = ();

    fn handle(&mut self, FromBus(message): FromBus, _: &mut Context<Self>) {
        match message {
            BusMessage::Evict {
                session_id,
                owner,
                version,
            } if owner != self.deps.node_id => {
                // The actor compares versions: a late eviction of an older takeover is
                // ignored. If it stops, it unregisters itself.
                if let Some((_, addr)) = self.sessions.get(&session_id) {
                    addr.do_send(Evicted { version });
                }
            }
            BusMessage::Evict { .. } => {}
            BusMessage::Generation { session_id, event } => {
                if let Some((_, addr)) = self.sessions.get(&session_id) {
                    addr.do_send(Generation(event));
                }
            }
            BusMessage::CrisisAlert { alert } => {
                // A full buffer keeps the admin (the socket is slow, not gone).
                self.sockets.retain(|_, (_, admin, tx)| {
                    !*admin
                        || !matches!(
                            tx.try_send(Outbound::Frame(ServerFrame::CrisisAlert {
                                alert: alert.clone(),
                            })),
                            Err(mpsc::error::TrySendError::Closed(_))
                        )
                });
            }
            BusMessage::AccountBlocked { user_id } => {
                for (owner, _, tx) in self.sockets.values() {
                    if *owner == user_id {
                        let _ = tx.try_send(Outbound::Shut {
                            code: CLOSE_ACCOUNT_BLOCKED,
                            reason: "the account is suspended or deleted",
                        });
                    }
                }
                for (owner, addr) in self.sessions.values() {
                    if *owner == user_id {
                        addr.do_send(Blocked);
                    }
                }
            }
        }
    }
}
