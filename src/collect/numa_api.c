/* Loading libnuma (see numa_api.h). */
#include "collect/numa_api.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

const struct numa_api *
numa_api(void)
{
	/* each name beside its member: the order of either list does not matter */
	static const struct {
		const char *name;
		size_t at;
	} syms[] = {
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
	/* RTLD_NOW: every symbol bound at once, none looked up later */
	void *lib = dlopen("libnuma.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return NULL;
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		void *p = dlsym(lib, syms[i].name);
		if (!p) {
			dlclose(lib);
			return NULL;
		}
		memcpy((char *)&api + syms[i].at, &p, sizeof p);
	}
	loaded = true;
	return &api;
}
