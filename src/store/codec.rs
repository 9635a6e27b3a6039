//! zstd frames for version bytes: a full frame, or a delta against the previous
//! version's raw bytes (`ref_prefix` + long-distance matching).
//!
//! Each stored frame starts with one tag byte saying which of the two it is, so a
//! reader never has to guess and `full_frame_every` may change between runs.

use zstd::zstd_safe::{self, CCtx, CParameter, DCtx, DParameter};

/// Largest window zstd accepts on this platform (31 on 64-bit, 30 on 32-bit).
const MAX_WINDOW_LOG: u32 = if cfg!(target_pointer_width = "64") {
    31
} else {
    30
};

/// Smallest window zstd accepts.
const MIN_WINDOW_LOG: u32 = 10;

/// How a stored frame must be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameKind {
    /// Self-contained zstd frame.
    Full,
    /// zstd frame compressed with the previous version's raw bytes as prefix.
    Delta,
}

impl FrameKind {
    /// Tag byte written in front of the zstd frame.
    fn tag(self) -> u8 {
        match self {
            Self::Full => b'F',
            Self::Delta => b'D',
        }
    }

    fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            b'F' => Some(Self::Full),
            b'D' => Some(Self::Delta),
            _ => None,
        }
    }
}

/// Why a frame could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CodecError {
    /// The frame is empty or starts with an unknown tag.
    #[error("unknown frame tag {0:?}")]
    BadTag(Option<u8>),
    /// zstd reported an error.
    #[error("zstd: {0}")]
    Zstd(&'static str),
    /// The decoded size differs from the recorded one.
    #[error("decoded {got} bytes, expected {expected}")]
    SizeMismatch {
        /// Bytes decoded.
        got: usize,
        /// Bytes recorded in the version's metadata.
        expected: usize,
    },
}

fn zstd_err(code: zstd_safe::ErrorCode) -> CodecError {
    CodecError::Zstd(zstd_safe::get_error_name(code))
}

/// Window log large enough to reach from the end of `total` bytes back to their start.
fn window_log_for(total: usize) -> u32 {
    let needed = usize::BITS - total.saturating_sub(1).leading_zeros();
    needed.clamp(MIN_WINDOW_LOG, MAX_WINDOW_LOG)
}

/// Compresses `raw` at `level`, as a delta against `prev` when given, into a tagged frame.
pub(crate) fn encode(raw: &[u8], prev: Option<&[u8]>, level: i32) -> Result<Vec<u8>, CodecError> {
    let prefix_len = prev.map_or(0, <[u8]>::len);
    let mut cctx = CCtx::try_create().ok_or(CodecError::Zstd("cannot allocate a context"))?;
    for param in [
        CParameter::CompressionLevel(level),
        CParameter::WindowLog(window_log_for(prefix_len + raw.len())),
        CParameter::EnableLongDistanceMatching(true),
        CParameter::ChecksumFlag(true),
        CParameter::ContentSizeFlag(true),
    ] {
        cctx.set_parameter(param).map_err(zstd_err)?;
    }
    if let Some(prev) = prev {
        cctx.ref_prefix(prev).map_err(zstd_err)?;
    }
    let kind = if prev.is_some() {
        FrameKind::Delta
    } else {
        FrameKind::Full
    };
    // zstd writes a Vec from its start, so compress first, then put the tag in front.
    let mut body = Vec::with_capacity(zstd_safe::compress_bound(raw.len()));
    cctx.compress2(&mut body, raw).map_err(zstd_err)?;
    let mut out = Vec::with_capacity(1 + body.len());
    out.push(kind.tag());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Reads the kind of a tagged frame.
pub(crate) fn kind(frame: &[u8]) -> Result<FrameKind, CodecError> {
    let tag = frame.first().copied();
    tag.and_then(FrameKind::from_tag)
        .ok_or(CodecError::BadTag(tag))
}

/// Decodes a tagged frame of `expected_len` bytes into `out` (cleared first, so a
/// chain can reuse its buffers); a delta needs the previous version's raw bytes as `prev`.
pub(crate) fn decode_into(
    frame: &[u8],
    prev: Option<&[u8]>,
    expected_len: usize,
    out: &mut Vec<u8>,
) -> Result<(), CodecError> {
    let kind = kind(frame)?;
    let body = &frame[1..];
    out.clear();
    // Trust the recorded size, not the frame header, for the allocation.
    out.reserve(expected_len);
    let mut dctx = DCtx::try_create().ok_or(CodecError::Zstd("cannot allocate a context"))?;
    dctx.set_parameter(DParameter::WindowLogMax(MAX_WINDOW_LOG))
        .map_err(zstd_err)?;
    match (kind, prev) {
        (FrameKind::Delta, Some(prev)) => {
            dctx.ref_prefix(prev).map_err(zstd_err)?;
        }
        (FrameKind::Delta, None) => return Err(CodecError::Zstd("delta frame without a base")),
        (FrameKind::Full, _) => {}
    }
    dctx.decompress(out, body).map_err(zstd_err)?;
    if out.len() != expected_len {
        return Err(CodecError::SizeMismatch {
            got: out.len(),
            expected: expected_len,
        });
    }
    Ok(())
}

/// Decodes one tagged frame into a new buffer (see [`decode_into`]).
#[cfg(test)]
pub(crate) fn decode(
    frame: &[u8],
    prev: Option<&[u8]>,
    expected_len: usize,
) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    decode_into(frame, prev, expected_len, &mut out)?;
    Ok(out)
}

