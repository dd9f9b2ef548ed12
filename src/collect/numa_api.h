/*
 * libnuma, loaded with dlopen() the first time the machine's NUMA nodes are
 * read (sysread.c), not linked: a snapshot, a stream or the exporter never
 * asks for nodes, and linking libnuma cost every start about 240 KiB of
 * resident memory (its constructor reads sysfs with stdio). Only the live
 * collectors use it.
 *
 * numa.h's prototypes give the members their types. libnuma reports errors
 * through numa_warn() and numa_error(), which smaptop defines (sysread.c)
 * and exports to it (the Makefile's -Wl,--export-dynamic-symbol): the
 * library's own versions would print over the view.
 */
#ifndef SMAPTOP_COLLECT_NUMA_API_H
#define SMAPTOP_COLLECT_NUMA_API_H

#include <numa.h>

struct numa_api {
	__typeof__(numa_available) *available;
	__typeof__(numa_max_node) *max_node;
	__typeof__(numa_bitmask_isbitset) *bitmask_isbitset;
	__typeof__(numa_distance) *distance;
	__typeof__(numa_node_size64) *node_size64;
	struct bitmask **nodes_ptr; /* the library's numa_nodes_ptr */
};

/* The library's functions, loaded on the first call; NULL when it cannot be loaded. */
const struct numa_api *numa_api(void);

#endif
