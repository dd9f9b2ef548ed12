#!/bin/sh
# make install / uninstall honour PREFIX and DESTDIR and place the binary, the
# man page, the bash completion and the recorder's and the exporter's systemd
# units where users and tools look for them; systemd-analyze verify accepts them.
. tests/integration/lib.sh

require_binaries
D=$T/dest
if make -s install PREFIX=/opt/sm DESTDIR="$D" >"$T/log" 2>&1; then ok "make install runs"; else not_ok "make install runs"; diag_file "$T/log"; fi
for f in bin/smaptop share/man/man1/smaptop.1 share/bash-completion/completions/smaptop \
	lib/systemd/system/smaptop-record.service lib/systemd/system/smaptop-exporter.service; do
	if [ -s "$D/opt/sm/$f" ]; then ok "installs \$PREFIX/$f"; else not_ok "installs \$PREFIX/$f"; fi
done
if "$D/opt/sm/bin/smaptop" --version | grep -q '^smaptop '; then ok "the installed binary runs"; else not_ok "the installed binary runs"; fi
same "the unit starts the installed binary" \
	"$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$D/opt/sm/lib/systemd/system/smaptop-exporter.service")" \
	/opt/sm/bin/smaptop
make -s uninstall PREFIX=/opt/sm DESTDIR="$D" >"$T/log" 2>&1
same "make uninstall removes every installed file" "$(find "$D" -type f | wc -l | tr -d ' ')" 0

# systemd-analyze verify checks that ExecStart runs and the man page exists, so
# the unit is verified where PREFIX itself is (no DESTDIR).
if command -v systemd-analyze >/dev/null 2>&1; then
	P=$T/prefix
	if make -s install PREFIX="$P" >"$T/log" 2>&1 &&
		MANPATH=$P/share/man systemd-analyze verify \
			"$P/lib/systemd/system/smaptop-exporter.service" >"$T/verify" 2>&1; then
		ok "systemd-analyze verify passes on the installed smaptop-exporter.service"
	else
		not_ok "systemd-analyze verify passes on the installed smaptop-exporter.service"
		diag_file "$T/log"
		diag_file "$T/verify"
	fi
	for key in NoNewPrivileges=yes ProtectSystem=strict DynamicUser=yes \
		CapabilityBoundingSet=CAP_PERFMON AmbientCapabilities=CAP_PERFMON; do
		check "the unit sets $key" grep -qx "$key" "$P/lib/systemd/system/smaptop-exporter.service"
	done
else
	not_ok "systemd-analyze is installed (scripts/deps test)"
fi
# The unit, installed for real under a prefix in $T, so that its ExecStart exists.
P=$T/prefix
U=$P/lib/systemd/system/smaptop-record.service
if make -s install PREFIX="$P" >"$T/log" 2>&1; then ok "make install PREFIX=\$T/prefix"; else not_ok "make install PREFIX=\$T/prefix"; diag_file "$T/log"; fi
if command -v systemd-analyze >/dev/null 2>&1; then
	if systemd-analyze verify --man=no "$U" >"$T/verify" 2>&1 && [ ! -s "$T/verify" ]; then
		ok "systemd-analyze verify smaptop-record.service: no error, no warning"
	else
		not_ok "systemd-analyze verify smaptop-record.service"; diag_file "$T/verify"
	fi
else
	not_ok "systemd-analyze is installed (scripts/deps test installs systemd)"
fi
same "the unit runs the installed binary" "$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$U")" "$P/bin/smaptop"
for kv in StateDirectory=smaptop ProtectSystem=strict NoNewPrivileges=yes \
	CapabilityBoundingSet=CAP_PERFMON AmbientCapabilities=CAP_PERFMON; do
	check "the unit sets $kv" grep -qx "$kv" "$U"
done
check "the unit records into its state directory" grep -q '^ExecStart=.* --record /var/lib/smaptop/history.db' "$U"
make -s uninstall PREFIX="$P" >"$T/log" 2>&1
same "make uninstall PREFIX=\$T/prefix removes every installed file" "$(find "$P" -type f | wc -l | tr -d ' ')" 0
finish
