/*
 * The machine-wide part of the live source: meminfo, swap devices, memory
 * pressure, NUMA nodes, the OOM kill counter and the kernel log's kill
 * records, and the OOM settings (knobs).
 * Paths are relative to the proc and sys roots, so fixture trees stand in.
 */
#ifndef SMAPTOP_SYSREAD_H
#define SMAPTOP_SYSREAD_H

#include <stdbool.h>

#include "model/system.h"
#include "util/buf.h"

struct sysreader;

/*
 * proc_fd, sys_fd: open root directories; fixture_proc, fixture_sys: they are
 * fixture trees, not /proc and /sys. The fds and scratch are borrowed and
 * must outlive the reader.
 */
void sysreader_new(struct sysreader **out, int proc_fd, int sys_fd, bool fixture_proc,
		   bool fixture_sys, struct buf *scratch);
void sysreader_free(struct sysreader *r);

/* The parts (enum sys_part, model/source.h) into sys; 0 or meminfo's negative errno. */
int sysreader_read(struct sysreader *r, struct sysmem *sys, unsigned parts);

#endif
