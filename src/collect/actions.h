/*
 * Actions on processes that the interactive view offers. They live with the
 * collectors because they touch /proc; they never print.
 */
#ifndef SMAPTOP_ACTIONS_H
#define SMAPTOP_ACTIONS_H

#include <sys/types.h>

/*
 * Writes adj (-1000..1000) to /proc/<pid>/oom_score_adj. Returns 0 or a negative
 * errno: -EACCES when lowering it without CAP_SYS_RESOURCE, -ESRCH when gone,
 * -EINVAL for an out-of-range value.
 */
int action_set_oom_adj(pid_t pid, int adj);

/* Sends sig to pid. 0 or a negative errno (-EPERM, -ESRCH). */
int action_signal(pid_t pid, int sig);

#endif
