#!/bin/sh
# NUMA: the per-node system view on fixture sysfs trees (this machine has one
# node), and the per-process per-node split of a real child on the live system.
. tests/integration/lib.sh

require_binaries

# node_value TREE NODE KEY: the value of KEY for NODE in `--system --csv` of TREE.
node_value() {
	$SMAPTOP --sys-root "$1" --system --csv |
		awk -F, -v n="$2" -v k="$3" '$2 == "node" && $3 == n && $4 == k { print $5 }'
}

F=tests/fixtures
same "2-node tree: node 0 total from its meminfo" "$(node_value $F/sys-2node 0 total_kib)" 16303508
same "2-node tree: node 1 total from its meminfo" "$(node_value $F/sys-2node 1 total_kib)" 16510976
same "2-node tree: distance 0 -> 1" "$(node_value $F/sys-2node 0 distance_node1)" 21
same "2-node tree: distance 1 -> 1" "$(node_value $F/sys-2node 1 distance_node1)" 10
n=$($SMAPTOP --sys-root $F/sys-4node --system --csv | awk -F, '$2 == "node" && $4 == "total_kib"' | wc -l)
same "sparse tree (nodes 0 and 2): two nodes" "$n" 2
same "sparse tree: distance 0 -> 2 by node id" "$(node_value $F/sys-4node 0 distance_node2)" 20
same "sparse tree: distance 2 -> 2 by node id" "$(node_value $F/sys-4node 2 distance_node2)" 10
if $SMAPTOP --sys-root $F/sys-2node --system | grep -q 'NUMA nodes: 2'; then ok "the table shows both nodes"; else not_ok "the table shows both nodes"; fi

# Live nodes come from libnuma, loaded when they are first read: the machine's
# own nodes, each at distance 10 from itself, and its total as the kernel says.
live_nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
if [ "$live_nodes" -gt 0 ]; then
	$SMAPTOP --system --csv >"$T/live" 2>"$T/live_err"
	n=$(awk -F, '$2 == "node" && $4 == "total_kib"' "$T/live" | wc -l)
	same "live: one row per node of /sys ($live_nodes)" "$n" "$live_nodes"
	first=$(basename "$(ls -d /sys/devices/system/node/node[0-9]* | head -1)")
	id=${first#node}
	same "live: node $id at distance 10 from itself" "$(awk -F, -v k="distance_node$id" -v id="$id" \
		'$2 == "node" && $3 == id && $4 == k { print $5 }' "$T/live")" 10
	want=$(awk '/MemTotal/ { print $4 }' "/sys/devices/system/node/$first/meminfo")
	same "live: node $id total as its meminfo says" "$(awk -F, -v id="$id" \
		'$2 == "node" && $3 == id && $4 == "total_kib" { print $5 }' "$T/live")" "$want"
	if [ -s "$T/live_err" ]; then not_ok "live: nothing on stderr"; diag_file "$T/live_err"; else ok "live: nothing on stderr"; fi
fi

# Live: a child touching 32 MiB has (at least) that much on its nodes in total.
start_hog --map 32 --touch 32 || { not_ok "memhog starts"; finish; }
if $SMAPTOP --numa --csv -p "$HOG_PID" >"$T/out" 2>"$T/err"; then ok "--numa --csv runs"; else not_ok "--numa --csv runs"; diag_file "$T/err"; fi
total=$(python3 "$PYTOOL" field "$T/out" pid "$HOG_PID" total_kib)
if is_int "$total" && [ "$total" -ge 32768 ] && [ "$total" -le $((32768 * 105 / 100 + 4096)) ]; then
	ok "per-node total of the child covers its 32 MiB ($total KiB)"
else
	not_ok "per-node total of the child covers its 32 MiB (got '$total')"; diag_file "$T/out"
fi
if [ "$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)" = 1 ]; then
	node0=$(python3 "$PYTOOL" field "$T/out" pid "$HOG_PID" node0_kib)
	same "on a one-node machine node 0 holds it all" "$node0" "$total"
else
	skip "the live machine has several nodes: the split is not predictable"
fi
if $SMAPTOP --csv --columns pid,numa_node,numa_pct -p "$HOG_PID" >"$T/out2" 2>"$T/err"; then
	pct=$(python3 "$PYTOOL" field "$T/out2" pid "$HOG_PID" numa_node_pct)
	node=$(python3 "$PYTOOL" field "$T/out2" pid "$HOG_PID" numa_node)
	if is_int "$pct" && [ "$pct" -ge 1 ] && [ "$pct" -le 100 ] && is_int "$node"; then
		ok "numa_node/numa_pct columns ($node, $pct%)"
	else
		not_ok "numa_node/numa_pct columns (got '$node' '$pct')"; diag_file "$T/out2"
	fi
else
	not_ok "--csv with NUMA columns runs"; diag_file "$T/err"
fi
finish
