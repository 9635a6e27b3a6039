//! Records of endpoint health: per-endpoint state, raw probes (packed) and
//! certificate expiry per host.

use serde::{Deserialize, Serialize};

use super::types::Millis;

/// One hour in milliseconds: the raw-probe chunk and rollup bucket size.
pub const HOUR_MS: Millis = 3_600_000;

/// Start of the hour containing `at`.
pub fn hour_of(at: Millis) -> Millis {
    at.div_euclid(HOUR_MS) * HOUR_MS
}

/// What an endpoint is, as far as the probes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EndpointHealth {
    /// Not probed yet, or not enough probes to tell.
    #[default]
    Unknown,
    /// Healthy answers.
    Up,
    /// Healthy answers, slower than `degraded_latency`.
    Degraded,
    /// `failure_threshold` failures in a row.
    Down,
}

impl EndpointHealth {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointHealth::Unknown => "unknown",
            EndpointHealth::Up => "up",
            EndpointHealth::Degraded => "degraded",
            EndpointHealth::Down => "down",
        }
    }
}

/// Why a probe failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// No error: a healthy status.
    #[default]
    None,
    /// The host name did not resolve.
    Dns,
    /// TCP connect failed.
    Connect,
    /// TLS handshake or certificate.
    Tls,
    /// No complete answer within the timeout.
    Timeout,
    /// An unhealthy status.
    Status,
    /// Anything else (protocol error, reset mid-answer).
    Other,
}

impl ErrorClass {
    const ALL: [ErrorClass; 7] = [
        ErrorClass::None,
        ErrorClass::Dns,
        ErrorClass::Connect,
        ErrorClass::Tls,
        ErrorClass::Timeout,
        ErrorClass::Status,
        ErrorClass::Other,
    ];

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::None => "none",
            ErrorClass::Dns => "dns",
            ErrorClass::Connect => "connect",
            ErrorClass::Tls => "tls",
            ErrorClass::Timeout => "timeout",
            ErrorClass::Status => "status",
            ErrorClass::Other => "other",
        }
    }
}

/// One probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeSample {
    /// When it was sent.
    pub at: Millis,
    /// HTTP status (0 when there was no answer).
    pub status: u16,
    /// Time to the response headers, or to the failure, in microseconds.
    pub latency_us: u32,
    /// Failure class (`none` when healthy).
    pub class: ErrorClass,
}

/// Bytes of one packed probe inside an hour chunk.
pub const PROBE_BYTES: usize = 9;

impl ProbeSample {
    /// True when the probe counted as healthy.
    pub fn healthy(&self) -> bool {
        self.class == ErrorClass::None
    }

    /// 9 bytes: ms into the hour (24 bits), status (10 bits) with the class (3 bits)
    /// above it (16 bits), latency µs (32 bits).
    pub fn pack(&self) -> [u8; PROBE_BYTES] {
        let mut b = [0u8; PROBE_BYTES];
        let offset = (self.at - hour_of(self.at)) as u32;
        b[0..3].copy_from_slice(&offset.to_le_bytes()[..3]);
        let status = (self.status.min(1023)) | ((self.class as u16) << 10);
        b[3..5].copy_from_slice(&status.to_le_bytes());
        b[5..9].copy_from_slice(&self.latency_us.to_le_bytes());
        b
    }

    /// Unpacks a chunk of the hour starting at `hour` (a torn tail is ignored).
    pub fn unpack_chunk(hour: Millis, chunk: &[u8]) -> Vec<ProbeSample> {
        chunk
            .chunks_exact(PROBE_BYTES)
            .map(|b| {
                let status = u16::from_le_bytes([b[3], b[4]]);
                ProbeSample {
                    at: hour + Millis::from(u32::from_le_bytes([b[0], b[1], b[2], 0])),
                    status: status & 1023,
                    latency_us: u32::from_le_bytes([b[5], b[6], b[7], b[8]]),
                    class: ErrorClass::ALL
                        .get(usize::from(status >> 10))
                        .copied()
                        .unwrap_or(ErrorClass::Other),
                }
            })
            .collect()
    }
}

/// Per-endpoint state, written with every probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointRecord {
    /// Store-wide id (keys raw probes and rollups).
    pub id: u64,
    /// The URL probed.
    pub url: String,
    /// False once the operation left the spec (history is kept).
    pub active: bool,
    /// Current state.
    pub state: EndpointHealth,
    /// Since when it is in that state.
    pub since: Millis,
    /// Failures in a row.
    pub consecutive_failures: u32,
    /// Successes in a row.
    pub consecutive_successes: u32,
    /// The last probe.
    pub last: Option<ProbeSample>,
    /// The last failure's message (secrets scrubbed).
    pub last_error: Option<String>,
}

/// A https host's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertRecord {
    /// Leaf certificate's notAfter.
    pub not_after: Millis,
    /// When it was last seen.
    pub checked_at: Millis,
    /// The `not_after` that `cert_expiring` was raised for (once per certificate).
    pub expiring_notified: Option<Millis>,
    /// The `not_after` that `cert_expired` was raised for.
    pub expired_notified: Option<Millis>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_pack_into_nine_bytes_and_back() {
        let hour = 1_800_000 * HOUR_MS / 1_000;
        let probes = [
            ProbeSample {
                at: hour,
                status: 200,
                latency_us: 1,
                class: ErrorClass::None,
            },
            ProbeSample {
                at: hour + HOUR_MS - 1,
                status: 599,
                latency_us: u32::MAX,
                class: ErrorClass::Status,
            },
            ProbeSample {
                at: hour + 61_234,
                status: 0,
                latency_us: 10_000_000,
                class: ErrorClass::Other,
            },
        ];
        let mut chunk = Vec::new();
        for p in &probes {
            chunk.extend_from_slice(&p.pack());
        }
        chunk.push(7); // a torn tail
        assert_eq!(ProbeSample::unpack_chunk(hour_of(hour), &chunk), probes);
    }
}
