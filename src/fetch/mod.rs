//! Fetching specs over HTTP(S) or from local files, with caps, timeouts and conditional GET.
