/*
 * An independent checker of the Prometheus text exposition format 0.0.4 as
 * smaptop writes it (gauges and counters only), written from the format's
 * documentation, not from output/prom.c. Shared by tests/unit/test_prom.c and
 * the fuzz harness tests/fuzz/fuzz_prom.c (header-only).
 *
 * pc_check(text, len) returns NULL when the text is valid, else a message
 * naming the first problem, with *line set to its 1-based line. Valid means:
 *   - valid UTF-8 (shortest form, no surrogates), no control byte but '\n',
 *     every line ends with '\n';
 *   - each family: "# HELP NAME TEXT", then "# TYPE NAME counter|gauge", then
 *     its samples "NAME{LABELS} VALUE" or "NAME VALUE"; a family name never
 *     comes back once another family started (families are contiguous);
 *   - names match [a-zA-Z_:][a-zA-Z0-9_:]*; counters end in _total and gauges
 *     do not;
 *   - labels: NAME="VALUE" separated by commas, names [a-zA-Z_][a-zA-Z0-9_]*
 *     and not "__"-prefixed, each at most once per sample; in values only \\,
 *     \" and \n escapes, no raw '"' or newline;
 *   - values: -?[0-9]+(.[0-9]+)?;
 *   - no two samples of a family have the same label set (as written).
 */
#ifndef SMAPTOP_PROM_CHECK_H
#define SMAPTOP_PROM_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s (n bytes left), or 0. */
static inline size_t
pc_utf8(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t v, min;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, v = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, v = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, v = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return len;
}

static inline bool
pc_name_char(char c, bool first, bool colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
	       (!first && c >= '0' && c <= '9');
}

/* Length of a name at s (metric names allow ':'), 0 if none. */
static inline size_t
pc_name(const char *s, size_t n, bool colon)
{
	size_t i = 0;

	while (i < n && pc_name_char(s[i], i == 0, colon))
		i++;
	return i;
}

struct pc_family {
	const char *name;
	size_t len;
};

struct pc_state {
	struct pc_family *seen;   /* families met so far */
	size_t nseen;
	const char *fam;          /* current family */
	size_t famlen;
	bool counter, typed;
	const char **labs;        /* label texts of the current family's samples */
	size_t *lablen, nlabs;
};

static inline bool
pc_eq(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && memcmp(a, b, na) == 0;
}

/* Checks "{...}" at s; returns its length or 0. */
static inline size_t
pc_labels(const char *s, size_t n)
{
	const char *names[32];
	size_t nlen[32], nn = 0, i = 1;

	if (!n || s[0] != '{')
		return 0;
	if (i < n && s[i] == '}')
		return 2;
	for (;;) {
		size_t l = pc_name(s + i, n - i, false);
		if (!l || (l >= 2 && s[i] == '_' && s[i + 1] == '_'))
			return 0;
		for (size_t k = 0; k < nn; k++)
			if (pc_eq(names[k], nlen[k], s + i, l))
				return 0;
		if (nn == 32)
			return 0;
		names[nn] = s + i;
		nlen[nn++] = l;
		i += l;
		if (i + 1 >= n || s[i] != '=' || s[i + 1] != '"')
			return 0;
		i += 2;
		while (i < n && s[i] != '"') {
			if (s[i] == '\n')
				return 0;
			if (s[i] == '\\') {
				if (i + 1 >= n || (s[i + 1] != '\\' && s[i + 1] != '"' && s[i + 1] != 'n'))
					return 0;
				i++;
			}
			i++;
		}
		if (i >= n)
			return 0;
		i++; /* the closing quote */
		if (i < n && s[i] == '}')
			return i + 1;
		if (i >= n || s[i] != ',')
			return 0;
		i++;
	}
}

static inline bool
pc_value(const char *s, size_t n)
{
	size_t i = 0, d = 0;

	if (i < n && s[i] == '-')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (!d)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		d = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, d++;
		if (!d)
			return false;
	}
	return i == n;
}

