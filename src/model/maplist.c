/*
 * The maplist container: the mappings of one process, packed.
 *
 * A struct mapping is 168 bytes, most of them zero: a one-page anonymous
 * mapping has six or seven small values out of fourteen, no offset, device,
 * inode or path. At 250,000 mappings the plain array was 42 MB, more than the
 * rest of smaptop together, so each mapping is stored as a short record of
 * variable-length numbers (LEB128: 7 bits a byte), and at[] says where each
 * starts, so any mapping is decoded without the ones before it:
 *
 *   byte 0   perms as 4 bits (r w x s) when they are "[r-][w-][x-][ps]",
 *            bit 4: they are not, and 4 raw bytes follow byte 1;
 *            bits 5..7: the class
 *   byte 1   bit 0: start, end and offset are in pages (all page-aligned),
 *            bit 1: a path (offset, length) follows the inode,
 *            bit 2: an unknown mask follows
 *   start, end - start, offset, dev major, dev minor, inode,
 *   [path offset, path length], [unknown],
 *   the mask of the values that are not 0, then those values in field order.
 *
 * A typical anonymous mapping takes about 22 bytes plus 4 for at[]. The
 * record is exact: maplist_get gives back every byte maplist_add was given
 * (perms[4] is NUL, padding zero), so lists still compare mapping by mapping.
 */
#include "model/maps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The longest record: 2 + 4 perms + 6 numbers, 2 path, unknown, mask, 14 values. */
#define REC_MAX (2 + 4 + 10 * 6 + 10 * 2 + 3 + 3 + 10 * MF_NUM)
#define PAGE 4096u

enum {
	B0_RAW_PERMS = 1u << 4,
	B0_CLS_SHIFT = 5,
	B1_PAGES = 1u << 0,
	B1_PATH = 1u << 1,
	B1_UNKNOWN = 1u << 2,
};

void
maplist_init(struct maplist *m)
{
	memset(m, 0, sizeof *m);
}

void
maplist_fini(struct maplist *m)
{
	free(m->rows);
	free(m->at);
	free(m->strings);
	maplist_init(m);
}

void
maplist_clear(struct maplist *m)
{
	m->n = 0;
	m->rows_len = 0;
	m->str_len = 0;
	memset(m->total, 0, sizeof m->total);
	memset(m->rollup, 0, sizeof m->rollup);
	m->total_partial = 0;
	m->rollup_known = 0;
}

void
maplist_totals(const struct maplist *m, uint64_t val[MF_NUM], uint16_t *unknown)
{
	*unknown = 0;
	for (int f = 0; f < MF_NUM; f++) {
		if (m->rollup_known & MF_BIT(f))
			val[f] = m->rollup[f];
		else if (m->total_partial & MF_BIT(f))
			*unknown |= MF_BIT(f);
		else
			val[f] = m->total[f];
		if (*unknown & MF_BIT(f))
			val[f] = 0;
	}
}

