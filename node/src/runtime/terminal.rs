//! What a node says in its terminal: one line per protocol step worth
//! watching (an entry changed, a member's status changed), with values cut
//! short so one long value never floods the screen.

use crate::core::event::{Cause, Event};

/// At most 60 characters of a value, for a log line.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}

/// The protocol steps worth a line in the node's terminal.
pub fn log_event(event: &Event) {
    match event {
        Event::EntryChanged {
            key,
            value,
            version,
            origin,
            cause,
            ..
        } => {
            let via = match cause {
                Cause::Client => "a client",
                Cause::Rumor => "a rumor",
                Cause::AntiEntropy => "anti-entropy",
            };
            tracing::info!(
                "{key} = {:?} (version {version} by node {origin}, from {via})",
                shorten(value)
            )
        }
        Event::MemberChanged {
            member,
            previous,
            by,
        } => {
            let status = format!("{:?}", member.status).to_lowercase();
            let was = previous.map_or("new".to_string(), |p| format!("was {p:?}").to_lowercase());
            tracing::info!(
                "member {} at {} is {status} ({was}; news from node {by})",
                member.id,
                member.addr
            )
        }
        Event::HealthChanged { score } => tracing::info!(
            "local health score now {score} (lifeguard: timeouts x{})",
            score + 1
        ),
        _ => {}
    }
}
