//! API keys: `mk_live_` and 32 random letters and digits. Only a SHA-256 hash is
//! stored; the first twelve characters are kept to show which key is which.

use rand::Rng;
use sha2::{Digest, Sha256};

pub const KEY_PREFIX: &str = "mk_live_";
const RANDOM_CHARS: usize = 32;
/// Characters of a key shown in listings and logs.
pub const DISPLAY_PREFIX_LEN: usize = KEY_PREFIX.len() + 4;

/// A freshly made key, to be shown once.
#[derive(Debug, Clone)]
pub struct NewKey {
    pub secret: String,
    pub prefix: String,
    pub hash: Vec<u8>,
}

pub fn generate() -> NewKey {
    let mut rng = rand::rng();
    let random: String = (0..RANDOM_CHARS)
        .map(|_| char::from(rng.sample(rand::distr::Alphanumeric)))
        .collect();
    let secret = format!("{KEY_PREFIX}{random}");
    NewKey {
        prefix: secret[..DISPLAY_PREFIX_LEN].to_owned(),
        hash: hash(&secret),
        secret,
    }
}

pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Whether a bearer token has the shape of one of our keys (checked before any
/// database lookup).
pub fn well_formed(token: &str) -> bool {
    token.len() == KEY_PREFIX.len() + RANDOM_CHARS
        && token.starts_with(KEY_PREFIX)
        && token[KEY_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_well_formed_and_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a.secret, b.secret);
        assert!(well_formed(&a.secret));
        assert!(a.secret.starts_with(&a.prefix));
        assert_eq!(a.hash, hash(&a.secret));
        assert!(!well_formed("mk_live_short"));
        assert!(!well_formed(&a.secret.replace("mk_live_", "mk_test_")));
    }
}
