/* Which recorded samples a batch replay prints (see run_replay.h). */
#include "app/run_replay.h"

#include <errno.h>

#include "store/replay.h"

int
replay_range(const struct source *src, const struct opts *o, size_t *first, size_t *last)
{
	size_t n = replay_count(src);
	long lo = 0, hi = (long)n - 1;

	if (!n)
		return -ENODATA;
	if (o->has_at) {
		lo = hi = replay_find(src, o->at_ms);
	} else {
		if (o->has_from)
			lo = replay_find(src, o->from_ms - 1) + 1; /* the first at or after */
		if (o->has_to)
			hi = replay_find(src, o->to_ms);
		if (!o->has_from && !o->has_to && o->fmt == OUT_TABLE)
			lo = hi;
	}
	if (lo < 0 || hi < lo || (size_t)lo >= n)
		return -ENODATA;
	*first = (size_t)lo;
	*last = (size_t)hi;
	return 0;
}
