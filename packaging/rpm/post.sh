# = %systemd_post: apply the preset on first install (no start: the operator configures first).
if [ $1 -eq 1 ] && [ -x /usr/bin/systemctl ]; then
    systemctl --no-reload preset specwatch.service >/dev/null 2>&1 || :
fi
mkdir -p /etc/specwatch/plugins.d
