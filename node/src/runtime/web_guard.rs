//! Web pages cannot act on a node (or on the visualizer).
//!
//! Every participant's browser visits other sites, and any site can make
//! the browser send requests to `http://localhost:7001`. Two checks, on
//! every request, keep such pages out while curl, peers and the
//! visualizer (none of which sends an `Origin`) go on as before:
//!
//! * **Origin** — a browser names the page that makes a request. A request
//!   from a page of another origin is refused; so a cross-site form posting
//!   `/admin/crash` does nothing.
//! * **Host** — DNS rebinding points a site's own name at 127.0.0.1, which
//!   makes its pages same-origin with the node. The name a request was sent
//!   to must be one this server answers to: an IP address, `localhost`, or
//!   a name it was told (`--advertise`), never a stranger's domain.
//!
//! The sheet's bare `curl -X POST http://localhost:7001/update` passes both.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The names a server answers to besides IP addresses and `localhost`.
#[derive(Clone, Debug, Default)]
pub struct Names(Arc<Vec<String>>);

impl Names {
    pub fn new(names: impl IntoIterator<Item = String>) -> Names {
        let names = names.into_iter().map(|n| n.to_ascii_lowercase()).collect();
        Names(Arc::new(names))
    }

    /// Whether a request sent to `host` (a `Host` header: name and port)
    /// was meant for this server.
    fn answers_to(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        let localhost = name == "localhost" || name.ends_with(".localhost");
        let ip = name.parse::<std::net::IpAddr>().is_ok();
        localhost || ip || self.0.contains(&name)
    }
}

/// The name in `host[:port]` (brackets kept off an IPv6 address).
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// Why a request is refused, if it comes from a web page or a name this
/// server does not answer to.
pub fn check(headers: &HeaderMap, names: &Names) -> Result<(), String> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !host.is_empty() && !names.answers_to(host) {
        return Err(format!(
            "this server does not answer to the name {:?} (a web page's DNS trick?); use \
             its address, or localhost",
            host.chars().take(60).collect::<String>()
        ));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("");
    let same = origin
        .strip_prefix("http://")
        .is_some_and(|rest| rest.eq_ignore_ascii_case(host));
    match same {
        true => Ok(()),
        false => Err(format!(
            "requests from web pages of another origin ({:?}) are refused: use curl, or the \
             visualizer's page",
            origin.chars().take(60).collect::<String>()
        )),
    }
}

/// The check as a middleware: `Router::layer(from_fn_with_state(names, guard))`.
pub async fn guard(State(names): State<Names>, request: Request, next: Next) -> Response {
    match check(request.headers(), &names) {
        Ok(()) => next.run(request).await,
        Err(why) => {
            let body = axum::Json(serde_json::json!({ "error": why }));
            (StatusCode::FORBIDDEN, body).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(host: &str, origin: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
        }
        headers
    }

    #[test]
    fn curl_peers_and_same_origin_pages_pass() {
        let names = Names::new(["laptop-7.local".to_owned()]);
        for host in [
            "localhost:7001",
            "127.0.0.1:7001",
            "[::1]:7001",
            "10.0.0.7:7001",
        ] {
            assert_eq!(check(&headers(host, None), &names), Ok(()), "{host}");
        }
        assert_eq!(check(&headers("laptop-7.local:7001", None), &names), Ok(()));
        let page = headers("localhost:8080", Some("http://localhost:8080"));
        assert_eq!(check(&page, &names), Ok(()));
    }

    #[test]
    fn other_sites_and_rebound_names_are_refused() {
        let names = Names::default();
        let cross = headers("localhost:7001", Some("https://evil.example"));
        assert!(check(&cross, &names)
            .unwrap_err()
            .contains("another origin"));
        let other_port = headers("localhost:7001", Some("http://localhost:8080"));
        assert!(check(&other_port, &names).is_err());
        let null = headers("localhost:7001", Some("null"));
        assert!(check(&null, &names).is_err());
        let rebound = headers("evil.example:7001", Some("http://evil.example:7001"));
        assert!(check(&rebound, &names)
            .unwrap_err()
            .contains("does not answer"));
        assert!(check(&headers("evil.example:7001", None), &names).is_err());
    }
}
