//! Atomic output folders: results appear all at once or not at all.
//!
//! [`OutputDir::create`] makes a hidden sibling of the target,
//! `<parent>/.<name>.tmp-<pid>-<n>`, where the run writes its files;
//! [`OutputDir::commit`] renames it onto the target (same file system, so the
//! rename is atomic on POSIX). An existing target is first renamed aside, then
//! removed once the new folder is in place. A folder dropped without commit
//! (error, panic unwinding, Ctrl-C handled by the caller) is removed.
//!
//! Safety rule: an existing target is only replaced if it is an empty folder
//! or a folder that carries the marker file [`OUTPUT_MARKER`], which every
//! `OutputDir` writes. This keeps `--out ~` or `--out counts.tsv` from
//! deleting user data.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::IoError;

/// Name of the marker file every output folder contains.
pub const OUTPUT_MARKER: &str = ".osteon-output";

/// Content of the marker file.
const MARKER_TEXT: &str = "This folder was written by osteon and may be replaced by a later run.\n";

/// Distinguishes temporary folders made by one process.
static NEXT_FOLDER_NUMBER: AtomicUsize = AtomicUsize::new(0);

/// A temporary output folder that becomes the target folder on commit.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    temporary: PathBuf,
    committed: bool,
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> IoError + '_ {
    move |source| IoError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// `<parent>/.<name>.<kind>-<pid>-<n>` for the first `n` not yet taken.
fn hidden_sibling(target: &Path, kind: &str) -> PathBuf {
    let parent = target.parent().unwrap_or(Path::new(""));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    loop {
        let number = NEXT_FOLDER_NUMBER.fetch_add(1, Ordering::Relaxed);
        let candidate = parent.join(format!(".{name}.{kind}-{}-{number}", std::process::id()));
        if !candidate.exists() {
            return candidate;
        }
    }
}

impl OutputDir {
    /// Creates the temporary folder for `target` (creating the parent folders
    /// if needed). Nothing at `target` is touched until [`commit`](Self::commit).
    pub fn create(target: impl AsRef<Path>) -> Result<OutputDir, IoError> {
        let target = target.as_ref().to_path_buf();
        if target.file_name().is_none() {
            return Err(IoError::OutputExists { path: target });
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(write_error(parent))?;
        }
        let temporary = hidden_sibling(&target, "tmp");
        std::fs::create_dir(&temporary).map_err(write_error(&temporary))?;
        let output = OutputDir {
            target,
            temporary,
            committed: false,
        };
        let marker = output.temporary.join(OUTPUT_MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(write_error(&marker))?;
        Ok(output)
    }

    /// The temporary folder files are written into.
    pub fn path(&self) -> &Path {
        &self.temporary
    }

    /// The folder the results will have after commit.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The path of a file `name` inside the temporary folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.temporary.join(name)
    }

    /// Moves the finished folder onto the target, replacing a previous osteon
    /// output there. Returns the target path.
    ///
    /// ```
    /// let target = std::env::temp_dir().join(format!("osteon-doc-out-{}", std::process::id()));
    /// let output = osteon_io::OutputDir::create(&target)?;
    /// std::fs::write(output.file("hello.txt"), "hi\n").unwrap();
    /// output.commit()?;
    /// assert_eq!(std::fs::read_to_string(target.join("hello.txt")).unwrap(), "hi\n");
    /// # std::fs::remove_dir_all(&target).unwrap();
    /// # Ok::<(), osteon_io::IoError>(())
    /// ```
    pub fn commit(mut self) -> Result<PathBuf, IoError> {
        let target = self.target.clone();
        let old = match std::fs::symlink_metadata(&target) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(IoError::Write {
                    path: target,
                    source,
                })
            }
            Ok(metadata) => {
                if !metadata.is_dir() || !is_replaceable(&target) {
                    return Err(IoError::OutputExists { path: target });
                }
                let aside = hidden_sibling(&target, "old");
                std::fs::rename(&target, &aside).map_err(write_error(&target))?;
                Some(aside)
            }
        };
        if let Err(source) = std::fs::rename(&self.temporary, &target) {
            if let Some(aside) = &old {
                // Put the previous results back; the new ones are dropped.
                let _ = std::fs::rename(aside, &target);
            }
            return Err(IoError::Write {
                path: target,
                source,
            });
        }
        self.committed = true;
        if let Some(aside) = old {
            std::fs::remove_dir_all(&aside).map_err(write_error(&aside))?;
        }
        Ok(target)
    }
}

/// Whether an existing folder may be replaced: it is empty or holds the
/// osteon marker file.
fn is_replaceable(folder: &Path) -> bool {
    if folder.join(OUTPUT_MARKER).is_file() {
        return true;
    }
    std::fs::read_dir(folder)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false)
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temporary);
        }
    }
}
