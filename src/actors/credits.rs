use std::sync::Arc;

use actix::prelude::*;

use crate::store::{NewGeneration, Repository, Reservation, StoreResult};

/// Holds credits for confirmed generations. The hold, the item and its job are written
/// in one transaction under the user's row lock, so concurrent confirmations of one
/// user can never hold more than the balance.
pub struct CreditActor {
    store: Arc<dyn Repository>,
}

impl CreditActor {
    pub fn new(store: Arc<dyn Repository>) -> Self {
        Self { store }
    }
}

impl Actor for CreditActor {
    type Context = Context<Self>;
}

/// Hold the cost of one confirmation and create its item and job.
#[derive(Message)]
#[rtype(result = "StoreResult<Reservation>")]
pub struct Reserve(pub NewGeneration);

impl Handler<Reserve> for CreditActor {
    type Result = ResponseFuture<StoreResult<Reservation>>;

    fn handle(&mut self, Reserve(new): Reserve, _: &mut Context<Self>) -> Self::Result {
        let store = self.store.clone();
        Box::pin(super::offload_try(async move {
            let reservation = store.reserve_generation(new).await;
            let outcome = match &reservation {
                Ok(Reservation::Created(_)) => "held",
                Ok(Reservation::Existing(_)) => "already_held",
                Ok(Reservation::Insufficient { .. }) => "insufficient",
                Err(_) => "error",
            };
            metrics::counter!("credit_reservations_total", "outcome" => outcome).increment(1);
            reservation
        }))
    }
}
