//! The audit log of sensitive actions: failed sign-ins, role changes, payments, refunds,
//! deletions and everything administrators do. Writing it never fails the action: an
//! entry that cannot be stored is logged instead.

use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::store::{AuditEntry, Repository};
use crate::time::now;

/// Actions recorded, by name.
pub mod action {
    pub const LOGIN_FAILED: &str = "auth.login_failed";
    pub const ROLE_CHANGED: &str = "user.role_changed";
    pub const ACCOUNT_DELETED: &str = "user.deleted";
    pub const USER_SUSPENDED: &str = "admin.user_suspended";
    pub const USER_RESTORED: &str = "admin.user_restored";
    pub const ALERT_REVIEWED: &str = "admin.crisis_alert_reviewed";
    pub const PACK_ARCHIVED: &str = "admin.pack_archived";
    pub const PAYMENT_EVENT: &str = "payment.event_applied";
    pub const REFUND: &str = "payment.refund_applied";
}

/// Who did it and from where.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub role: Option<&'static str>,
    pub ip: Option<String>,
}

impl Actor {
    pub fn user(user: &AuthUser, ip: Option<String>) -> Self {
        Actor {
            id: Some(user.id),
            role: Some(user.role.as_str()),
            ip,
        }
    }

    /// The payment provider, through its signed webhook.
    pub fn provider() -> Self {
        Actor {
            id: None,
            role: Some("payment_provider"),
            ip: None,
        }
    }
}

#[derive(Clone)]
pub struct Audit {
    store: Arc<dyn Repository>,
}

impl Audit {
    pub fn new(store: Arc<dyn Repository>) -> Self {
        Self { store }
    }

    pub async fn record(
        &self,
        actor: Actor,
        action: &'static str,
        target: Option<(&'static str, String)>,
        details: Value,
    ) {
        let (target_type, target_id) = match target {
            Some((kind, id)) => (Some(kind.to_owned()), Some(id)),
            None => (None, None),
        };
        let entry = AuditEntry {
            id: Uuid::now_v7(),
            actor_id: actor.id,
            actor_role: actor.role.map(str::to_owned),
            action: action.to_owned(),
            target_type,
            target_id,
            details,
            ip: actor.ip,
            created_at: now(),
        };
        if let Err(e) = self.store.record_audit(entry).await {
            tracing::error!(error = %e, action, "writing the audit log failed");
        }
    }
}
