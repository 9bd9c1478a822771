//! Lifeguard's dynamic suspicion on a node: a suspicion starts long and
//! shortens as independent accusers confirm it (the rule is
//! [`lifeguard::confirmed_timeout`](crate::core::lifeguard::confirmed_timeout)).
//!
//! ```text
//!  A's probe of X fails    A suspects X        news: X suspect, accused by A
//!  B hears it              B's suspicion of X starts: a lone accuser, 6 × min
//!  B's own probe fails     B confirms          news: X suspect, accused by B
//!  A hears B's accusation  A's suspicion shortens (one confirmation)
//! ```
//!
//! An accusation names who *first* suspected, not who passed the news on:
//! the same accuser heard twice is one accuser. Its news goes out again
//! with each confirmation, so the others' suspicions shorten too.
//!
//! With Lifeguard off, every suspicion lasts the plain timeout.

use super::{Handling, Node, Output, Timer};
use crate::core::broadcast::MAX_ACCUSERS;
use crate::core::lifeguard::{confirmations_wanted, Suspicion, SUSPICION_MAX_MULT};
use crate::core::membership::{Member, MemberStatus};
use crate::core::version::NodeId;
use std::time::Duration;

impl Node {
    /// Who accused the suspect `news`: the message's accusations of it that
    /// name a member we know (not the suspect itself), at most
    /// [`MAX_ACCUSERS`]; none, then whoever told us, `by` (the sender, or
    /// this node after its own probe).
    pub(super) fn accusers_of(&self, news: &Member, by: NodeId, h: &Handling) -> Vec<NodeId> {
        let mut accusers: Vec<NodeId> = Vec::new();
        for a in h.accusations.iter().filter(|a| a.member == news.id) {
            let known = a.by == self.config.id || self.members.get(a.by).is_some();
            if known && a.by != news.id && !accusers.contains(&a.by) {
                accusers.push(a.by);
            }
        }
        accusers.truncate(MAX_ACCUSERS);
        if accusers.is_empty() {
            accusers.push(by);
        }
        accusers
    }

    /// A suspicion of `news` begins, the first of `accusers` its first
    /// accuser and the others confirmations. Its timer is set for what is
    /// left: a lone accuser's time, less for each confirmation.
    pub(super) fn start_suspicion(&mut self, news: &Member, accusers: &[NodeId], h: &mut Handling) {
        let swim = &self.config.swim;
        let min = self.config.pieces.suspicion_timeout(
            swim.suspicion_mult,
            self.members.len(),
            swim.probe_interval,
        );
        let (max, k) = if swim.lifeguard {
            let others = self.members.active().count();
            (
                min.saturating_mul(SUSPICION_MAX_MULT),
                confirmations_wanted(swim.suspicion_mult, others),
            )
        } else {
            (min, 0)
        };
        let suspicion = Suspicion::new(news.incarnation, h.now, min, max, k);
        let (first, others) = accusers.split_first().expect("a suspicion has an accuser");
        self.suspicions.start(news.id, *first, suspicion);
        self.queue_accusation(news, *first);
        for accuser in others {
            if self.suspicions.confirm(news.id, news.incarnation, *accuser) {
                self.queue_accusation(news, *accuser);
            }
        }
        self.set_suspicion_timer(news, h);
    }

    /// News that `news` is suspect, which we hold already: with Lifeguard,
    /// each new accuser is a confirmation. It shortens our suspicion, and
    /// its accusation goes out again so that it shortens the others' too.
    pub(super) fn maybe_confirm(&mut self, news: &Member, by: NodeId, h: &mut Handling) {
        if !self.config.swim.lifeguard || news.status != MemberStatus::Suspect {
            return;
        }
        let Some(known) = self
            .members
            .get(news.id)
            .filter(|m| m.status == MemberStatus::Suspect && m.incarnation == news.incarnation)
            .cloned()
        else {
            return;
        };
        let mut confirmed = false;
        for accuser in self.accusers_of(news, by, h) {
            if self
                .suspicions
                .confirm(known.id, known.incarnation, accuser)
            {
                self.queue_accusation(&known, accuser);
                confirmed = true;
            }
        }
        if confirmed {
            self.set_suspicion_timer(&known, h);
        }
    }

    /// The suspect news about `member` goes out (again) naming `accuser`,
    /// with Lifeguard; plain SWIM sends no accusations.
    fn queue_accusation(&mut self, member: &Member, accuser: NodeId) {
        if self.config.swim.lifeguard {
            self.broadcasts.push_accused(member.clone(), Some(accuser));
        }
    }

    /// The suspicion timer of `id` rang: if its time is really up (a
    /// confirmation may have set an earlier timer, never a later one), and
    /// it was not refuted since, `id` is dead.
    pub(super) fn suspicion_expired(&mut self, id: NodeId, incarnation: u64, h: &mut Handling) {
        let Some(member) = self
            .members
            .get(id)
            .filter(|m| m.status == MemberStatus::Suspect && m.incarnation == incarnation)
            .cloned()
        else {
            return;
        };
        if self.suspicion_left(&member, h.now) > Duration::ZERO {
            self.set_suspicion_timer(&member, h);
            return;
        }
        let dead = Member {
            status: MemberStatus::Dead,
            ..member
        };
        self.apply_member_news(&dead, self.config.id, h);
    }

    /// How much of the suspicion of `member` is left at `now`, after the
    /// confirmations it has had. None held (it cannot be): none left.
    fn suspicion_left(&self, member: &Member, now: Duration) -> Duration {
        let Some(s) = self
            .suspicions
            .get(member.id)
            .filter(|s| s.incarnation == member.incarnation)
        else {
            return Duration::ZERO;
        };
        let timeout = if self.config.swim.lifeguard {
            let pieces = &self.config.pieces;
            pieces.confirmed_timeout(s.min, s.max, s.k, s.confirmations())
        } else {
            s.min // plain SWIM: exercise 10's piece plays no part
        };
        (s.started + timeout).saturating_sub(now)
    }

    fn set_suspicion_timer(&self, member: &Member, h: &mut Handling) {
        let timer = Timer::SuspicionTimeout {
            id: member.id,
            incarnation: member.incarnation,
        };
        h.out.push(Output::SetTimer {
            timer,
            after: self.suspicion_left(member, h.now),
        });
    }
}
