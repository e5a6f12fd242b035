//! Real, throwaway PostgreSQL and S3 servers for tests of the multi-node storage.
//!
//! Real servers, not mocks: the point of those tests is what the real wire
//! protocols, SQL and S3 semantics do. Each [`Postgres`] and each [`S3`] is a server
//! of its own, on a free port of 127.0.0.1, with its files in a temporary directory
//! of its own; dropping it stops the server and deletes the directory. The
//! servers' output goes to log files in that directory (not to the test's
//! output), and a start that fails panics with the log in its message.
//!
//! `.ci/setup` installs what they run: Debian's `postgresql` (its binaries only)
//! and moto's S3 server in `target/tools/moto`. Tests call `available()` first and
//! skip when it is false.
//!
//! Should the test process die without dropping a server (killed, or the server
//! kept in a `static`), a small watchdog shell, which waits for the end of a pipe
//! that only this process holds, stops the server and deletes its directory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A throwaway PostgreSQL server with a database `mockly`, owned by the superuser
/// `mockly`, that anyone may connect to from 127.0.0.1 without a password.
///
/// It runs with fsync, synchronous commit and full-page writes off (fast, and
/// nothing is kept after the test anyway), and up to 200 connections. As root,
/// which PostgreSQL refuses to run as, it runs as `nobody`.
#[derive(Debug)]
pub struct Postgres {
    /// `postgres://mockly@127.0.0.1:PORT/mockly`
    pub url: String,
    pub port: u16,
    /// The server's temporary directory: `data/`, the socket, `server.log`.
    pub dir: PathBuf,
    /// Where its binaries are (`psql`, `pg_dump` … of the same version).
    pub bindir: PathBuf,
    /// The command that runs a program as the server's user (empty unless root).
    as_user: Vec<String>,
    watchdog: Option<Child>,
}

impl Postgres {
    /// Whether PostgreSQL's binaries are installed (and, as root, a way to run
    /// them as another user).
    pub fn available() -> bool {
        pg_bindir().is_some() && (!is_root() || as_nobody().is_some())
    }

