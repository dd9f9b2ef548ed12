#!/bin/sh
# make install / uninstall honour PREFIX and DESTDIR and place the binary, the
# man page and the bash completion where users and tools look for them.
. tests/integration/lib.sh

require_binaries
D=$T/dest
if make -s install PREFIX=/opt/sm DESTDIR="$D" >"$T/log" 2>&1; then ok "make install runs"; else not_ok "make install runs"; diag_file "$T/log"; fi
for f in bin/smaptop share/man/man1/smaptop.1 share/bash-completion/completions/smaptop; do
	if [ -s "$D/opt/sm/$f" ]; then ok "installs \$PREFIX/$f"; else not_ok "installs \$PREFIX/$f"; fi
done
if "$D/opt/sm/bin/smaptop" --version | grep -q '^smaptop '; then ok "the installed binary runs"; else not_ok "the installed binary runs"; fi
make -s uninstall PREFIX=/opt/sm DESTDIR="$D" >"$T/log" 2>&1
same "make uninstall removes every installed file" "$(find "$D" -type f | wc -l | tr -d ' ')" 0
finish
