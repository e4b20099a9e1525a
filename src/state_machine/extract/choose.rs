//! Choosing.

use super::*;

/// The first value of a kind that is not negated anywhere in the message.
pub(super) fn pick<T: Copy + PartialEq>(
    hits: &[Hit],
    kind: impl Fn(Value) -> Option<T>,
) -> Option<T> {
    let found: Vec<(T, bool)> = hits
        .iter()
        .filter_map(|h| kind(h.value).map(|v| (v, h.negated)))
        .collect();
    let refused = |v: T| found.iter().any(|&(w, negated)| negated && w == v);
    found
        .iter()
        .find(|&&(v, negated)| !negated && !refused(v))
        .map(|&(v, _)| v)
}

/// The first strong intent that is not negated anywhere, else the first weak one.
pub(super) fn pick_intent(hits: &[Hit]) -> Option<Intent> {
    let found: Vec<(Intent, Strength, bool)> = hits
        .iter()
        .filter_map(|h| match h.value {
            Value::Intent(intent, strength, _) => Some((intent, strength, h.negated)),
            _ => None,
        })
        .collect();
    let refused = |i: Intent| found.iter().any(|&(x, _, negated)| negated && x == i);
    [Strength::Strong, Strength::Weak]
        .into_iter()
        .find_map(|tier| {
            found
                .iter()
                .find(|&&(i, s, negated)| s == tier && !negated && !refused(i))
                .map(|&(i, _, _)| i)
        })
}
