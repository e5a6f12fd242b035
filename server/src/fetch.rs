//! Remote pictures (avatars, photos, group images) fetched over http(s), bounded in
//! time, size and redirects, and refused when a name resolves to an address inside
//! the operator's network (SSRF), unless the operator allows it.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mockly_engine::{DataUrls, ImageError, ImageSource};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::config::Config;

/// An [`ImageSource`] that serves `data:` URLs itself and fetches http(s) URLs,
/// keeping what it fetched for a short while.
#[derive(Debug)]
pub struct HttpImages {
    agent: ureq::Agent,
    max_bytes: u64,
    recent: Mutex<Recent>,
}

/// A fetched picture is reused for this long, so a preview refreshed as someone
/// types (up to ten a second) or a burst of renders of one payload asks the
/// picture's host once, not every time …
const REUSE_FOR: Duration = Duration::from_secs(60);
/// … within this many bytes of pictures kept, the oldest dropped first.
const REUSE_BYTES: usize = 64 * 1024 * 1024;

/// Recently fetched pictures by URL, oldest first.
#[derive(Debug, Default)]
struct Recent {
    bodies: HashMap<String, (Instant, Arc<Vec<u8>>)>,
    order: VecDeque<(Instant, String)>,
    bytes: usize,
}

impl Recent {
    fn get(&mut self, url: &str, now: Instant) -> Option<Arc<Vec<u8>>> {
        while self
            .order
            .front()
            .is_some_and(|(at, _)| now.duration_since(*at) >= REUSE_FOR)
        {
            self.drop_oldest();
        }
        self.bodies.get(url).map(|(_, body)| Arc::clone(body))
    }

    fn put(&mut self, url: &str, body: Arc<Vec<u8>>, now: Instant) {
        if body.len() > REUSE_BYTES / 4 {
            return;
        }
        if let Some((_, old)) = self.bodies.remove(url) {
            self.bytes -= old.len();
        }
        self.bytes += body.len();
        self.bodies.insert(url.to_owned(), (now, body));
        self.order.push_back((now, url.to_owned()));
        while self.bytes > REUSE_BYTES && !self.order.is_empty() {
            self.drop_oldest();
        }
    }

    /// Drops the oldest entry of the order, and its body unless the URL was
    /// fetched again since (then a later entry of the order is its own).
    fn drop_oldest(&mut self) {
        let Some((at, url)) = self.order.pop_front() else {
            return;
        };
        if self.bodies.get(&url).is_some_and(|(t, _)| *t == at)
            && let Some((_, body)) = self.bodies.remove(&url)
        {
            self.bytes -= body.len();
        }
    }
}

impl HttpImages {
    pub fn new(config: &Config) -> HttpImages {
        let agent_config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(config.fetch_timeout_secs.max(1))))
            .max_redirects(config.fetch_max_redirects)
            .http_status_as_error(false)
            .user_agent("mockly/0.1 (+image fetcher)")
            .build();
        let resolver = GuardedResolver {
            allow: config
                .fetch_allow
                .iter()
                .map(|s| Allowed::parse(s))
                .collect(),
        };
        HttpImages {
            agent: ureq::Agent::with_parts(agent_config, DefaultConnector::default(), resolver),
            max_bytes: config.fetch_max_bytes,
            recent: Mutex::new(Recent::default()),
        }
    }
}

impl ImageSource for HttpImages {
    fn fetch(&self, url: &str) -> Result<Vec<u8>, ImageError> {
        if url.starts_with("data:") {
            return DataUrls.fetch(url);
        }
        let now = Instant::now();
        let lock = || self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(body) = lock().get(url, now) {
            return Ok(body.as_ref().clone());
        }
        let body = self.fetch_remote(url)?;
        lock().put(url, Arc::new(body.clone()), now);
        Ok(body)
    }
}

impl HttpImages {
    fn fetch_remote(&self, url: &str) -> Result<Vec<u8>, ImageError> {
        let mut response = self
            .agent
            .get(url)
            .call()
            .map_err(|e| ImageError::Fetch(describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(ImageError::Fetch(format!(
                "the server answered HTTP {status}"
            )));
        }
        response
            .body_mut()
            .with_config()
            .limit(self.max_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    ImageError::Fetch(format!("larger than {} bytes", self.max_bytes))
                }
                other => ImageError::Fetch(describe(&other)),
            })
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".to_owned(),
        ureq::Error::TooManyRedirects => "too many redirects".to_owned(),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => io.to_string(),
        other => other.to_string(),
    }
}

