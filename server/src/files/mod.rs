//! Rendered files: on local disk under `<data_dir>/exports/` (the default), or in an
//! S3-compatible bucket every node shares.
//!
//! Renders are written to a local staging file first and put in place whole by
//! [`Files::commit`] (a rename on disk, an upload to the bucket), so a reader never
//! sees half a file, on any node.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use bytes::Bytes;
use futures_util::TryStreamExt;
use mockly_engine::payload::VideoExtra;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::signer::Signer;
use object_store::{GetOptions, GetRange, ObjectStore, PutPayload, WriteMultipart};
use prometheus_client::metrics::counter::Counter;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;

use crate::config::Config;

mod blanks;

/// Where rendered files live.
#[derive(Debug, Clone)]
pub struct Files {
    /// Staging files (and, with local storage, the files themselves).
    dir: PathBuf,
    bucket: Option<Bucket>,
    /// Operations that failed (for `/metrics`).
    errors: Counter,
    /// Files this process is storing while their rows are written at the same
    /// time (see [`Files::hold`]).
    storing: Arc<Mutex<HashSet<String>>>,
    /// Empty files made ahead for stills stored on local disk.
    blanks: Arc<blanks::Blanks>,
}

/// A file marked as being stored by this process, until dropped.
#[derive(Debug)]
pub struct Storing {
    set: Arc<Mutex<HashSet<String>>>,
    name: String,
}

impl Drop for Storing {
    fn drop(&mut self) {
        self.set
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.name);
    }
}

/// An S3-compatible bucket and the prefix of this deployment's objects.
#[derive(Debug, Clone)]
struct Bucket {
    store: Arc<AmazonS3>,
    prefix: String,
}

/// Uploads go in parts of this size (S3's minimum is 5 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024;

fn object_error(e: object_store::Error) -> io::Error {
    match e {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, e),
        e => io::Error::other(e),
    }
}

impl Files {
    /// The storage the configuration names: `data_dir/exports`, or a bucket (with
    /// staging files in `data_dir/staging`).
    pub fn open(config: &Config) -> io::Result<Files> {
        if config.storage_backend != "s3" {
            let dir = config.data_dir.join("exports");
            std::fs::create_dir_all(&dir)?;
            return Ok(Files {
                blanks: blanks::Blanks::new(&dir),
                dir,
                bucket: None,
                errors: Counter::default(),
                storing: Arc::default(),
            });
        }
        let dir = config.data_dir.join("staging");
        std::fs::create_dir_all(&dir)?;
        // Credentials (and anything else S3 clients read) from the environment
        // (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) unless the
        // settings name them.
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&config.storage_bucket);
        if !config.storage_region.is_empty() {
            builder = builder.with_region(&config.storage_region);
        }
        if !config.storage_access_key_id.is_empty() {
            builder = builder
                .with_access_key_id(&config.storage_access_key_id)
                .with_secret_access_key(&config.storage_secret_access_key);
        }
        if !config.storage_endpoint.is_empty() {
            builder = builder
                .with_endpoint(&config.storage_endpoint)
                .with_allow_http(config.storage_endpoint.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        let store = builder.build().map_err(io::Error::other)?;
        Ok(Files {
            blanks: blanks::Blanks::new(&dir),
            dir,
            bucket: Some(Bucket {
                store: Arc::new(store),
                prefix: config.storage_prefix.clone(),
            }),
            errors: Counter::default(),
            storing: Arc::default(),
        })
    }

    /// Marks `name` as being stored by this process until the guard is dropped:
    /// a still's file and its row are written at the same time, and the storage
    /// budget's sweep must not take a row whose file is not in place yet (it
    /// would find no file to remove, and the file would stay with no row).
    pub fn hold(&self, name: &str) -> Storing {
        self.storing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_owned());
        Storing {
            set: self.storing.clone(),
            name: name.to_owned(),
        }
    }

    /// Whether this process is storing `name` now (see [`Files::hold`]).
    pub fn is_storing(&self, name: &str) -> bool {
        self.storing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(name)
    }

    /// The count of failed operations, shared with `/metrics`.
    pub fn errors(&self) -> Counter {
        self.errors.clone()
    }

