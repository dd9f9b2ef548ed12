/*
 * Mapping i of a maplist, decoded, for tests that look at many fields of a
 * few mappings. The pointer stays valid for the next 7 calls.
 */
#ifndef SMAPTOP_TEST_MAPS_AT_H
#define SMAPTOP_TEST_MAPS_AT_H

#include "model/maps.h"

static inline const struct mapping *
map_at(const struct maplist *m, size_t i)
{
	static struct mapping ring[8];
	static unsigned next;
	struct mapping *mp = &ring[next++ % 8];

	maplist_get(m, i, mp);
	return mp;
}

#endif