static inline unsigned char *
put_var(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static inline uint64_t
get_var(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint64_t v = *p & 0x7f;

	/* most numbers are one byte: 0, a page count, a small KiB value */
	for (unsigned shift = 7; *p++ & 0x80; shift += 7)
		v |= (uint64_t)(*p & 0x7f) << shift;
	*pp = p;
	return v;
}

/* perms as 4 bits, or -1 when they are not of the usual shape. */
static int
perm_bits(const char *s)
{
	if ((s[0] != 'r' && s[0] != '-') || (s[1] != 'w' && s[1] != '-') ||
	    (s[2] != 'x' && s[2] != '-') || (s[3] != 's' && s[3] != 'p'))
		return -1;
	return (s[0] == 'r') | (s[1] == 'w') << 1 | (s[2] == 'x') << 2 | (s[3] == 's') << 3;
}

void
maplist_add(struct maplist *m, const struct mapping *mp)
{
	unsigned char *p, *rec;
	int pb = perm_bits(mp->perms);
	unsigned shift = 0;
	unsigned mask = 0;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->at = xreallocarray(m->at, m->cap, sizeof *m->at);
	}
	if (m->rows_len + REC_MAX > m->rows_cap) {
		size_t cap = m->rows_cap ? m->rows_cap * 2 : 8192;

		if (m->rows_len + REC_MAX > UINT32_MAX) {
			/*
			 * Some 20 million mappings, more than any process has (the
			 * kernel's own VMAs would take gigabytes): handled as running
			 * out of memory, terminal restored.
			 */
			if (xalloc_fatal_hook)
				xalloc_fatal_hook();
			fputs("smaptop: more mappings than smaptop can hold\n", stderr);
			exit(1);
		}
		m->rows = xreallocarray(m->rows, cap, 1);
		m->rows_cap = cap;
	}
	rec = p = m->rows + m->rows_len;
	p[0] = (unsigned char)((pb >= 0 ? (unsigned)pb : B0_RAW_PERMS) | (unsigned)mp->cls << B0_CLS_SHIFT);
	p[1] = 0;
	if (mp->start % PAGE == 0 && mp->end % PAGE == 0 && mp->offset % PAGE == 0) {
		p[1] |= B1_PAGES;
		shift = 12;
	}
	if (mp->path_off || mp->path_len)
		p[1] |= B1_PATH;
	if (mp->unknown)
		p[1] |= B1_UNKNOWN;
	p += 2;
	if (pb < 0) {
		memcpy(p, mp->perms, 4);
		p += 4;
	}
	p = put_var(p, mp->start >> shift);
	p = put_var(p, (mp->end - mp->start) >> shift);
	p = put_var(p, mp->offset >> shift);
	p = put_var(p, mp->dev_major);
	p = put_var(p, mp->dev_minor);
	p = put_var(p, mp->inode);
	if (rec[1] & B1_PATH) {
		p = put_var(p, mp->path_off);
		p = put_var(p, mp->path_len);
	}
	if (mp->unknown)
		p = put_var(p, mp->unknown);
	for (int f = 0; f < MF_NUM; f++)
		mask |= (mp->val[f] != 0) << f;
	p = put_var(p, mask);
	for (int f = 0; f < MF_NUM; f++) {
		if (mp->val[f])
			p = put_var(p, mp->val[f]);
	}
	m->at[m->n++] = (uint32_t)m->rows_len;
	m->rows_len = (size_t)(p - m->rows);
}

/* Decodes the record at p up to its value mask into *mp (values not touched); returns the mask. */
static unsigned
get_head(const unsigned char *p, struct mapping *mp, const unsigned char **vals)
{
	unsigned b0 = p[0], b1 = p[1];
	unsigned shift = b1 & B1_PAGES ? 12 : 0;

	p += 2;
	if (b0 & B0_RAW_PERMS) {
		memcpy(mp->perms, p, 4);
		p += 4;
	} else {
		mp->perms[0] = b0 & 1 ? 'r' : '-';
		mp->perms[1] = b0 & 2 ? 'w' : '-';
		mp->perms[2] = b0 & 4 ? 'x' : '-';
		mp->perms[3] = b0 & 8 ? 's' : 'p';
	}
	mp->perms[4] = '\0';
	mp->cls = (uint8_t)(b0 >> B0_CLS_SHIFT);
	mp->start = get_var(&p) << shift;
	mp->end = mp->start + (get_var(&p) << shift);
	mp->offset = get_var(&p) << shift;
	mp->dev_major = (uint32_t)get_var(&p);
	mp->dev_minor = (uint32_t)get_var(&p);
	mp->inode = get_var(&p);
	mp->path_off = mp->path_len = 0;
	if (b1 & B1_PATH) {
		mp->path_off = (uint32_t)get_var(&p);
		mp->path_len = (uint32_t)get_var(&p);
	}
	mp->unknown = b1 & B1_UNKNOWN ? (uint16_t)get_var(&p) : 0;
	unsigned mask = (unsigned)get_var(&p);
	*vals = p;
	return mask;
}

void
maplist_get(const struct maplist *m, size_t i, struct mapping *mp)
{
	const unsigned char *p;
	unsigned mask;

	memset(mp, 0, sizeof *mp);
	mask = get_head(m->rows + m->at[i], mp, &p);
	for (int f = 0; f < MF_NUM; f++) {
		if (mask & (1u << f))
			mp->val[f] = get_var(&p);
	}
}

uint64_t
maplist_value(const struct maplist *m, size_t i, enum map_field f)
{
	struct mapping h;
	const unsigned char *p;
	unsigned mask = get_head(m->rows + m->at[i], &h, &p);

	if (!(mask & (1u << f)))
		return 0;
	for (unsigned g = 0; g < (unsigned)f; g++) {
		if (mask & (1u << g))
			get_var(&p);
	}
	return get_var(&p);
}
