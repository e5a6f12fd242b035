//! A fair share of a pool for each API key: a key's requests first wait for a place
//! in its own share, so one key sending many at once queues behind itself instead of
//! taking every place in the pool from the others.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

/// Places per key, kept for keys while they use them.
#[derive(Debug)]
pub struct KeyShares {
    per_key: usize,
    keys: Mutex<HashMap<i64, Arc<Semaphore>>>,
}

impl KeyShares {
    pub fn new(per_key: usize) -> KeyShares {
        KeyShares {
            per_key: per_key.max(1),
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// The share of `key` (made on first use).
    pub fn of(&self, key: i64) -> Arc<Semaphore> {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.entry(key)
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_key)))
            .clone()
    }

    /// Forgets the shares no request holds or waits for.
    pub fn prune(&self) {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        keys.retain(|_, s| Arc::strong_count(s) > 1 || s.available_permits() < self.per_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_waits_on_its_own_share() {
        let shares = KeyShares::new(2);
        let a = shares.of(1);
        let _p1 = a.clone().try_acquire_owned().unwrap();
        let _p2 = a.clone().try_acquire_owned().unwrap();
        assert!(
            a.clone().try_acquire_owned().is_err(),
            "key 1 used its share"
        );
        assert!(
            shares.of(2).try_acquire_owned().is_ok(),
            "key 2 has its own"
        );
        drop(a);
        shares.prune();
        // Key 1's share is held, so it stays; key 2's is idle and goes.
        assert_eq!(shares.keys.lock().unwrap().len(), 1);
    }
}