/// Compresses a small blob (a diff report) as a plain zstd frame.
pub(crate) fn pack_blob(data: &[u8]) -> Result<Vec<u8>, CodecError> {
    zstd::bulk::compress(data, 3).map_err(|_| CodecError::Zstd("cannot compress blob"))
}

/// Decompresses a blob written by [`pack_blob`].
pub(crate) fn unpack_blob(data: &[u8]) -> Result<Vec<u8>, CodecError> {
    zstd::stream::decode_all(data).map_err(|_| CodecError::Zstd("corrupt blob frame"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(n: usize) -> Vec<u8> {
        let mut s = String::from("{\"openapi\":\"3.0.0\",\"paths\":{");
        for i in 0..2000 {
            s.push_str(&format!(
                "\"/p{i}\":{{\"get\":{{\"summary\":\"op {i} rev {}\"}}}},",
                i * n % 7
            ));
        }
        s.push_str(&format!("\"/v{n}\":{{}}}}}}"));
        s.into_bytes()
    }

    #[test]
    fn full_and_delta_round_trip() {
        let a = spec(1);
        let b = spec(2);
        let full = encode(&a, None, 9).unwrap();
        let delta = encode(&b, Some(&a), 9).unwrap();
        assert_eq!(kind(&full).unwrap(), FrameKind::Full);
        assert_eq!(kind(&delta).unwrap(), FrameKind::Delta);
        assert!(
            delta.len() < full.len(),
            "{} vs {}",
            delta.len(),
            full.len()
        );
        assert_eq!(decode(&full, None, a.len()).unwrap(), a);
        assert_eq!(decode(&delta, Some(&a), b.len()).unwrap(), b);
    }

    #[test]
    fn wrong_base_or_flipped_byte_is_an_error() {
        let a = spec(1);
        let b = spec(2);
        let delta = encode(&b, Some(&a), 9).unwrap();
        assert!(decode(&delta, None, b.len()).is_err());
        // Decoding against the wrong base fails the frame checksum or the size check.
        let wrong: Vec<u8> = a.iter().rev().copied().collect();
        assert!(decode(&delta, Some(&wrong), b.len()).is_err());
        let mut bad = encode(&a, None, 9).unwrap();
        let mid = bad.len() / 2;
        bad[mid] ^= 0x55;
        assert!(decode(&bad, None, a.len()).is_err());
        assert!(matches!(kind(b"Xabc"), Err(CodecError::BadTag(Some(b'X')))));
        assert!(matches!(kind(b""), Err(CodecError::BadTag(None))));
    }

    #[test]
    fn window_covers_prefix_and_data() {
        assert_eq!(window_log_for(0), MIN_WINDOW_LOG);
        assert_eq!(window_log_for(1 << 20), 20);
        assert_eq!(window_log_for((1 << 20) + 1), 21);
        assert_eq!(window_log_for(100 << 20), 27);
    }

    #[test]
    fn blob_round_trip() {
        let json = br#"{"changes":[{"id":"api-removed"}]}"#;
        assert_eq!(unpack_blob(&pack_blob(json).unwrap()).unwrap(), json);
        assert!(unpack_blob(b"not zstd").is_err());
    }
}
