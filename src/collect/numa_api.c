/* Loading libnuma (see numa_api.h). */
#include "collect/numa_api.h"

#include <stdbool.h>
#include <stddef.h>

#include "util/dlbind.h"

const struct numa_api *
numa_api(void)
{
	/* each name beside its member: the order of either list does not matter */
	static const struct dl_sym syms[] = {
		{ "numa_available", offsetof(struct numa_api, available) },
		{ "numa_max_node", offsetof(struct numa_api, max_node) },
		{ "numa_bitmask_isbitset", offsetof(struct numa_api, bitmask_isbitset) },
		{ "numa_distance", offsetof(struct numa_api, distance) },
		{ "numa_node_size64", offsetof(struct numa_api, node_size64) },
		{ "numa_nodes_ptr", offsetof(struct numa_api, nodes_ptr) },
	};
	static struct numa_api api;
	static bool tried, loaded;

	_Static_assert(sizeof syms / sizeof syms[0] == sizeof api / sizeof(void *),
		       "every member has its name");
	if (tried)
		return loaded ? &api : NULL;
	tried = true;
	const char *missing;
	if (!dl_bind("libnuma.so.1", syms, sizeof syms / sizeof syms[0], &api, &missing))
		return NULL;
	loaded = true;
	return &api;
}