    /// Starts a server (about 1.5 s: initdb is most of it); panics, with the
    /// server's log, when it cannot.
    pub fn start() -> Postgres {
        let bindir = pg_bindir().unwrap_or_else(|| {
            panic!("PostgreSQL's binaries (initdb, pg_ctl) are not installed: run .ci/setup")
        });
        let as_user = if is_root() {
            as_nobody().unwrap_or_else(|| {
                panic!("running as root, and neither setpriv nor runuser is there to run PostgreSQL as nobody")
            })
        } else {
            Vec::new()
        };
        let dir = temp_dir("mockly-pg");
        let mut pg = Postgres {
            url: String::new(),
            port: 0,
            dir,
            bindir,
            as_user,
            watchdog: None,
        };
        // From here on, a panic drops `pg`, which cleans up.
        if is_root() {
            let (uid, gid) = nobody_ids().expect("`id nobody` answers");
            run_checked(
                Command::new("chown")
                    .arg(format!("{uid}:{gid}"))
                    .arg(&pg.dir),
            );
        }
        fs::set_permissions(&pg.dir, fs::Permissions::from_mode(0o700))
            .unwrap_or_else(|e| panic!("chmod {}: {e}", pg.dir.display()));
        let stop = pg.command("pg_ctl");
        let mut stop_args = command_line(&stop);
        stop_args.extend(
            [
                "-D",
                &pg.data().to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ]
            .map(String::from),
        );
        pg.watchdog = Some(watchdog(&pg.dir, &stop_args));

        let data = pg.data();
        let initdb_log = pg.dir.join("initdb.log");
        let status = pg
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "mockly", "--auth=trust", "-E", "UTF8"])
            .args(["--locale=C.UTF-8", "--no-sync"])
            .stdout(log_file(&initdb_log))
            .stderr(log_file(&initdb_log))
            .status()
            .unwrap_or_else(|e| panic!("initdb: {e}"));
        if !status.success() {
            panic!("initdb failed ({status}):\n{}", read_log(&initdb_log));
        }
        let settings = format!(
            "\n# mockly-testkit\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             max_connections = 200\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n",
            pg.dir.display()
        );
        OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .and_then(|mut f| f.write_all(settings.as_bytes()))
            .unwrap_or_else(|e| panic!("postgresql.conf: {e}"));

        // A free port may be taken by someone else before the server binds it:
        // then try another.
        let server_log = pg.dir.join("server.log");
        let pg_ctl_log = pg.dir.join("pg_ctl.log");
        for attempt in 1.. {
            let port = free_port();
            let status = pg
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(&server_log)
                .args(["-w", "-t", "30", "-o", &format!("-p {port}"), "start"])
                .stdout(log_file(&pg_ctl_log))
                .stderr(log_file(&pg_ctl_log))
                .status()
                .unwrap_or_else(|e| panic!("pg_ctl: {e}"));
            if status.success() {
                pg.port = port;
                break;
            }
            let log = read_log(&server_log);
            if attempt < 3 && log.contains("could not bind") {
                continue;
            }
            panic!(
                "PostgreSQL did not start ({status}):\n{}\n{log}",
                read_log(&pg_ctl_log)
            );
        }
        pg.url = pg.create_database("mockly");
        pg
    }

    /// Creates another database on this server (one per test, say) and returns
    /// its URL.
    pub fn create_database(&self, name: &str) -> String {
        let out = Command::new(self.bindir.join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", "mockly", name])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("createdb: {e}"));
        if !out.status.success() {
            panic!(
                "createdb {name} failed ({}): {}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr),
                self.log()
            );
        }
        format!("postgres://mockly@127.0.0.1:{}/{name}", self.port)
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        read_log(&self.dir.join("server.log"))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// One of PostgreSQL's programs, run as the server's user, in its directory.
    fn command(&self, program: &str) -> Command {
        let path = self.bindir.join(program);
        let mut cmd = match self.as_user.split_first() {
            Some((first, rest)) => {
                let mut cmd = Command::new(first);
                cmd.args(rest).arg(path);
                cmd
            }
            None => Command::new(path),
        };
        cmd.current_dir(&self.dir).stdin(Stdio::null());
        cmd
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        stop_watchdog(&mut self.watchdog);
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A throwaway S3 server (moto's, in memory) with an empty bucket `mockly`, at a
/// path-style endpoint. It takes any credentials and checks no signature;
/// `access_key` and `secret_key` are there for clients that want some. Requests
/// with no credentials at all count as anonymous and are refused most object
/// operations (see [`S3::http`]).
#[derive(Debug)]
pub struct S3 {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    pub port: u16,
    /// `mockly`
    pub bucket: String,
    /// `us-east-1`
    pub region: String,
    /// `test`
    pub access_key: String,
    /// `test`
    pub secret_key: String,
    /// The server's temporary directory (its log, `moto.log`).
    pub dir: PathBuf,
    child: Option<Child>,
    watchdog: Option<Child>,
}

impl S3 {
    /// Whether moto's server is installed (`.ci/setup` puts it in
    /// `target/tools/moto`).
    pub fn available() -> bool {
        moto_server().is_file()
    }

    /// Starts a server and creates the bucket (about 1 s); panics, with the
    /// server's log, when it cannot.
    pub fn start() -> S3 {
        let program = moto_server();
        if !program.is_file() {
            panic!("{} is not installed: run .ci/setup", program.display());
        }
        let mut s3 = S3 {
            endpoint: String::new(),
            port: 0,
            bucket: "mockly".into(),
            region: "us-east-1".into(),
            access_key: "test".into(),
            secret_key: "test".into(),
            dir: temp_dir("mockly-s3"),
            child: None,
            watchdog: None,
        };
        let log = s3.dir.join("moto.log");
        'attempts: for attempt in 1.. {
            let port = free_port();
            let mut child = Command::new(&program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .current_dir(&s3.dir)
                .stdin(Stdio::null())
                .stdout(log_file(&log))
                .stderr(log_file(&log))
                .spawn()
                .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
            stop_watchdog(&mut s3.watchdog);
            s3.watchdog = Some(watchdog(
                &s3.dir,
                &["kill".into(), "-9".into(), child.id().to_string()],
            ));
            s3.port = port;
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Some(status) = child.try_wait().expect("waiting for moto") {
                    // Most likely, someone took the port first.
                    if attempt < 3 {
                        continue 'attempts;
                    }
                    panic!("moto exited ({status}):\n{}", read_log(&log));
                }
                if http(port, "GET", "/", b"").is_ok() {
                    s3.child = Some(child);
                    break 'attempts;
                }
                sleep(Duration::from_millis(50));
            }
            s3.child = Some(child);
            panic!(
                "moto did not answer on port {port} within 20 s:\n{}",
                read_log(&log)
            );
        }
        s3.endpoint = format!("http://127.0.0.1:{}", s3.port);
        let bucket = s3.bucket.clone();
        s3.create_bucket(&bucket);
        s3
    }

    /// Creates another bucket.
    pub fn create_bucket(&self, name: &str) {
        let (status, body) = self.http("PUT", &format!("/{name}"), b"");
        if status != 200 {
            panic!("creating bucket {name}: HTTP {status}: {body}");
        }
    }

    /// A path-style request (`GET /mockly/key`) as the user `test`: the status
    /// and the body (as text). Panics when the server does not answer.
    ///
    /// Its `Authorization` header is a signature's shape with no valid signature,
    /// which moto does not check. Some header is needed: moto takes a request
    /// without one as anonymous, which may create buckets and new keys but gets
    /// 403 for anything on an existing object.
    pub fn http(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        http(self.port, method, path, body)
            .unwrap_or_else(|e| panic!("{method} {}{path}: {e}", self.endpoint))
    }

    /// Kills the server (as an outage would): from then on, its port refuses
    /// connections. Its contents are gone for good.
    pub fn kill(&mut self) {
        self.kill_server();
        // The watchdog would otherwise kill that process id, which may be
        // someone else's by then.
        stop_watchdog(&mut self.watchdog);
        self.watchdog = Some(watchdog(&self.dir, &["true".into()]));
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        read_log(&self.dir.join("moto.log"))
    }

    fn kill_server(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        stop_watchdog(&mut self.watchdog);
        self.kill_server();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `target/tools/moto/bin/moto_server` in the workspace.
fn moto_server() -> PathBuf {
    crate::root().join("target/tools/moto/bin/moto_server")
}

/// The newest `/usr/lib/postgresql/<version>/bin` (Debian's layout), else what
/// `pg_config --bindir` says; one with initdb, pg_ctl and createdb.
fn pg_bindir() -> Option<PathBuf> {
    static BINDIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    BINDIR
        .get_or_init(|| {
            let complete = |dir: &Path| {
                ["initdb", "pg_ctl", "createdb"]
                    .iter()
                    .all(|p| dir.join(p).is_file())
            };
            let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|entry| {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let version = name
                        .split('.')
                        .map(|n| n.parse().ok())
                        .collect::<Option<Vec<u32>>>()?;
                    Some((version, entry.path().join("bin")))
                })
                .filter(|(_, bin)| complete(bin))
                .collect();
            versions.sort();
            if let Some((_, bin)) = versions.pop() {
                return Some(bin);
            }
            let out = Command::new("pg_config")
                .arg("--bindir")
                .stderr(Stdio::null())
                .output()
                .ok()?;
            let bin = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            (out.status.success() && complete(&bin)).then_some(bin)
        })
        .clone()
}

/// Whether this process runs as root (`id -u`: `unsafe` is not allowed here).
fn is_root() -> bool {
    static ROOT: OnceLock<bool> = OnceLock::new();
    *ROOT.get_or_init(|| {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
    })
}

/// The user and group ids of `nobody`.
fn nobody_ids() -> Option<(u32, u32)> {
    let id = |flag: &str| {
        let out = Command::new("id").args([flag, "nobody"]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    Some((id("-u")?, id("-g")?))
}

/// The command prefix that runs a program as `nobody`: setpriv (no PAM, no
/// session: it just switches and executes), else runuser.
fn as_nobody() -> Option<Vec<String>> {
    let (uid, gid) = nobody_ids()?;
    if on_path("setpriv") {
        Some(vec![
            "setpriv".into(),
            format!("--reuid={uid}"),
            format!("--regid={gid}"),
            "--clear-groups".into(),
        ])
    } else if on_path("runuser") {
        Some(["runuser", "-u", "nobody", "--"].map(String::from).to_vec())
    } else {
        None
    }
}

fn on_path(program: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .any(|dir| dir.join(program).is_file())
}

/// The program and arguments of a command, as strings.
fn command_line(cmd: &Command) -> Vec<String> {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect()
}

/// A new, empty directory under the system's temporary directory.
fn temp_dir(prefix: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    loop {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "{prefix}-{}-{}-{nanos:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        match fs::create_dir(&dir) {
            Ok(()) => return dir,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => panic!("creating {}: {e}", dir.display()),
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("binding 127.0.0.1:0")
        .port()
}

/// A log file to append a program's output to.
fn log_file(path: &Path) -> File {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_log(path: &Path) -> String {
    fs::read(path).map_or_else(
        |e| format!("({}: {e})", path.display()),
        |bytes| String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn run_checked(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    if !out.status.success() {
        panic!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A shell that, once this process has gone (the pipe to its standard input is
/// closed), runs `cleanup` and deletes `dir`. Signals that the terminal sends
/// the whole process group (Ctrl-C) don't stop it.
fn watchdog(dir: &Path, cleanup: &[String]) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg("trap '' INT TERM HUP; read -r line; \"$@\" >/dev/null 2>&1; rm -rf \"$MOCKLY_DIR\"")
        .arg("sh")
        .args(cleanup)
        .env("MOCKLY_DIR", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("sh: {e}"))
}

/// Stops a watchdog without its cleanup (the owner cleans up itself).
fn stop_watchdog(watchdog: &mut Option<Child>) {
    if let Some(mut child) = watchdog.take() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// One HTTP/1.1 request to moto at 127.0.0.1:`port` (see [`S3::http`]): the
/// status and the body. The body goes as `application/octet-stream`: moto's
/// web framework would take a form's body for itself, and store an empty object.
fn http(port: u16, method: &str, path: &str, body: &[u8]) -> io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, \
         SignedHeaders=host, Signature=00\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an HTTP response"))?;
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    Ok((status, body.to_string()))
}
