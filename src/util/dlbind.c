/* Loading a library into a table of its functions (see dlbind.h). */
#include "util/dlbind.h"

#include <dlfcn.h>
#include <string.h>

void *
dl_bind(const char *soname, const struct dl_sym *syms, size_t n, void *table, const char **missing)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	*missing = NULL;
	if (!lib)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		void *p = dlsym(lib, syms[i].name);
		if (!p) {
			*missing = syms[i].name;
			dlclose(lib);
			return NULL;
		}
		memcpy((char *)table + syms[i].at, &p, sizeof p);
	}
	return lib;
}
