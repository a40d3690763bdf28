//! Who is asking: the client's address, from the connection or, behind a configured trusted
//! proxy, from `X-Forwarded-For`. Rate limits and login lockouts count by it.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// The client's address: the connection's, or behind a trusted proxy the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy.
pub(crate) fn client_address(peer: Option<SocketAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer else { return "unknown".into() };
    let ip = peer.ip();
    if !trusted.contains(&ip) {
        return ip.to_string();
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    forwarded.iter().rev().find(|a| !trusted.contains(a)).copied().unwrap_or(ip).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_trusted_only_from_a_trusted_proxy() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "203.0.113.9, 10.0.0.2".parse().expect("header"));
        let proxy: IpAddr = "10.0.0.2".parse().expect("ip");
        let peer = Some(SocketAddr::new(proxy, 1));
        assert_eq!(client_address(peer, &h, &[]), "10.0.0.2");
        assert_eq!(client_address(peer, &h, &[proxy]), "203.0.113.9");
        let direct = Some(SocketAddr::new("198.51.100.1".parse().expect("ip"), 1));
        assert_eq!(client_address(direct, &h, &[proxy]), "198.51.100.1");
    }
}
