//! Webhook signatures in Stripe's scheme: the `Stripe-Signature` header
//! `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` (more `v1` entries may follow
//! while a secret is being rolled). The sandbox signs with the same scheme, so one check
//! serves both.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header Stripe (and the sandbox) put the signature in.
pub const SIGNATURE_HEADER: &str = "Stripe-Signature";

/// Why a webhook's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is missing")]
    Missing,
    #[error("the Stripe-Signature header has no timestamp or no v1 signature")]
    Malformed,
    #[error("the signature's timestamp is outside the tolerance")]
    OutsideTolerance,
    #[error("no v1 signature matches the payload")]
    Mismatch,
}

/// The header value for `body` signed at `timestamp` (unix seconds).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(digest))
}

/// The MAC of `<timestamp>.<body>`, ready to finalize or verify.
fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks `header` against `body`: some `v1` must match (compared in constant time)
/// and the timestamp must be within `tolerance_secs` of `now` either way.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &[u8],
    tolerance_secs: i64,
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => {
                if let Ok(bytes) = hex::decode(value) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > tolerance_secs {
        return Err(SignatureError::OutsideTolerance);
    }
    let matched = signatures
        .iter()
        .any(|candidate| mac(secret, timestamp, body).verify_slice(candidate).is_ok());
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;

    #[test]
    fn a_signature_verifies_against_its_body_and_secret() {
        let header = sign(SECRET, 1_000, BODY);
        assert!(header.starts_with("t=1000,v1="));
        assert_eq!(verify(Some(&header), BODY, SECRET, 300, 1_100), Ok(()));
        // A second (rolled) signature that matches is enough.
        let rolled = format!("t=1000,v1={},v1={}", "00".repeat(32), &header[10..]);
        assert_eq!(verify(Some(&rolled), BODY, SECRET, 300, 1_000), Ok(()));
    }

    #[test]
    fn refusals_name_the_reason() {
        let header = sign(SECRET, 1_000, BODY);
        type Case<'a> = (Option<&'a str>, &'a [u8], &'a [u8], i64, SignatureError);
        let cases: [Case; 6] = [
            (None, BODY, SECRET, 1_000, SignatureError::Missing),
            (
                Some("v1=abcd"),
                BODY,
                SECRET,
                1_000,
                SignatureError::Malformed,
            ),
            (
                Some("t=1000"),
                BODY,
                SECRET,
                1_000,
                SignatureError::Malformed,
            ),
            (
                Some(&header),
                BODY,
                b"whsec_other",
                1_000,
                SignatureError::Mismatch,
            ),
            (
                Some(&header),
                b"{\"id\":\"evt_2\"}",
                SECRET,
                1_000,
                SignatureError::Mismatch,
            ),
            (
                Some(&header),
                BODY,
                SECRET,
                1_301,
                SignatureError::OutsideTolerance,
            ),
        ];
        for (header, body, secret, now, expected) in cases {
            assert_eq!(
                verify(header, body, secret, 300, now),
                Err(expected.clone()),
                "{expected:?}"
            );
        }
        // From the future beyond the tolerance is refused too.
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 300, 699),
            Err(SignatureError::OutsideTolerance)
        );
    }
}
