#!/usr/bin/env bash
# Builds the release binary, the nine channel plugins and both packages:
#   target/debian/specwatch_<version>-1_<arch>.deb
#   target/generate-rpm/specwatch-<version>-1.<arch>.rpm
# CI (.ci/package) and releases run exactly this script.
#
# SPECWATCH_PACKAGE_BIN=PATH packages an already built binary instead of building the
# release one (a quick check of the packaging itself; never for a release).
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned packaging tools (installed once into ~/.cargo/bin; CI caches nothing else).
CARGO_DEB_VERSION=3.8.0
CARGO_GENERATE_RPM_VERSION=0.21.1
tool_version() { cargo "$1" --version 2>/dev/null | awk '{print $NF}' | tr -d v; }
[ "$(tool_version deb)" = "$CARGO_DEB_VERSION" ] ||
    cargo install --locked --quiet "cargo-deb@$CARGO_DEB_VERSION"
[ "$(tool_version generate-rpm)" = "$CARGO_GENERATE_RPM_VERSION" ] ||
    cargo install --locked --quiet "cargo-generate-rpm@$CARGO_GENERATE_RPM_VERSION"
rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2

out=target/packaging
rm -rf "$out"
mkdir -p "$out/bin" "$out/man"

# The binary, stripped (Debian policy; a panic backtrace then shows addresses only).
bin=${SPECWATCH_PACKAGE_BIN:-}
if [ -z "$bin" ]; then
    cargo build --release --locked --bin specwatch
    bin=target/release/specwatch
fi
install -m 0755 "$bin" "$out/bin/specwatch"
strip --strip-all "$out/bin/specwatch"

# The first-party channel plugins (the .cwasm cache is built on the target at first start).
(cd plugins && cargo build --release --locked --target wasm32-wasip2 \
    -p discord -p google-chat -p mattermost -p ntfy -p opsgenie -p pagerduty \
    -p slack -p teams -p telegram)

# Man pages from the CLI definition; gzip -n keeps the packages reproducible.
"$out/bin/specwatch" man "$out/man"
gzip -9n "$out"/man/*.1
gzip -9n < packaging/deb/changelog > "$out/changelog.gz"

# The licences of every crate linked into the binary (normal dependencies, this platform).
cargo metadata --locked --format-version 1 --filter-platform "$(rustc -vV | sed -n 's/^host: //p')" |
    python3 packaging/licenses.py > "$out/THIRD-PARTY-LICENSES"

cargo deb --no-build --locked --no-strip
cargo generate-rpm
ls -l target/debian/*.deb target/generate-rpm/*.rpm
