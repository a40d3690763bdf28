//! A per-address request budget for expensive public endpoints (search, comments): a fixed
//! window (a minute unless told) per address, kept in memory. Losing it on restart is harmless; the login
//! lockouts that matter are in the database.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

const WINDOW_MICROS: i64 = 60_000_000;
/// A bound on memory: past this many addresses the table starts over.
const MAX_ADDRESSES: usize = 100_000;

pub struct RateLimiter {
    per_window: u32,
    window: i64,
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    /// `per_minute` of 0 turns the limit off.
    pub fn new(per_minute: u32) -> Self {
        Self::with_window(per_minute, WINDOW_MICROS)
    }

    /// A budget of `per_window` requests per `window_micros`; 0 turns the limit off.
    pub fn with_window(per_window: u32, window_micros: i64) -> Self {
        Self { per_window, window: window_micros.max(1), windows: Mutex::new(HashMap::new()) }
    }

    /// Counts a request; the seconds to wait when the address has used its budget.
    pub fn check(&self, address: &str, now: i64) -> Result<(), u64> {
        if self.per_window == 0 {
            return Ok(());
        }
        // A panic elsewhere while holding the lock must not switch the limit off.
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() >= MAX_ADDRESSES {
            windows.clear();
        }
        let entry = windows.entry(address.to_owned()).or_insert((now, 0));
        if now - entry.0 >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        if entry.1 <= self.per_window {
            Ok(())
        } else {
            Err(u64::try_from((entry.0 + self.window - now).div_euclid(1_000_000)).unwrap_or(0).max(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_per_address_per_minute() {
        let r = RateLimiter::new(2);
        assert!(r.check("a", 0).is_ok() && r.check("a", 1).is_ok());
        assert_eq!(r.check("a", 2), Err(59));
        assert!(r.check("b", 2).is_ok(), "another address has its own budget");
        assert!(r.check("a", WINDOW_MICROS + 1).is_ok(), "a new minute");
        assert!(RateLimiter::new(0).check("a", 0).is_ok());
    }

    #[test]
    fn a_poisoned_lock_keeps_limiting() {
        let r = std::sync::Arc::new(RateLimiter::new(1));
        let poisoner = r.clone();
        let _ = std::thread::spawn(move || {
            let _guard = poisoner.windows.lock().expect("lock");
            panic!("poison the lock");
        })
        .join();
        assert!(r.windows.is_poisoned());
        assert!(r.check("a", 0).is_ok());
        assert!(r.check("a", 1).is_err(), "the limit still holds after a panic elsewhere");
    }
}
