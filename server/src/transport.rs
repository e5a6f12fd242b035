//! Accepting connections: HTTP/1.1 with a deadline for each request's headers
//! (which also closes idle keep-alive connections), a limit on connections served at
//! once, graceful shutdown, and the error envelope on the refusals hyper sends by
//! itself.
//!
//! A client that opens a connection and sends half a header is cut off after
//! `header_timeout_secs`. Past `max_connections`, the connection that has waited
//! longest without a request in flight (a slow client that never finishes its
//! headers, or an idle keep-alive) is closed to make room; when every connection is
//! busy with a request, new ones wait in the listen backlog instead of taking the
//! process's last file descriptors.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore, watch};
use tower::ServiceExt;

/// Limits of the HTTP layer.
#[derive(Debug, Clone, Copy)]
pub struct Transport {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

/// Serves `router` on `listener` until `stop` turns true, then lets requests in
/// flight finish (for up to 30 seconds).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Transport,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true)
        // One buffer per write, so hyper's own error responses are recognisable
        // (see `Enveloped`).
        .writev(false);
    let open = Arc::new(Connections::default());
    'serving: loop {
        let permit = loop {
            if let Ok(p) = slots.clone().try_acquire_owned() {
                break p;
            }
            // Full: make room by closing the connection idle the longest, and
            // try again while every one is busy or only just opened.
            open.close_longest_idle(MIN_IDLE_TO_CLOSE);
            tokio::select! {
                p = slots.clone().acquire_owned() => match p {
                    Ok(p) => break p,
                    Err(_) => break 'serving,
                },
                () = tokio::time::sleep(MIN_IDLE_TO_CLOSE) => {}
                () = stopped(&mut stop) => break 'serving,
            }
        };
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or a connection reset before accept: wait
                    // a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stopped(&mut stop) => break 'serving,
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(Enveloped::new(stream));
        let (id, conn) = open.add();
        let service = TowerToHyperService::new(Tracked {
            router: router.clone(),
            conn: conn.clone(),
        });
        let connection = graceful.watch(builder.serve_connection(io, service));
        let open = open.clone();
        tokio::spawn(async move {
            // Errors here are the client's (reset, timeout, bad request line) and
            // were answered as far as HTTP allows. Asked to make room, the
            // connection is dropped, which closes it.
            tokio::select! {
                _ = connection => {}
                () = conn.close.notified() => {}
            }
            open.remove(id);
            drop(permit);
        });
    }
    let _ = tokio::time::timeout(Duration::from_secs(30), graceful.shutdown()).await;
}

/// A connection is closed to make room only after waiting this long for a request.
const MIN_IDLE_TO_CLOSE: Duration = Duration::from_millis(200);

/// A connection being served.
#[derive(Debug, Default)]
struct Conn {
    /// Requests being answered (their response bodies included).
    in_flight: AtomicUsize,
    /// When it last finished a request (or opened), milliseconds ([`millis`]).
    idle_since: AtomicU64,
    /// Tells its task to close it.
    close: Notify,
}

/// Milliseconds since the first call: the clock of connections' idle times.
fn millis() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_millis() as u64
}

/// The connections being served.
#[derive(Debug, Default)]
struct Connections {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Connections {
    fn add(&self) -> (u64, Arc<Conn>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn::default());
        conn.idle_since.store(millis(), Ordering::Relaxed);
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.insert(id, conn.clone());
        (id, conn)
    }

    fn remove(&self, id: u64) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.remove(&id);
    }

    /// Asks the connection idle the longest (at least `min`) to close.
    fn close_longest_idle(&self, min: Duration) {
        let now = millis();
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let longest = open
            .values()
            .filter(|c| c.in_flight.load(Ordering::Relaxed) == 0)
            .map(|c| (c.idle_since.load(Ordering::Relaxed), c))
            .filter(|(since, _)| now.saturating_sub(*since) >= min.as_millis() as u64)
            .min_by_key(|(since, _)| *since);
        if let Some((_, conn)) = longest {
            // Not idle any more once asked: the next call picks another.
            conn.in_flight.fetch_add(1, Ordering::Relaxed);
            conn.close.notify_one();
        }
    }
}

