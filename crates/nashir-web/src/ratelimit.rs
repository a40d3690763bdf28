//! A per-address request budget for expensive public endpoints (search): a fixed window
//! of one minute per address, kept in memory. Losing it on restart is harmless; the login
//! lockouts that matter are in the database.

use std::collections::HashMap;
use std::sync::Mutex;

const WINDOW_MICROS: i64 = 60_000_000;
/// A bound on memory: past this many addresses the table starts over.
const MAX_ADDRESSES: usize = 100_000;

pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl RateLimiter {
    /// `per_minute` of 0 turns the limit off.
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts a request; false when the address has used its budget for this minute.
    pub fn allow(&self, address: &str, now: i64) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let Ok(mut windows) = self.windows.lock() else { return true };
        if windows.len() >= MAX_ADDRESSES {
            windows.clear();
        }
        let entry = windows.entry(address.to_owned()).or_insert((now, 0));
        if now - entry.0 >= WINDOW_MICROS {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.per_minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_per_address_per_minute() {
        let r = RateLimiter::new(2);
        assert!(r.allow("a", 0) && r.allow("a", 1));
        assert!(!r.allow("a", 2));
        assert!(r.allow("b", 2), "another address has its own budget");
        assert!(r.allow("a", WINDOW_MICROS + 1), "a new minute");
        assert!(RateLimiter::new(0).allow("a", 0));
    }
}
