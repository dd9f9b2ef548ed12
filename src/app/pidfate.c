/*
 * Messages about PIDs that cannot be shown (see pidfate.h). pid_fate costs one
 * scan of one process, made only on the way to an error message.
 */
#include "app/pidfate.h"

#include "model/sample.h"

enum pid_fate
pid_fate(struct source *src, pid_t pid)
{
	struct sample s = { 0 };
	enum pid_fate f = PID_ABSENT;

	if (src->ops->scan(src, &s, &pid, 1, true) == 0) {
		for (size_t i = 0; i < s.n; i++) {
			if (proc_val(&s.procs[i], F_PID) != pid)
				continue;
			f = s.procs[i].flags & PROC_KTHREAD ? PID_KTHREAD : PID_SHOWN;
			break;
		}
	}
	sample_fini(&s);
	if (f == PID_ABSENT && src->ops->pid_hidden && src->ops->pid_hidden(src, pid) > 0)
		f = PID_HIDDEN;
	return f;
}

int
pid_missing(struct source *src, pid_t pid, bool all, struct buf *msg)
{
	switch (pid_fate(src, pid)) {
	case PID_SHOWN:
		return 0;
	case PID_KTHREAD:
		if (all)
			return 0;
		buf_printf(msg, "PID %d is a kernel thread, which only --all shows", (int)pid);
		return 2;
	case PID_HIDDEN:
		buf_printf(msg, "PID %d exists, but /proc hides it from this user (hidepid)",
			   (int)pid);
		return 1;
	case PID_ABSENT:
		break;
	}
	buf_printf(msg, "no process with PID %d", (int)pid);
	return 2;
}

void
pids_exited(const pid_t *pids, size_t n, struct buf *msg)
{
	buf_printf(msg, "the selected process%s ", n > 1 ? "es" : "");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(msg, i + 1 == n ? " and " : ", ");
		buf_printf(msg, "%d", (int)pids[i]);
	}
	buf_puts(msg, " exited");
}

void
maps_denied(pid_t pid, bool root, bool owner_known, bool own, struct buf *msg)
{
	buf_printf(msg, "PID %d: permission denied reading its smaps", (int)pid);
	if (root)
		buf_puts(msg, ", even to root (a security module or the process's "
			      "user namespace may forbid it)");
	else if (owner_known && own)
		buf_puts(msg, " (the process is yours but not dumpable: only root or "
			      "CAP_SYS_PTRACE can read it)");
	else if (owner_known)
		buf_puts(msg, " (it belongs to another user: run as root or as its owner)");
	else
		buf_puts(msg, " (run as root or as its owner)");
}