    /// Counts a failure (a missing file is an answer, not a failure).
    fn counted<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() != io::ErrorKind::NotFound
        {
            self.errors.inc();
        }
        result
    }

    /// The file name an export is stored under.
    pub fn name(id: &str, format: &str) -> String {
        format!("{id}.{format}")
    }

    /// The name of a file made beside export `id`'s main file.
    pub fn extra_name(id: &str, extra: VideoExtra) -> String {
        format!("{id}.{}", extra.suffix())
    }

    /// Whether files live in a bucket shared by every node.
    pub fn shared(&self) -> bool {
        self.bucket.is_some()
    }

    /// The path of a stored file on local disk.
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A path to write a new file to before [`Files::commit`] puts it in place.
    pub fn staging(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.partial"))
    }

    /// Stores a file whole.
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> io::Result<()> {
        let result = match &self.bucket {
            None => {
                // Written and renamed in one trip to a blocking thread, not two,
                // into an empty file made beforehand when one is ready.
                let (staging, path) = (self.staging(name), self.path(name));
                let blanks = Arc::clone(&self.blanks);
                let written =
                    tokio::task::spawn_blocking(move || blanks.write(&staging, &path, &bytes))
                        .await
                        .map_err(io::Error::other)?;
                self.blanks.refill();
                written
            }
            Some(b) => b
                .store
                .put(&b.object(name), PutPayload::from(Bytes::from(bytes)))
                .await
                .map(drop)
                .map_err(object_error),
        };
        self.counted(result)
    }

    /// Puts staged files in place: renamed on disk, or uploaded (in parts, from the
    /// file, so a large video is never held in memory) and their staging files
    /// removed.
    pub async fn commit(&self, names: &[String]) -> io::Result<()> {
        let result = self.commit_each(names).await;
        self.counted(result)
    }

    async fn commit_each(&self, names: &[String]) -> io::Result<()> {
        for name in names {
            match &self.bucket {
                None => tokio::fs::rename(self.staging(name), self.path(name)).await?,
                Some(b) => {
                    b.upload(&self.staging(name), name).await?;
                    let _ = tokio::fs::remove_file(self.staging(name)).await;
                }
            }
        }
        Ok(())
    }

    /// An export's file and the files that may be made beside it (timing file,
    /// captions).
    fn with_extras(name: &str) -> Vec<String> {
        let mut names = vec![name.to_owned()];
        let id = name.split('.').next().unwrap_or_default();
        if !id.is_empty() {
            names.extend(VideoExtra::ALL.map(|extra| Files::extra_name(id, extra)));
        }
        names
    }

    /// Removes an export's file, and the files made beside it (timing file,
    /// captions) when there are any.
    pub async fn remove(&self, name: &str) {
        self.remove_staging(name);
        for name in Files::with_extras(name) {
            match &self.bucket {
                None => {
                    let _ = tokio::fs::remove_file(self.path(&name)).await;
                }
                Some(b) => match b.store.delete(&b.object(&name)).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => {
                        self.errors.inc();
                        tracing::warn!(file = %name, error = %e, "cannot delete");
                    }
                },
            }
        }
    }

    /// Removes the staging copies of an export's file and of the files made beside
    /// it (a render that will not be committed); what is stored is left alone.
    pub fn remove_staging(&self, name: &str) {
        for name in Files::with_extras(name) {
            let _ = std::fs::remove_file(self.staging(&name));
        }
    }

    /// Removes every half-written file (at start-up, when nothing is rendering).
    pub fn clear_staging(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(".partial") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// A stored file's size; `NotFound` when there is none.
    pub async fn size(&self, name: &str) -> io::Result<u64> {
        let result = match &self.bucket {
            None => Ok(tokio::fs::metadata(self.path(name)).await?.len()),
            Some(b) => Ok(b
                .store
                .head(&b.object(name))
                .await
                .map_err(object_error)?
                .size),
        };
        self.counted(result)
    }

    /// `len` bytes of a stored file from `start`, as a streamed body.
    pub async fn read(&self, name: &str, start: u64, len: u64) -> io::Result<Body> {
        let result = self.open_range(name, start, len).await;
        self.counted(result)
    }

    async fn open_range(&self, name: &str, start: u64, len: u64) -> io::Result<Body> {
        if len == 0 {
            // An empty range is no request to the store (S3 refuses one).
            return Ok(Body::empty());
        }
        match &self.bucket {
            None => {
                let mut file = tokio::fs::File::open(self.path(name)).await?;
                if start > 0 {
                    file.seek(std::io::SeekFrom::Start(start)).await?;
                }
                Ok(Body::from_stream(ReaderStream::new(file.take(len))))
            }
            Some(b) => {
                let options = GetOptions {
                    range: Some(GetRange::Bounded(start..start + len)),
                    ..GetOptions::default()
                };
                let got = b
                    .store
                    .get_opts(&b.object(name), options)
                    .await
                    .map_err(object_error)?;
                Ok(Body::from_stream(
                    got.into_stream().map_err(io::Error::other),
                ))
            }
        }
    }

    /// The bucket's own presigned URL for a file (`storage_presigned_urls`), or
    /// `None` with local storage.
    pub async fn presigned_url(&self, name: &str, ttl: Duration) -> io::Result<Option<String>> {
        let Some(b) = &self.bucket else {
            return Ok(None);
        };
        let url = b
            .store
            .signed_url(axum::http::Method::GET, &b.object(name), ttl)
            .await
            .map_err(object_error);
        let url = self.counted(url)?;
        Ok(Some(url.to_string()))
    }

    /// Whether files can be stored (readiness): a probe written and removed.
    pub async fn writable(&self) -> bool {
        let probe = ".ready-probe";
        let ok = match &self.bucket {
            None => {
                let path = self.path(probe);
                let ok = tokio::fs::write(&path, b"ok").await.is_ok();
                let _ = tokio::fs::remove_file(&path).await;
                ok
            }
            Some(b) => {
                let object = b.object(probe);
                let ok = b
                    .store
                    .put(&object, PutPayload::from_static(b"ok"))
                    .await
                    .is_ok();
                ok && b.store.delete(&object).await.is_ok()
            }
        };
        if !ok {
            self.errors.inc();
        }
        ok
    }
}

