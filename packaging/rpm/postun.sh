# = %systemd_postun_with_restart: restart a running daemon after an upgrade.
if [ $1 -ge 1 ] && [ -x /usr/bin/systemctl ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    systemctl try-restart specwatch.service >/dev/null 2>&1 || :
fi