/// The router, counting the requests of one connection in flight.
#[derive(Clone)]
struct Tracked {
    router: Router,
    conn: Arc<Conn>,
}

/// A request in flight on a connection; when dropped (its response body sent or
/// abandoned), the connection is idle again.
struct Busy(Arc<Conn>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.idle_since.store(millis(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl tower::Service<hyper::Request<Incoming>> for Tracked {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: hyper::Request<Incoming>) -> Self::Future {
        self.conn.in_flight.fetch_add(1, Ordering::Relaxed);
        let busy = Busy(self.conn.clone());
        let router = self.router.clone();
        Box::pin(async move {
            let response = router.oneshot(req.map(Body::new)).await?;
            Ok(response.map(|body| Body::new(Finishing { body, busy })))
        })
    }
}

/// A response body that marks its connection idle once sent.
struct Finishing {
    body: Body,
    #[allow(dead_code)]
    busy: Busy,
}

impl HttpBody for Finishing {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Resolves once `stop` turns true (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// A connection whose writes are watched for the responses hyper makes by itself
/// when a request cannot be parsed (400, 414 URI too long, 431 headers too large):
/// they have an empty body, and every response of this API carries the error
/// envelope. Such a response is replaced, on its way out, by the same status with
/// the envelope. Everything else passes through untouched.
#[derive(Debug)]
pub struct Enveloped<T> {
    inner: T,
    /// A replacement response still being written.
    pending: Vec<u8>,
    written: usize,
}

impl<T> Enveloped<T> {
    pub fn new(inner: T) -> Enveloped<T> {
        Enveloped {
            inner,
            pending: Vec::new(),
            written: 0,
        }
    }
}

impl<T: AsyncWrite + Unpin> Enveloped<T> {
    /// Writes what is left of a replacement response.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Enveloped<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Enveloped<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        if let Some(replacement) = enveloped_refusal(buf) {
            self.pending = replacement;
            self.written = 0;
            // The original bytes count as written; the replacement goes out now or
            // on the next write, flush or shutdown.
            let _ = self.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The envelope version of one of hyper's bodiless refusals, when `buf` is one.
fn enveloped_refusal(buf: &[u8]) -> Option<Vec<u8>> {
    const PREFIX: &[u8] = b"HTTP/1.1 4";
    if !buf.starts_with(PREFIX) || buf.len() > 512 || !buf.ends_with(b"\r\n\r\n") {
        return None;
    }
    let head = std::str::from_utf8(buf).ok()?;
    let lower = head.to_ascii_lowercase();
    if !lower.contains("\r\ncontent-length: 0\r\n") {
        return None;
    }
    let status: u16 = head.get(9..12)?.parse().ok()?;
    let (code, message) = match status {
        400 => ("bad_request", "The request could not be parsed as HTTP/1.1"),
        414 => (
            "uri_too_long",
            "The request's URI is longer than the server accepts",
        ),
        431 => (
            "headers_too_large",
            "The request's headers are larger than the server accepts",
        ),
        _ => return None,
    };
    let body = serde_json::json!({"error": {"code": code, "message": message}}).to_string();
    let reason = head.get(13..head.find("\r\n")?).unwrap_or("");
    Some(
        format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
             x-content-type-options: nosniff\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodiless_refusals_are_rewritten() {
        let refusal = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let out = String::from_utf8(enveloped_refusal(refusal).unwrap()).unwrap();
        assert!(
            out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            "{out}"
        );
        assert!(out.ends_with(r#"{"error":{"code":"headers_too_large","message":"The request's headers are larger than the server accepts"}}"#));
        let ours = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 52\r\n\r\n";
        assert!(enveloped_refusal(ours).is_none());
        assert!(enveloped_refusal(b"\x89PNG....").is_none());
    }
}
