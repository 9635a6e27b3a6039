//! One poll of one watch: fetch → detect change → diff → store.
