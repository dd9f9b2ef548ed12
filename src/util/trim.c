/* See trim.h. */
#include "util/trim.h"

#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int
drop_object(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t page = *(const uintptr_t *)data, relro_lo = 0, relro_hi = 0;

	(void)size;
	if (strncmp(info->dlpi_name, "linux-vdso", 10) == 0 ||
	    strncmp(info->dlpi_name, "linux-gate", 10) == 0)
		return 0; /* a special mapping, not a file */
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_GNU_RELRO) {
			relro_lo = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
			relro_hi = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
		}
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
			continue;
		/* whole pages inside the file's part only: a partial page may be shared */
		uintptr_t lo = (info->dlpi_addr + ph->p_vaddr + page - 1) & ~(page - 1);
		uintptr_t hi = (info->dlpi_addr + ph->p_vaddr + ph->p_filesz) & ~(page - 1);
		if (hi <= lo || (lo < relro_hi && relro_lo < hi))
			continue;
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
	return 0;
}

void
trim_clean_text(void)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	dl_iterate_phdr(drop_object, &page);
}
