//! Expiring media URLs for the folder store: `/media/{key}?expires={unix}&sig={hex}`.
//!
//! `sig` is HMAC-SHA256 over `"{key}\n{expires}"` with a key derived from the JWT secret,
//! so every node that shares that secret signs and verifies the same URLs and no new
//! secret has to be configured. Checking is pure (the clock is passed in).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::BlobKey;

type HmacSha256 = Hmac<Sha256>;

/// Domain separation: the media key can never be mistaken for (or reveal) the JWT key.
const MEDIA_KEY_LABEL: &[u8] = b"waqup media url v1";

/// Derives the media URL signing key from the application's JWT secret.
pub fn derive_signing_key(secret: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(MEDIA_KEY_LABEL);
    mac.finalize().into_bytes().into()
}

/// Why a media URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlCheckError {
    /// Missing, malformed or wrong signature (or a key or expiry that was altered).
    #[error("the media URL is not valid")]
    Invalid,
    /// The signature is right but the URL's time is up.
    #[error("the media URL has expired")]
    Expired,
}

/// Signs and checks media URLs.
#[derive(Clone)]
pub struct UrlSigner {
    key: [u8; 32],
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlSigner([REDACTED])")
    }
}

impl UrlSigner {
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    fn mac(&self, key: &str, expires: u64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(key.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// The hex signature of `key` valid until `expires` (Unix seconds).
    pub fn sign(&self, key: &BlobKey, expires: u64) -> String {
        hex::encode(self.mac(key.as_str(), expires).finalize().into_bytes())
    }

    /// The query string of a URL for `key` valid until `expires`.
    pub fn query(&self, key: &BlobKey, expires: u64) -> String {
        format!("expires={expires}&sig={}", self.sign(key, expires))
    }

    /// Checks the `expires` and `sig` parameters of a request for `key` at `now` (Unix
    /// seconds) and returns the expiry. The signature is checked first, in constant
    /// time, so an altered URL never learns whether it would have been expired.
    pub fn verify(
        &self,
        key: &str,
        expires: Option<&str>,
        sig: Option<&str>,
        now: u64,
    ) -> Result<u64, UrlCheckError> {
        let (Some(expires_text), Some(sig)) = (expires, sig) else {
            return Err(UrlCheckError::Invalid);
        };
        // Only the canonical decimal form was signed: no sign, no leading zeros.
        let expires: u64 = expires_text.parse().map_err(|_| UrlCheckError::Invalid)?;
        if expires.to_string() != expires_text {
            return Err(UrlCheckError::Invalid);
        }
        let sig = hex::decode(sig).map_err(|_| UrlCheckError::Invalid)?;
        self.mac(key, expires)
            .verify_slice(&sig)
            .map_err(|_| UrlCheckError::Invalid)?;
        if now >= expires {
            return Err(UrlCheckError::Expired);
        }
        Ok(expires)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    fn signer() -> UrlSigner {
        UrlSigner::new(derive_signing_key(b"a jwt secret of a decent length, 0123"))
    }

    const KEY: &str = "audio/u/c/1.mp3";

    fn key() -> BlobKey {
        BlobKey::parse(KEY).unwrap()
    }

    #[test]
    fn a_fresh_url_is_accepted() {
        let signer = signer();
        let sig = signer.sign(&key(), NOW + 60);
        assert_eq!(sig.len(), 64);
        let expires = (NOW + 60).to_string();
        assert_eq!(
            signer.verify(key().as_str(), Some(&expires), Some(&sig), NOW),
            Ok(NOW + 60)
        );
        // Upper-case hex decodes to the same bytes.
        let upper = sig.to_ascii_uppercase();
        assert!(
            signer
                .verify(key().as_str(), Some(&expires), Some(&upper), NOW)
                .is_ok()
        );
    }

    #[test]
    fn an_expired_url_is_refused_as_expired() {
        let signer = signer();
        let sig = signer.sign(&key(), NOW);
        let expires = NOW.to_string();
        assert_eq!(
            signer.verify(key().as_str(), Some(&expires), Some(&sig), NOW),
            Err(UrlCheckError::Expired)
        );
        assert_eq!(
            signer.verify(key().as_str(), Some(&expires), Some(&sig), NOW + 3600),
            Err(UrlCheckError::Expired)
        );
    }

    #[test]
    fn altered_urls_are_invalid() {
        let signer = signer();
        let expires = (NOW + 60).to_string();
        let sig = signer.sign(&key(), NOW + 60);
        let mut flipped = sig.clone().into_bytes();
        flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        let later = (NOW + 600).to_string();
        let padded = format!("0{expires}");
        let other_secret = UrlSigner::new(derive_signing_key(b"another secret, also long enough"));
        let other_sig = other_secret.sign(&key(), NOW + 60);
        let cases: Vec<(&str, Option<&str>, Option<&str>)> = vec![
            // Another key with this key's signature.
            ("audio/u/c/2.mp3", Some(&expires), Some(&sig)),
            // A later expiry with the old signature.
            (KEY, Some(&later), Some(&sig)),
            // The same number written another way.
            (KEY, Some(&padded), Some(&sig)),
            // A changed signature, a truncated one, another node's secret.
            (KEY, Some(&expires), Some(&flipped)),
            (KEY, Some(&expires), Some(&sig[..62])),
            (KEY, Some(&expires), Some(&other_sig)),
            // Garbage and missing parts.
            (KEY, Some(&expires), Some("zz")),
            (KEY, Some(&expires), Some("")),
            (KEY, Some("soon"), Some(&sig)),
            (KEY, Some("-1"), Some(&sig)),
            (KEY, Some(""), Some(&sig)),
            (KEY, None, Some(&sig)),
            (KEY, Some(&expires), None),
            (KEY, None, None),
        ];
        for (key, expires, sig) in cases {
            assert_eq!(
                signer.verify(key, expires, sig, NOW),
                Err(UrlCheckError::Invalid),
                "{key} {expires:?} {sig:?}"
            );
        }
    }

    #[test]
    fn tampered_and_expired_reads_as_invalid() {
        let signer = signer();
        let sig = signer.sign(&key(), NOW - 10);
        let later = (NOW - 5).to_string();
        assert_eq!(
            signer.verify(key().as_str(), Some(&later), Some(&sig), NOW),
            Err(UrlCheckError::Invalid)
        );
    }

    #[test]
    fn the_derived_key_depends_on_the_secret() {
        assert_ne!(
            derive_signing_key(b"one secret"),
            derive_signing_key(b"two secret")
        );
        assert_eq!(
            derive_signing_key(b"one secret"),
            derive_signing_key(b"one secret")
        );
        assert_ne!(derive_signing_key(b"one secret"), [0u8; 32]);
    }
}