static inline const char *
pc_line(struct pc_state *st, const char *s, size_t n)
{
	if (n >= 2 && s[0] == '#') {
		bool help = n > 7 && memcmp(s, "# HELP ", 7) == 0;
		bool type = n > 7 && memcmp(s, "# TYPE ", 7) == 0;
		if (!help && !type)
			return "a comment that is neither HELP nor TYPE";
		size_t l = pc_name(s + 7, n - 7, true);
		if (!l || 7 + l >= n || s[7 + l] != ' ')
			return "a bad metric name in HELP or TYPE";
		const char *name = s + 7;
		if (help) {
			if (st->fam && !st->typed)
				return "a family without TYPE";
			for (size_t k = 0; k < st->nseen; k++)
				if (pc_eq(st->seen[k].name, st->seen[k].len, name, l))
					return "a family comes back (families must be contiguous)";
			st->seen = realloc(st->seen, (st->nseen + 1) * sizeof *st->seen);
			st->seen[st->nseen++] = (struct pc_family){ name, l };
			st->fam = name;
			st->famlen = l;
			st->typed = false;
			st->nlabs = 0;
			for (size_t i = 8 + l; i < n; i++)
				if (s[i] == '\\' && (i + 1 >= n || (s[i + 1] != '\\' && s[i + 1] != 'n')))
					return "a bad escape in HELP";
			return NULL;
		}
		if (!st->fam || !pc_eq(st->fam, st->famlen, name, l) || st->typed)
			return "TYPE not right after its family's HELP";
		const char *t = s + 8 + l;
		size_t tn = n - 8 - l;
		if (pc_eq(t, tn, "counter", 7))
			st->counter = true;
		else if (pc_eq(t, tn, "gauge", 5))
			st->counter = false;
		else
			return "a type other than counter or gauge";
		bool total = l > 6 && memcmp(name + l - 6, "_total", 6) == 0;
		if (st->counter != total)
			return st->counter ? "a counter not named *_total" : "a gauge named *_total";
		st->typed = true;
		return NULL;
	}
	size_t l = pc_name(s, n, true);
	if (!l)
		return "a sample without a metric name";
	if (!st->typed || !pc_eq(st->fam, st->famlen, s, l))
		return "a sample outside its family (no HELP/TYPE before it)";
	size_t lab = 0;
	if (l < n && s[l] == '{') {
		lab = pc_labels(s + l, n - l);
		if (!lab)
			return "malformed labels";
	}
	size_t v = l + lab;
	if (v >= n || s[v] != ' ')
		return "no single space before the value";
	if (!pc_value(s + v + 1, n - v - 1))
		return "a malformed value";
	for (size_t k = 0; k < st->nlabs; k++)
		if (pc_eq(st->labs[k], st->lablen[k], s + l, lab))
			return "two samples with the same labels";
	st->labs = realloc(st->labs, (st->nlabs + 1) * sizeof *st->labs);
	st->lablen = realloc(st->lablen, (st->nlabs + 1) * sizeof *st->lablen);
	st->labs[st->nlabs] = s + l;
	st->lablen[st->nlabs++] = lab;
	return NULL;
}

static inline const char *
pc_check(const char *text, size_t len, size_t *line)
{
	const unsigned char *u = (const unsigned char *)text;
	struct pc_state st = { 0 };
	const char *err = NULL;
	size_t start = 0;

	*line = 1;
	for (size_t i = 0; i < len && !err;) {
		size_t k = pc_utf8(u + i, len - i);
		if (!k)
			err = "invalid UTF-8";
		else if (u[i] < 0x20 && u[i] != '\n')
			err = "a control byte";
		else if (u[i] == 0x7f)
			err = "a DEL byte";
		else if (u[i] == '\n') {
			err = pc_line(&st, text + start, i - start);
			if (!err) {
				start = i + 1;
				++*line;
			}
		}
		i += k ? k : 1;
	}
	if (!err && start != len)
		err = "the last line has no newline";
	if (!err && st.fam && !st.typed)
		err = "a family without TYPE";
	free(st.seen);
	free(st.labs);
	free(st.lablen);
	return err;
}

#endif
