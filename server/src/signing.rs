//! Signed download URLs: anyone holding one may fetch the file until it expires, no
//! key needed (so it can go to a browser or a CDN). The signature is an HMAC-SHA256
//! over the export id, the file name and the expiry, with a secret that survives
//! restarts.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a signed URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature does not match (tampered, or made with another secret).
    Invalid,
    /// The signature is good but the URL has expired.
    Expired,
}

#[derive(Clone)]
pub struct Signer {
    secret: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer { .. }")
    }
}

impl Signer {
    pub fn new(secret: Vec<u8>) -> Signer {
        Signer { secret }
    }

    fn mac(&self, id: &str, file: &str, expires: i64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(id.as_bytes());
        mac.update(b"\n");
        mac.update(file.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    pub fn sign(&self, id: &str, file: &str, expires: i64) -> String {
        hex::encode(self.mac(id, file, expires).finalize().into_bytes())
    }

    /// Checks a signature (in constant time), then the expiry.
    pub fn verify(
        &self,
        id: &str,
        file: &str,
        expires: i64,
        signature: &str,
        now: i64,
    ) -> Result<(), SignatureError> {
        let given = hex::decode(signature).map_err(|_| SignatureError::Invalid)?;
        self.mac(id, file, expires)
            .verify_slice(&given)
            .map_err(|_| SignatureError::Invalid)?;
        if now > expires {
            return Err(SignatureError::Expired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_tamper_expire() {
        let s = Signer::new(b"secret".to_vec());
        let sig = s.sign("id1", "id1.png", 1000);
        assert_eq!(s.verify("id1", "id1.png", 1000, &sig, 999), Ok(()));
        assert_eq!(
            s.verify("id1", "id1.png", 1000, &sig, 1001),
            Err(SignatureError::Expired)
        );
        assert_eq!(
            s.verify("id1", "id1.png", 2000, &sig, 999),
            Err(SignatureError::Invalid),
            "a longer expiry needs a new signature"
        );
        assert_eq!(
            s.verify("id2", "id1.png", 1000, &sig, 999),
            Err(SignatureError::Invalid)
        );
        let other = Signer::new(b"other".to_vec());
        assert_eq!(
            other.verify("id1", "id1.png", 1000, &sig, 999),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            s.verify("id1", "id1.png", 1000, "zz", 999),
            Err(SignatureError::Invalid)
        );
    }
}
