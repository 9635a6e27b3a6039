# = %systemd_preun: stop and disable on erase (not on upgrade).
if [ $1 -eq 0 ] && [ -x /usr/bin/systemctl ]; then
    systemctl --no-reload disable --now specwatch.service >/dev/null 2>&1 || :
fi