impl Bucket {
    fn object(&self, name: &str) -> ObjectPath {
        ObjectPath::from(format!("{}{name}", self.prefix))
    }

    /// Uploads a local file: in one request when it is small, in parts otherwise.
    async fn upload(&self, from: &Path, name: &str) -> io::Result<()> {
        let mut file = tokio::fs::File::open(from).await?;
        let size = file.metadata().await?.len();
        if size <= PART_BYTES as u64 {
            let mut bytes = Vec::with_capacity(size as usize);
            file.read_to_end(&mut bytes).await?;
            return self
                .store
                .put(&self.object(name), PutPayload::from(Bytes::from(bytes)))
                .await
                .map(drop)
                .map_err(object_error);
        }
        let upload = self
            .store
            .put_multipart(&self.object(name))
            .await
            .map_err(object_error)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buf = vec![0; PART_BYTES];
        let sent: io::Result<()> = async {
            loop {
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    return Ok(());
                }
                // At most two parts in flight: bounded memory whatever the size.
                writer.wait_for_capacity(2).await.map_err(object_error)?;
                writer.write(&buf[..n]);
            }
        }
        .await;
        match sent {
            Ok(()) => writer.finish().await.map(drop).map_err(object_error),
            Err(e) => {
                // The parts sent so far would be kept (and billed) until aborted.
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Local files in a data directory of their own (`name` and this process).
    fn local(name: &str) -> (PathBuf, Files) {
        let dir = std::env::temp_dir().join(format!("mockly-{name}-{}", std::process::id()));
        let config = Config {
            data_dir: dir.clone(),
            ..Config::default()
        };
        (dir, Files::open(&config).unwrap())
    }

    #[tokio::test]
    async fn removing_an_export_removes_the_files_made_beside_it() {
        let (dir, files) = local("files");
        files.put("abc.mp4", b"video".to_vec()).await.unwrap();
        files.put("abd.mp4", b"another".to_vec()).await.unwrap();
        for extra in VideoExtra::ALL {
            let name = Files::extra_name("abc", extra);
            files.put(&name, b"x".to_vec()).await.unwrap();
        }
        assert_eq!(files.size("abc.timeline.json").await.unwrap(), 1);
        files.remove("abc.mp4").await;
        assert!(files.size("abc.mp4").await.is_err());
        for extra in VideoExtra::ALL {
            assert!(files.size(&Files::extra_name("abc", extra)).await.is_err());
        }
        assert_eq!(
            files.size("abd.mp4").await.unwrap(),
            7,
            "another export is left alone"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The inodes of the empty files made ahead in `dir`, once `n` are ready.
    async fn blanks_ready(dir: &Path, n: usize) -> HashSet<u64> {
        use std::os::unix::fs::MetadataExt;
        for _ in 0..500 {
            let blanks: HashSet<u64> = std::fs::read_dir(dir)
                .unwrap()
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(".blank-"))
                .map(|e| {
                    let meta = e.metadata().unwrap();
                    assert_eq!(meta.len(), 0, "a blank holds no data");
                    meta.ino()
                })
                .collect();
            if blanks.len() >= n {
                return blanks;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no {n} empty files were made ahead in {}", dir.display());
    }

    #[tokio::test]
    async fn stills_are_written_into_files_made_ahead_and_more_are_made() {
        use std::os::unix::fs::MetadataExt;
        let (dir, files) = local("blanks");
        let exports = dir.join("exports");
        // The first still has none to take; blanks are made after it.
        files.put("a.png", vec![1; 1000]).await.unwrap();
        for i in 0..6u8 {
            let blanks = blanks_ready(&exports, blanks::READY).await;
            let name = format!("s{i}.png");
            let bytes = vec![i; 133_000 + usize::from(i)];
            files.put(&name, bytes.clone()).await.unwrap();
            let ino = std::fs::metadata(exports.join(&name)).unwrap().ino();
            assert!(blanks.contains(&ino), "{name} was written into a blank");
            assert_eq!(std::fs::read(exports.join(&name)).unwrap(), bytes);
        }
        assert_eq!(std::fs::read(exports.join("a.png")).unwrap(), vec![1; 1000]);

        // Blanks removed behind the server's back: stills are still stored whole.
        blanks_ready(&exports, blanks::READY).await;
        for entry in std::fs::read_dir(&exports).unwrap().flatten() {
            if entry.file_name().to_string_lossy().starts_with(".blank-") {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
        files.put("b.png", vec![9; 5000]).await.unwrap();
        assert_eq!(std::fs::read(exports.join("b.png")).unwrap(), vec![9; 5000]);
        assert_eq!(files.size("b.png").await.unwrap(), 5000);

        // At the next start they are staging files like any other.
        files.clear_staging();
        let left: Vec<_> = std::fs::read_dir(&exports)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
