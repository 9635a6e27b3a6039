//! From a file to a compiled `Component`: header check, SHA-256, and the on-disk cache
//! of precompiled artifacts `<cache_dir>/<sha256>-<engine key>.cwasm` (written via a
//! temp file + rename, so a crash never leaves a half-written artifact under its name).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::component::Component;

use super::PluginError;
use super::wasm_engine::PluginEngine;

/// A component ready to link.
pub struct Compiled {
    /// The component.
    pub component: Component,
    /// True when it came from the cache (no compilation).
    pub from_cache: bool,
}

/// Reads a plugin file and returns its bytes and SHA-256 (hex).
pub fn read(path: &Path) -> Result<(Vec<u8>, String), PluginError> {
    let bytes = std::fs::read(path).map_err(|e| PluginError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let sha = hex::encode(Sha256::digest(&bytes));
    Ok((bytes, sha))
}

/// Rejects anything but a binary component before the compiler sees it, with a message
/// that says what the file is instead.
pub fn check_header(path: &Path, bytes: &[u8]) -> Result<(), PluginError> {
    let not = |detail: &str| PluginError::NotAComponent {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err(not(if bytes.is_empty() {
            "the file is empty"
        } else if bytes.iter().take(512).all(|b| b.is_ascii()) {
            "it is a text file, not a binary component (\\0asm header missing)"
        } else {
            "the \\0asm header is missing"
        }));
    }
    // Bytes 4..8: version + layer. Core modules are layer 0, components layer 1.
    match bytes[4..8] {
        [_, _, 0, 0] => Err(not("it is a core wasm module, not a component")),
        [_, _, 1, 0] => Ok(()),
        _ => Err(not("unknown wasm binary version or layer")),
    }
}

/// The cache file for a plugin of this content under this engine.
pub fn cache_path(dir: &Path, sha: &str, engine: &PluginEngine) -> PathBuf {
    dir.join(format!("{sha}-{}.cwasm", engine.compatibility_key()))
}

/// Deserializes from the cache or compiles (and then writes the cache). CPU-bound: run
/// it on a blocking thread.
pub fn compile(
    engine: &PluginEngine,
    path: &Path,
    bytes: &[u8],
    sha: &str,
    cache_dir: Option<&Path>,
) -> Result<Compiled, PluginError> {
    check_header(path, bytes)?;
    let cached = cache_dir.map(|d| cache_path(d, sha, engine));
    if let Some(c) = cached.as_deref().filter(|c| c.is_file()) {
        // SAFETY: the cache directory is the daemon's own and only ever holds artifacts
        // this code serialized (renamed into place complete); wasmtime still checks the
        // header and engine compatibility and refuses a mismatch.
        match unsafe { Component::deserialize_file(&engine.engine, c) } {
            Ok(component) => {
                return Ok(Compiled {
                    component,
                    from_cache: true,
                });
            }
            Err(e) => tracing::warn!(
                "plugin cache entry {} is unusable ({e}); recompiling {}",
                c.display(),
                path.display()
            ),
        }
    }
    let component =
        Component::from_binary(&engine.engine, bytes).map_err(|e| PluginError::Compile {
            path: path.to_path_buf(),
            message: super::sandbox::error_text(&e),
        })?;
    if let Some(c) = cached
        && let Err(e) = write_cache(&component, &c)
    {
        tracing::warn!(
            "cannot write plugin cache {} ({e}); {} will be compiled again next start",
            c.display(),
            path.display()
        );
    }
    Ok(Compiled {
        component,
        from_cache: false,
    })
}

fn write_cache(component: &Component, to: &Path) -> std::io::Result<()> {
    let bytes = component
        .serialize()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let dir = to.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}-{}.tmp",
        to.file_name().and_then(|f| f.to_str()).unwrap_or("cwasm"),
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, to).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_classified() {
        let p = Path::new("x.wasm");
        let text = check_header(p, b"(component)\n").unwrap_err().to_string();
        assert!(
            text.contains("not a wasm component") && text.contains("text file"),
            "{text}"
        );
        let core = check_header(p, b"\0asm\x01\0\0\0").unwrap_err().to_string();
        assert!(core.contains("core wasm module"), "{core}");
        assert!(
            check_header(p, b"")
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        assert!(check_header(p, b"\0asm\x0d\0\x01\0").is_ok());
    }
}