/// An entry of the operator's allow-list.
#[derive(Debug, Clone, PartialEq)]
enum Allowed {
    Host(String),
    Net(IpAddr, u8),
}

impl Allowed {
    fn parse(s: &str) -> Allowed {
        let s = s.trim();
        let (addr, bits) = s.split_once('/').unwrap_or((s, ""));
        match addr.parse::<IpAddr>() {
            Ok(ip) => {
                let full = if ip.is_ipv4() { 32 } else { 128 };
                let bits = bits.parse().unwrap_or(full).min(full);
                Allowed::Net(ip, bits)
            }
            Err(_) => Allowed::Host(s.to_ascii_lowercase()),
        }
    }

    fn covers(&self, host: &str, ip: IpAddr) -> bool {
        match self {
            Allowed::Host(h) => h == &host.to_ascii_lowercase(),
            Allowed::Net(net, bits) => in_net(ip, *net, *bits),
        }
    }
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// Addresses a fetch must not reach without the operator's say-so.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal_v4(v4);
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || in_net(
                    ip,
                    IpAddr::V6(Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0)),
                    7,
                )
                || in_net(
                    ip,
                    IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0)),
                    10,
                )
        }
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_unspecified()
        || ip.is_broadcast()
        // Carrier-grade NAT, shared address space.
        || in_net(IpAddr::V4(ip), IpAddr::V4(Ipv4Addr::new(100, 64, 0, 0)), 10)
        || ip.octets()[0] == 0
}

/// Resolves like the default resolver, then drops internal addresses. Every
/// connection, redirects included, goes through here, IP literals too.
#[derive(Debug)]
struct GuardedResolver {
    allow: Vec<Allowed>,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let found = DefaultResolver::default().resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default();
        let mut kept = self.empty();
        let mut refused = None;
        for addr in found.iter().copied() {
            let ip = addr.ip();
            if !is_internal(ip) || self.allow.iter().any(|a| a.covers(host, ip)) {
                kept.push(addr);
            } else {
                refused = Some(ip);
            }
        }
        match (kept.is_empty(), refused) {
            (true, Some(ip)) => Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{host} resolves to {ip}, an internal address, which is not allowed"),
            ))),
            (true, None) => Err(ureq::Error::HostNotFound),
            _ => Ok(kept),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_pictures_are_reused_for_a_while_within_a_byte_bound() {
        let t0 = Instant::now();
        let mut recent = Recent::default();
        recent.put("a", Arc::new(vec![1; 10]), t0);
        assert_eq!(
            recent.get("a", t0 + Duration::from_secs(59)).unwrap().len(),
            10
        );
        assert!(recent.get("a", t0 + REUSE_FOR).is_none(), "expired");
        assert_eq!(recent.bytes, 0);

        // Fetched again: the newer copy is kept past the older one's expiry.
        recent.put("b", Arc::new(vec![1; 10]), t0);
        recent.put("b", Arc::new(vec![2; 20]), t0 + Duration::from_secs(30));
        let b = recent.get("b", t0 + Duration::from_secs(70)).unwrap();
        assert_eq!(b.len(), 20);
        assert_eq!(recent.bytes, 20);

        // Over the byte bound, the oldest go first; the largest are never kept.
        let quarter = REUSE_BYTES / 4;
        for (i, name) in ["c", "d", "e", "f", "g"].iter().enumerate() {
            recent.put(
                name,
                Arc::new(vec![0; quarter]),
                t0 + Duration::from_secs(31 + i as u64),
            );
        }
        assert!(recent.bytes <= REUSE_BYTES);
        let later = t0 + Duration::from_secs(40);
        assert!(recent.get("b", later).is_none() && recent.get("c", later).is_none());
        assert!(recent.get("g", later).is_some());
        recent.put("huge", Arc::new(vec![0; quarter + 1]), later);
        assert!(recent.get("huge", later).is_none());
    }

    #[test]
    fn internal_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.1.1",
            "224.0.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700::1111"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn allow_list_entries() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(Allowed::parse("127.0.0.0/8").covers("x", local));
        assert!(Allowed::parse("127.0.0.1").covers("x", local));
        assert!(!Allowed::parse("10.0.0.0/8").covers("x", local));
        assert!(Allowed::parse("Images.Intranet").covers("images.intranet", local));
    }

    #[test]
    fn loopback_is_refused_by_default() {
        let images = HttpImages::new(&Config::default());
        let err = images.fetch("http://127.0.0.1:9/a.png").unwrap_err();
        assert!(err.to_string().contains("internal address"), "{err}");
    }
}
