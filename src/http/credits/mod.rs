//! `/api/v1/credits/*`: balance and ledger history.

mod balance;
mod transactions;

pub use balance::{__path_balance, BalanceResponse, balance};
pub use transactions::{
    __path_transactions, TransactionView, TransactionsQuery, TransactionsResponse, transactions,
};
