//! One read-ahead pipeline for the batch readers (the records of an export, the rows of an Excel
//! import): a second thread produces items while this one consumes them, handed over in batches
//! so that a big job does not wake the other thread once an item. Order is kept; an error of the
//! producer reaches the consumer after the items before it; a consumer that stops (an error, a
//! cancel) stops the producer at its next batch instead of leaving it blocked on a full channel.

use crate::error::{AppError, ErrorCode, Result};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Items a batch: large enough that handing one over costs nothing, small enough that a stopped
/// job has not read far ahead.
pub(crate) const BATCH: usize = 256;
/// Batches in flight between the threads.
const IN_FLIGHT: usize = 4;

enum Message<T> {
    Batch(Vec<T>),
    Failed(AppError),
    End,
}

/// The producer's end: [`Sink::push`] one item at a time.
pub(crate) struct Sink<T> {
    sender: SyncSender<Message<T>>,
    batch: Vec<T>,
}

impl<T> Sink<T> {
    /// Queues `item`; an error (Cancelled) once the consumer has stopped, so the producer
    /// stops too.
    pub(crate) fn push(&mut self, item: T) -> Result<()> {
        self.batch.push(item);
        if self.batch.len() == BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.sender
                .send(Message::Batch(full))
                .map_err(|_| stopped())?;
        }
        Ok(())
    }
}

fn stopped() -> AppError {
    AppError::new(ErrorCode::Cancelled, "已停止")
}

/// The consumer's end: the items in the order they were pushed.
pub(crate) struct Items<T> {
    receiver: Receiver<Message<T>>,
    batch: std::vec::IntoIter<T>,
    done: bool,
    lost: fn() -> AppError,
}

impl<T> Items<T> {
    /// The next item; `None` at the end; the producer's error where it failed.
    pub(crate) fn next_item(&mut self) -> Result<Option<T>> {
        loop {
            if let Some(item) = self.batch.next() {
                return Ok(Some(item));
            }
            if self.done {
                return Ok(None);
            }
            match self.receiver.recv() {
                Ok(Message::Batch(batch)) => self.batch = batch.into_iter(),
                Ok(Message::End) => self.done = true,
                Ok(Message::Failed(e)) => {
                    self.done = true;
                    return Err(e);
                }
                // The producer went away before the end (it panicked).
                Err(_) => {
                    self.done = true;
                    return Err((self.lost)());
                }
            }
        }
    }
}

/// Runs `produce` on a second thread and `consume` on this one over what it pushes. `lost` is
/// the consumer's error when the producer ends without finishing (a panic, which the scope
/// then carries on). Returns what `consume` returns.
pub(crate) fn read_ahead<T: Send, R>(
    produce: impl FnOnce(&mut Sink<T>) -> Result<()> + Send,
    lost: fn() -> AppError,
    consume: impl FnOnce(&mut Items<T>) -> Result<R>,
) -> Result<R> {
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel(IN_FLIGHT);
        scope.spawn(move || {
            let mut sink = Sink {
                sender,
                batch: Vec::with_capacity(BATCH),
            };
            let produced = produce(&mut sink);
            let Sink { sender, batch } = sink;
            // A failed send: the consumer has stopped reading.
            if !batch.is_empty() && sender.send(Message::Batch(batch)).is_err() {
                return;
            }
            let _ = sender.send(match produced {
                Ok(()) => Message::End,
                Err(e) => Message::Failed(e),
            });
        });
        let mut items = Items {
            receiver,
            batch: Vec::new().into_iter(),
            done: false,
            lost,
        };
        consume(&mut items)
        // `items` is dropped here, before the scope waits for the producer: its next send
        // fails and it stops.
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn lost() -> AppError {
        AppError::new(ErrorCode::Io, "lost")
    }

    #[test]
    fn keeps_the_order_across_batches() {
        let n = BATCH * 3 + 17;
        let got = read_ahead(
            |sink| (0..n).try_for_each(|i| sink.push(i)),
            lost,
            |items| {
                let mut got = Vec::new();
                while let Some(i) = items.next_item()? {
                    got.push(i);
                }
                Ok(got)
            },
        )
        .unwrap();
        assert_eq!(got, (0..n).collect::<Vec<_>>());
    }

    #[test]
    fn an_empty_producer_is_an_empty_stream() {
        let got = read_ahead(|_: &mut Sink<u32>| Ok(()), lost, |items| items.next_item());
        assert_eq!(got.unwrap(), None);
    }

    #[test]
    fn a_consumer_that_stops_stops_the_producer() {
        let pushed = AtomicUsize::new(0);
        let r: Result<()> = read_ahead(
            |sink| {
                for i in 0..1_000_000usize {
                    sink.push(i)?;
                    pushed.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            },
            lost,
            |items| {
                for _ in 0..10 {
                    items.next_item()?;
                }
                Err(AppError::new(ErrorCode::Cancelled, "stop"))
            },
        );
        assert_eq!(r.unwrap_err().message, "stop");
        // The producer stopped at its next batch: at most the batches in flight, the one it
        // was filling and the one being consumed.
        assert!(pushed.load(Ordering::Relaxed) <= BATCH * (IN_FLIGHT + 3));
    }

    #[test]
    fn the_producers_error_comes_after_its_items() {
        let mut seen = 0;
        let r: Result<()> = read_ahead(
            |sink| {
                for i in 0..300 {
                    sink.push(i)?;
                }
                Err(AppError::new(ErrorCode::InvalidValue, "row 301"))
            },
            lost,
            |items| {
                while let Some(i) = items.next_item()? {
                    assert_eq!(i, seen);
                    seen += 1;
                }
                Ok(())
            },
        );
        assert_eq!(r.unwrap_err().message, "row 301");
        assert_eq!(seen, 300);
    }
}
