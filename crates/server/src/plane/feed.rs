//! The journal's live feed: every entry the journal records is also offered to the viewers of
//! `GET /_patchbay/requests/stream`. The feed is a broadcast ring of a fixed number of entries
//! shared by every viewer, so what it holds never depends on how fast (or whether) viewers read: a
//! viewer that falls a whole ring behind skips ahead and is told how many entries it missed, and
//! recording never waits for anyone. The number of viewers is capped by the stream's settings.

use super::journal::Entry;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::broadcast;

/// Entries the ring holds: what a viewer may fall behind before it skips.
pub const FEED_BUFFER: usize = 128;
/// The largest request body the feed carries; a larger one is shown as absent (its length is
/// kept). With [`FEED_BUFFER`] this bounds what a stuck viewer can keep alive to a few MiB.
pub const FEED_BODY_MAX: u64 = 64 * 1024;

/// The sending side, held by the journal.
#[derive(Debug)]
pub struct Feed {
    sender: broadcast::Sender<Arc<Entry>>,
    viewers: Arc<AtomicUsize>,
}

impl Default for Feed {
    fn default() -> Feed {
        Feed {
            sender: broadcast::Sender::new(FEED_BUFFER),
            viewers: Arc::new(AtomicUsize::new(0)),
        }
    }
}

impl Feed {
    /// Whether anyone watches: when nobody does, recording copies nothing.
    pub fn watched(&self) -> bool {
        self.sender.receiver_count() > 0
    }

    /// Offers a copy of a recorded entry to every viewer (nobody waits for it).
    pub fn publish(&self, entry: &Entry) {
        let mut copy = entry.clone();
        if copy.body_len > FEED_BODY_MAX {
            copy.body = None;
        }
        // An error only says that the last viewer left meanwhile.
        let _ = self.sender.send(Arc::new(copy));
    }

    /// A new viewer, unless `most` viewers watch already.
    pub fn subscribe(&self, most: usize) -> Option<Viewer> {
        self.viewers
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |viewers| {
                (viewers < most).then_some(viewers + 1)
            })
            .ok()?;
        Some(Viewer {
            receiver: self.sender.subscribe(),
            _seat: Seat(self.viewers.clone()),
        })
    }

    /// How many viewers watch now.
    pub fn viewers(&self) -> usize {
        self.viewers.load(Ordering::Acquire)
    }
}

/// One viewer's place in the feed: entries from the moment it subscribed.
#[derive(Debug)]
pub struct Viewer {
    pub receiver: broadcast::Receiver<Arc<Entry>>,
    _seat: Seat,
}

/// Counts a viewer against the cap until it is dropped.
#[derive(Debug)]
struct Seat(Arc<AtomicUsize>);

impl Drop for Seat {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::{Method, StatusCode};
    use actix_web::web::Bytes;
    use tokio::sync::broadcast::error::TryRecvError;

    fn entry(id: u64, body: usize) -> Entry {
        Entry {
            id,
            time: chrono::Utc::now(),
            vendor: "nango",
            tenant: None,
            method: Method::GET,
            path: "/x".into(),
            query: String::new(),
            status: Some(StatusCode::OK),
            error_code: None,
            duration_micros: 1,
            request_id: None,
            body: Some(Bytes::from(vec![b'x'; body])),
            body_len: body as u64,
            truncated: false,
            fault: None,
        }
    }

    #[test]
    fn viewers_are_capped_and_a_dropped_viewer_frees_its_seat() {
        let feed = Feed::default();
        assert!(!feed.watched());
        let first = feed.subscribe(2).expect("a seat");
        let second = feed.subscribe(2).expect("a seat");
        assert!(feed.subscribe(2).is_none(), "over the cap");
        assert_eq!(feed.viewers(), 2);
        assert!(feed.watched());
        drop(first);
        assert_eq!(feed.viewers(), 1);
        assert!(feed.subscribe(2).is_some());
        drop(second);
        assert_eq!(feed.viewers(), 0);
        assert!(!feed.watched());
    }

    #[test]
    fn a_viewer_that_falls_a_ring_behind_skips_and_large_bodies_are_left_out() {
        let feed = Feed::default();
        let mut viewer = feed.subscribe(1).expect("a seat");
        feed.publish(&entry(1, 10));
        let first = viewer.receiver.try_recv().expect("an entry");
        assert_eq!(first.body.as_ref().map(Bytes::len), Some(10));
        feed.publish(&entry(2, FEED_BODY_MAX as usize + 1));
        let large = viewer.receiver.try_recv().expect("an entry");
        assert_eq!(large.body, None);
        assert_eq!(large.body_len, FEED_BODY_MAX + 1);
        for id in 0..(FEED_BUFFER as u64 + 10) {
            feed.publish(&entry(id + 3, 0));
        }
        assert!(matches!(
            viewer.receiver.try_recv(),
            Err(TryRecvError::Lagged(10))
        ));
        assert_eq!(viewer.receiver.try_recv().map(|entry| entry.id), Ok(13));
    }
}
