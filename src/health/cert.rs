//! Certificate expiry: the leaf certificate's `notAfter`, read from its DER, and the
//! `cert_expiring` / `cert_expired` events it raises once per certificate.

use crate::alerts::events;
use crate::notification::EventPayload;
use crate::store::CertRecord;

/// One DER element: (tag, contents, rest).
fn element(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*b.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let body = b.get(head..head.checked_add(len)?)?;
    Some((tag, body, &b[head + len..]))
}

/// `notAfter` of a DER X.509 certificate, in ms since the epoch.
pub fn not_after(der: &[u8]) -> Option<i64> {
    let (_, cert, _) = element(der)?;
    let (_, tbs, _) = element(cert)?;
    let mut rest = tbs;
    // [0] version is optional; then serial, signature algorithm, issuer, validity.
    if rest.first() == Some(&0xa0) {
        rest = element(rest)?.2;
    }
    for _ in 0..3 {
        rest = element(rest)?.2;
    }
    let (_, validity, _) = element(rest)?;
    let (_, _, after) = element(validity)?;
    let (tag, time, _) = element(after)?;
    let text = std::str::from_utf8(time).ok()?;
    let full = match tag {
        // UTCTime YYMMDDHHMMSSZ: 50–99 are 19xx (RFC 5280).
        0x17 => {
            let yy: u32 = text.get(0..2)?.parse().ok()?;
            format!("{}{text}", if yy >= 50 { "19" } else { "20" })
        }
        0x18 => text.to_string(),
        _ => return None,
    };
    let t =
        chrono::NaiveDateTime::parse_from_str(full.trim_end_matches('Z'), "%Y%m%d%H%M%S").ok()?;
    Some(t.and_utc().timestamp_millis())
}

/// Updates a host's record with a certificate seen at `now` and returns the events due:
/// `cert_expired` once it has expired, else `cert_expiring` once within `warning_ms`.
pub fn check(
    watch: &str,
    host: &str,
    prev: Option<&CertRecord>,
    not_after: i64,
    warning_ms: i64,
    now: i64,
) -> (CertRecord, Option<EventPayload>) {
    let mut rec = CertRecord {
        not_after,
        checked_at: now,
        expiring_notified: prev.and_then(|p| p.expiring_notified),
        expired_notified: prev.and_then(|p| p.expired_notified),
    };
    let event = if not_after <= now {
        (rec.expired_notified != Some(not_after)).then(|| {
            rec.expired_notified = Some(not_after);
            events::health::cert(watch, host, not_after, true, now)
        })
    } else if not_after - now <= warning_ms {
        (rec.expiring_notified != Some(not_after)).then(|| {
            rec.expiring_notified = Some(not_after);
            events::health::cert(watch, host, not_after, false, now)
        })
    } else {
        None
    };
    (rec, event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_not_after_of_the_fixture_certificate() {
        let pem = include_str!("../../tests/fixtures/tls/selfsigned.crt");
        let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = decode_b64(&b64);
        let t = not_after(&der).expect("notAfter");
        // Any certificate's expiry is after 2000 and before 2200.
        assert!(t > 946_684_800_000 && t < 7_258_118_400_000, "{t}");
        assert_eq!(not_after(&der[..40]), None);
        assert_eq!(not_after(&[]), None);
    }

    fn decode_b64(s: &str) -> Vec<u8> {
        let val = |c: u8| -> u32 {
            match c {
                b'A'..=b'Z' => u32::from(c - b'A'),
                b'a'..=b'z' => u32::from(c - b'a') + 26,
                b'0'..=b'9' => u32::from(c - b'0') + 52,
                b'+' => 62,
                _ => 63,
            }
        };
        let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').collect();
        let mut out = Vec::new();
        for chunk in bytes.chunks(4) {
            let mut n = 0u32;
            for (i, &c) in chunk.iter().enumerate() {
                n |= val(c) << (18 - 6 * i);
            }
            for i in 0..chunk.len().saturating_sub(1) {
                out.push((n >> (16 - 8 * i)) as u8);
            }
        }
        out
    }

    #[test]
    fn expiring_fires_once_per_certificate_then_expired() {
        let day = 86_400_000;
        let (r, e) = check("w", "h:443", None, 10 * day, 14 * day, 0);
        assert_eq!(e.unwrap().kind.as_str(), "cert_expiring");
        let (r, e) = check("w", "h:443", Some(&r), 10 * day, 14 * day, day);
        assert!(e.is_none(), "once per certificate");
        let (r, e) = check("w", "h:443", Some(&r), 10 * day, 14 * day, 11 * day);
        assert_eq!(e.unwrap().kind.as_str(), "cert_expired");
        let (_, e) = check("w", "h:443", Some(&r), 400 * day, 14 * day, 12 * day);
        assert!(e.is_none(), "a renewed certificate far from expiry");
        assert!(check("w", "h", None, 100 * day, 14 * day, 0).1.is_none());
    }
}
