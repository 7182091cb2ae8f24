//! SHA-256 digests of files, recorded in run manifests so that a result can
//! be traced to the exact inputs (FIPS 180-4, via the `sha2` crate).

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::IoError;

/// The SHA-256 digest of a file's bytes (as stored, i.e. of the compressed
/// bytes for a `.gz` file), as 64 lowercase hex digits.
///
/// ```
/// let file = std::env::temp_dir().join(format!("osteon-doc-sha-{}", std::process::id()));
/// std::fs::write(&file, "abc").unwrap();
/// assert_eq!(
///     osteon_io::sha256_file(&file)?,
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// # std::fs::remove_file(&file).unwrap();
/// # Ok::<(), osteon_io::IoError>(())
/// ```
pub fn sha256_file(path: impl AsRef<Path>) -> Result<String, IoError> {
    let path = path.as_ref();
    let read_error = |source| IoError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer).map_err(read_error)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}
