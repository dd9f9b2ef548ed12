/*
 * The fast path of the smaps parser (parse_smaps.c).
 *
 * Nearly every line the kernel writes is a key padded to 16 columns, "%8lu"
 * and " kB\n": 28 bytes. smaps_fast_lines recognises exactly that shape,
 * with the keys in the kernel's order, using word compares and no byte loop;
 * anything else (headers, VmFlags, tabs, CRLF, values of 9+ digits, another
 * layout, the end of the buffer) falls back to slow_line (parse_smaps.c),
 * which gives the same result for every line the fast path accepts.
 */
#include "collect/parse_smaps.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/*
 * The per-VMA lines in the order show_smap() prints them (Linux 6.x), each
 * key in its 16-column field, and the slot its value goes to. A kernel with
 * another order or set of keys only costs a table scan per mismatch.
 */
static const struct kline_ent {
	char col[16];   /* not NUL-terminated */
	unsigned char slot;
	bool nounit;    /* "%8u\n", no " kB": read for its shape only */
} kline[] = {
	{ "Size:           ", MF_SIZE, false },
	{ "KernelPageSize: ", SLOT_SINK, false },
	{ "MMUPageSize:    ", SLOT_SINK, false },
	{ "Rss:            ", MF_RSS, false },
	{ "Pss:            ", MF_PSS, false },
	{ "Pss_Dirty:      ", MF_PSS_DIRTY, false },
	{ "Shared_Clean:   ", MF_SHARED_CLEAN, false },
	{ "Shared_Dirty:   ", MF_SHARED_DIRTY, false },
	{ "Private_Clean:  ", MF_PRIVATE_CLEAN, false },
	{ "Private_Dirty:  ", MF_PRIVATE_DIRTY, false },
	{ "Referenced:     ", MF_REFERENCED, false },
	{ "Anonymous:      ", MF_ANONYMOUS, false },
	{ "KSM:            ", SLOT_SINK, false },
	{ "LazyFree:       ", SLOT_SINK, false },
	{ "AnonHugePages:  ", SLOT_THP_ANON, false },
	{ "ShmemPmdMapped: ", SLOT_THP_SHMEM, false },
	{ "FilePmdMapped:  ", SLOT_THP_FILE, false },
	{ "Shared_Hugetlb: ", SLOT_SINK, false },
	{ "Private_Hugetlb:", SLOT_SINK, false },
	{ "Swap:           ", MF_SWAP, false },
	{ "SwapPss:        ", MF_SWAP_PSS, false },
	{ "Locked:         ", MF_LOCKED, false },
	{ "THPeligible:    ", SLOT_SINK, true },
	{ "ProtectionKey:  ", SLOT_SINK, true },  /* only with memory protection keys */
};
#define NKLINE (sizeof kline / sizeof kline[0])
#define ALL_BYTES(b) (UINT64_C(0x0101010101010101) * (b))

/* s[0..8) as a number whose byte 0 is the least significant, on any host. */
static inline uint64_t
load_le64(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	       (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 |
	       (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}
/*
 * The kernel's "%8lu" field: s[0..8) must be spaces then at least one digit.
 * Decoded with a few multiplications instead of a loop: the spaces become
 * '0', then neighbouring digits are merged pairwise (bytes -> 16-bit lanes of
 * two digits -> 32-bit lanes of four -> eight). In the little-endian word,
 * byte 0 is the most significant digit.
 */
static inline bool
field8(const char *s, uint64_t *out)
{
	uint64_t w = load_le64(s), x;
	unsigned lead;

	if (w == UINT64_C(0x3020202020202020)) {
		*out = 0;  /* "       0", by far the most common field */
		return true;
	}
	if ((w & UINT64_C(0x00ffffffffffffff)) == UINT64_C(0x0020202020202020) &&
	    (unsigned char)((w >> 56) - '0') < 10) {
		*out = (w >> 56) - '0';  /* one digit: every KernelPageSize and MMUPageSize */
		return true;
	}
	x = w ^ ALL_BYTES(' ');
	if (x == 0)
		return false;
	lead = (unsigned)__builtin_ctzll(x) >> 3;  /* leading spaces, 0..7 */
	if (lead)
		w |= ALL_BYTES(0x10) & (~UINT64_C(0) >> (64 - 8 * lead));
	if ((w & ALL_BYTES(0xf0)) != ALL_BYTES(0x30) ||
	    ((w + ALL_BYTES(0x06)) & ALL_BYTES(0xf0)) != ALL_BYTES(0x30))
		return false;  /* not all digits */
	w -= ALL_BYTES('0');
	w = (w * 10 + (w >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
	w = (w * 100 + (w >> 16)) & UINT64_C(0x0000ffff0000ffff);
	w = (w * 10000 + (w >> 32)) & UINT64_C(0x00000000ffffffff);
	*out = w;
	return true;
}

static inline bool
col_is(const char *p, const struct kline_ent *k)
{
	uint64_t a, b, x, y;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	memcpy(&x, k->col, 8);
	memcpy(&y, k->col + 8, 8);
	return a == x && b == y;
}

/*
 * The kernel's exact lines from p on, as long as they come: stores their
 * values in their slots and returns where the first line it did not take
 * begins (p itself when none), for slow_line to decide. A line is only taken
 * whole, with its 28 (THPeligible: 25) bytes inside [p, end). Values are
 * stored even with no mapping open: the slots are cleared when the next one
 * opens, and slow_line would drop them as well.
 */
const char *
smaps_fast_lines(struct smaps_parser *sp, const char *p, const char *end)
{
	const struct kline_ent *k = kline + sp->expect, *kend = kline + NKLINE;
	uint32_t tail;
	uint64_t x;

	while (end - p >= 28) {
		if (k == kend || !col_is(p, k)) {
			/* headers and VmFlags are never in the table: don't search for them */
			if (p[0] < 'A' || p[0] > 'Z' || p[0] == 'V')
				break;
			for (k = kline; k < kend && !col_is(p, k); k++)
				;
			if (k == kend)
				break;
		}
		/* the field must be digits even when unused: no newline may hide in it */
		if (!field8(p + 16, &x))
			break;
		if (k->nounit) {
			if (p[24] != '\n')
				break;
			p += 25;
		} else {
			memcpy(&tail, p + 24, 4);
			if (memcmp(&tail, " kB\n", 4) != 0)
				break;
			sp->slot[k->slot] = x;  /* 8 digits: far below PU_KIB_MAX */
			sp->bad &= ~(1u << k->slot);
			p += 28;
		}
		k++;
	}
	sp->expect = (unsigned)(k - kline);
	return p;
}
