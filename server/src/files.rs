//! Rendered files on local disk, under `<data_dir>/exports/`.

use std::io;
use std::path::{Path, PathBuf};

use mockly_engine::payload::VideoExtra;

#[derive(Debug, Clone)]
pub struct Files {
    dir: PathBuf,
}

impl Files {
    pub fn open(data_dir: &Path) -> io::Result<Files> {
        let dir = data_dir.join("exports");
        std::fs::create_dir_all(&dir)?;
        Ok(Files { dir })
    }

    /// The file name an export is stored under.
    pub fn name(id: &str, format: &str) -> String {
        format!("{id}.{format}")
    }

    /// The name of a file made beside export `id`'s main file.
    pub fn extra_name(id: &str, extra: VideoExtra) -> String {
        format!("{id}.{}", extra.suffix())
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes through a temporary file and a rename, so a reader never sees half a file.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let tmp = self.dir.join(format!(".{name}.partial"));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, self.path(name))
    }

    /// A path to write a new file to before [`Files::commit`] puts it in place.
    pub fn staging(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.partial"))
    }

    pub fn commit(&self, name: &str) -> io::Result<()> {
        std::fs::rename(self.staging(name), self.path(name))
    }

    /// Removes an export's file, and the files made beside it (timing file,
    /// captions) when there are any.
    pub fn remove(&self, name: &str) {
        let _ = std::fs::remove_file(self.path(name));
        let _ = std::fs::remove_file(self.staging(name));
        let id = name.split('.').next().unwrap_or_default();
        if !id.is_empty() {
            for extra in VideoExtra::ALL {
                let _ = std::fs::remove_file(self.path(&Files::extra_name(id, extra)));
            }
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

    /// Whether the directory can be written (readiness check).
    pub fn writable(&self) -> bool {
        let probe = self.dir.join(".ready-probe");
        let ok = std::fs::write(&probe, b"ok").is_ok();
        let _ = std::fs::remove_file(&probe);
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_an_export_removes_the_files_made_beside_it() {
        let dir = std::env::temp_dir().join(format!("mockly-files-{}", std::process::id()));
        let files = Files::open(&dir).unwrap();
        files.write("abc.mp4", b"video").unwrap();
        files.write("abd.mp4", b"another").unwrap();
        for extra in VideoExtra::ALL {
            files.write(&Files::extra_name("abc", extra), b"x").unwrap();
        }
        assert!(files.path("abc.timeline.json").exists());
        files.remove("abc.mp4");
        assert!(!files.path("abc.mp4").exists());
        for extra in VideoExtra::ALL {
            assert!(!files.path(&Files::extra_name("abc", extra)).exists());
        }
        assert!(
            files.path("abd.mp4").exists(),
            "another export is left alone"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
