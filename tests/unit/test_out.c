/*
 * Non-interactive outputs (output/procs_out.c, output/write.c) over a
 * hand-built table: CSV quoting and its once-per-run header, JSON nulls and
 * string escaping (checked with a small strict JSON parser), the aligned table,
 * and out_flush() against a pipe, a full device and a reader that went away.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/proc.h"
#include "model/select.h"
#include "model/table.h"
#include "output/out.h"

#define WALL_MS INT64_C(1700000000123)

struct fixture {
	struct proc procs[4];
	struct table t;
	struct rows r;
	struct out o;
};

static struct proc *
add(struct fixture *fx, pid_t pid, const char *comm)
{
	struct proc *p = &fx->procs[fx->t.n++];

	memset(p, 0, sizeof *p);
	proc_set(p, F_PID, pid);
	proc_set(p, F_COMM, 0);
	proc_set(p, F_STATE, 0);
	p->state = 'S';
	proc_set_comm(p, comm, strlen(comm));
	return p;
}

/* pid 7: comm a,"b, PSS unknown, RSS 100; pid 9: plain, PSS 50, RSS 200, cmdline. */
static void
fixture_init(struct fixture *fx, enum out_format fmt)
{
	static const char cmd[] = "sleep\0" "60";

	memset(fx, 0, sizeof *fx);
	table_init(&fx->t);
	fx->t.procs = fx->procs; /* borrowed: never table_fini()ed */
	fx->t.cap = 4;
	fx->t.wall_ms = WALL_MS;
	proc_set(add(fx, 7, "a,\"b"), F_RSS, 100);
	struct proc *p = add(fx, 9, "plain");
	proc_set(p, F_PSS, 50);
	proc_set(p, F_RSS, 200);
	p->cmdline = (char *)cmd;
	p->cmd_len = sizeof cmd - 1;
	proc_set(p, F_CMDLINE, 0);
	struct selection sel = { .sort = F_PID };
	select_rows(&fx->t, &sel, &fx->r);
	fx->o.fmt = fmt;
	fx->o.fd = -1;
}

static void
fixture_fini(struct fixture *fx)
{
	rows_fini(&fx->r);
	buf_fini(&fx->o.b);
	buf_fini(&fx->o.tmp);
}

static void
test_csv(void **state)
{
	struct fixture fx;
	static const enum field cols[] = { F_PID, F_COMM, F_PSS, F_RSS };
	static const char rows[] = "1700000000123,7,\"a,\"\"b\",,100\n"
				   "1700000000123,9,plain,50,200\n";

	(void)state;
	fixture_init(&fx, OUT_CSV);
	out_procs(&fx.o, &fx.t, &fx.r, cols, 4);
	assert_true(fx.o.header_done);
	assert_string_equal(fx.o.b.data, "time_unix_ms,pid,comm,pss_kib,rss_kib\n" "1700000000123,7,"
					  "\"a,\"\"b\",,100\n" "1700000000123,9,plain,50,200\n");
	/* the next iteration appends rows only */
	buf_clear(&fx.o.b);
	out_procs(&fx.o, &fx.t, &fx.r, cols, 4);
	assert_string_equal(fx.o.b.data, rows);
	fixture_fini(&fx);
}

static void
test_csv_hostile_text(void **state)
{
	struct fixture fx;
	static const enum field cols[] = { F_COMM, F_CMDLINE };

	(void)state;
	fixture_init(&fx, OUT_CSV);
	fx.o.header_done = true;
	proc_set_comm(&fx.procs[0], "x\ny\r\"", 5);
	out_procs(&fx.o, &fx.t, &fx.r, cols, 2);
	/* control bytes are escaped before quoting: one physical line per row */
	assert_string_equal(fx.o.b.data, "1700000000123,\"x\\x0ay\\x0d\"\"\",\n"
					 "1700000000123,plain,sleep 60\n");

	struct buf b = BUF_INIT;
	out_csv_field(&b, "a\nb", 3);
	out_csv_field(&b, "", 0);
	out_csv_field(&b, "c\rd", 3);
	assert_string_equal(b.data, "\"a\nb\"\"c\rd\"");
	buf_fini(&b);
	fixture_fini(&fx);
}

/* ---- a strict little JSON parser (RFC 8259 grammar, no extensions) ---- */

struct json {
	const char *s, *end;
};

static bool json_value(struct json *j, int depth);

static void
json_ws(struct json *j)
{
	while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' || *j->s == '\n' || *j->s == '\r'))
		j->s++;
}

static bool
json_lit(struct json *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->s) < n || memcmp(j->s, lit, n))
		return false;
	j->s += n;
	return true;
}

static bool
json_string(struct json *j)
{
	if (j->s >= j->end || *j->s++ != '"')
		return false;
	while (j->s < j->end) {
		unsigned char c = (unsigned char)*j->s++;
		if (c == '"')
			return true;
		if (c < 0x20)
			return false; /* raw control byte */
		if (c != '\\')
			continue;
		if (j->s >= j->end)
			return false;
		c = (unsigned char)*j->s++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++, j->s++)
				if (j->s >= j->end || !strchr("0123456789abcdefABCDEF", *j->s) || !*j->s)
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return false;
		}
	}
	return false;
}

static bool
json_digits(struct json *j)
{
	const char *start = j->s;

	while (j->s < j->end && *j->s >= '0' && *j->s <= '9')
		j->s++;
	return j->s > start;
}

static bool
json_number(struct json *j)
{
	if (j->s < j->end && *j->s == '-')
		j->s++;
	if (j->s < j->end && *j->s == '0')
		j->s++;
	else if (!json_digits(j))
		return false;
	if (j->s < j->end && *j->s == '.') {
		j->s++;
		if (!json_digits(j))
			return false;
	}
	if (j->s < j->end && (*j->s == 'e' || *j->s == 'E')) {
		j->s++;
		if (j->s < j->end && (*j->s == '+' || *j->s == '-'))
			j->s++;
		if (!json_digits(j))
			return false;
	}
	return true;
}

static bool
json_members(struct json *j, char close, bool keyed, int depth)
{
	json_ws(j);
	if (j->s < j->end && *j->s == close) {
		j->s++;
		return true;
	}
	for (;;) {
		json_ws(j);
		if (keyed) {
			if (!json_string(j))
				return false;
			json_ws(j);
			if (j->s >= j->end || *j->s++ != ':')
				return false;
		}
		if (!json_value(j, depth + 1))
			return false;
		json_ws(j);
		if (j->s >= j->end)
			return false;
		char c = *j->s++;
		if (c == close)
			return true;
		if (c != ',')
			return false;
	}
}

static bool
json_value(struct json *j, int depth)
{
	if (depth > 64)
		return false;
	json_ws(j);
	if (j->s >= j->end)
		return false;
	switch (*j->s) {
	case '{':
		j->s++;
		return json_members(j, '}', true, depth);
	case '[':
		j->s++;
		return json_members(j, ']', false, depth);
	case '"':
		return json_string(j);
	case 't':
		return json_lit(j, "true");
	case 'f':
		return json_lit(j, "false");
	case 'n':
		return json_lit(j, "null");
	default:
		return json_number(j);
	}
}

/* Each line of text is one complete JSON document. */
static void
assert_json_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	assert_true(len > 0 && text[len - 1] == '\n');
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct json j = { p, nl };
		if (!json_value(&j, 0) || (json_ws(&j), j.s != nl))
			fail_msg("invalid JSON at offset %td: %.*s", j.s - text, (int)(nl - p), p);
		p = nl + 1;
	}
}

static void
test_json_parser_rejects(void **state)
{
	static const char *const bad[] = {
		"{\"a\":1\n", "{\"a\":\"x\x01\"}\n", "[1,]\n", "{\"a\" 1}\n", "\"\\x1b\"\n",
		"[01]\n", "{\"a\":nul}\n", "[\"a\"]]\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct json j = { bad[i], bad[i] + strlen(bad[i]) - 1 };
		bool ok = json_value(&j, 0);
		json_ws(&j);
		if (ok && j.s == j.end)
			fail_msg("parser accepted %s", bad[i]);
	}
}

static void
test_json(void **state)
{
	struct fixture fx;
	static const enum field cols[] = { F_PID, F_COMM, F_PSS, F_CMDLINE, F_STATE };

	(void)state;
	fixture_init(&fx, OUT_JSON);
	out_procs(&fx.o, &fx.t, &fx.r, cols, 5);
	assert_string_equal(fx.o.b.data,
			    "{\"time_unix_ms\":1700000000123,\"processes\":["
			    "{\"pid\":7,\"comm\":\"a,\\\"b\",\"pss_kib\":null,\"cmdline\":null,\"state\":\"S\"},"
			    "{\"pid\":9,\"comm\":\"plain\",\"pss_kib\":50,\"cmdline\":\"sleep 60\","
			    "\"state\":\"S\"}]}\n");
	assert_json_lines(fx.o.b.data, fx.o.b.len);
	fixture_fini(&fx);
}

static void
test_json_hostile_text(void **state)
{
	struct fixture fx;
	static const enum field cols[] = { F_COMM, F_CMDLINE };
	static const char cmd[] = "\x01\"\\\x7f\xff\n\0\t}]";

	(void)state;
	fixture_init(&fx, OUT_JSON);
	proc_set_comm(&fx.procs[0], "q\"\\\x1b", 4);
	fx.procs[1].cmdline = (char *)cmd;
	fx.procs[1].cmd_len = sizeof cmd - 1;
	out_procs(&fx.o, &fx.t, &fx.r, cols, 2);
	assert_json_lines(fx.o.b.data, fx.o.b.len);
	/* cell escaping first (\ -> \\, ESC -> \x1b), then JSON escaping of " and \ */
	assert_non_null(strstr(fx.o.b.data, "\"comm\":\"q\\\"\\\\\\\\\\\\x1b\""));
	assert_non_null(strstr(fx.o.b.data, "\"cmdline\":\"\\\\x01\\\"\\\\\\\\\\\\x7f\\\\xff"
					    "\\\\x0a \\\\x09}]\""));
	for (size_t i = 0; i + 1 < fx.o.b.len; i++)
		if ((unsigned char)fx.o.b.data[i] < 0x20 || (unsigned char)fx.o.b.data[i] >= 0x7f)
			fail_msg("raw byte 0x%02x at %zu", (unsigned char)fx.o.b.data[i], i);

	/* out_json_string also guards raw control bytes it is handed */
	struct buf b = BUF_INIT;
	out_json_string(&b, "a\x01\n\"\\", 5);
	assert_string_equal(b.data, "\"a\\u0001\\u000a\\\"\\\\\"");
	buf_puts(&b, "\n");
	assert_json_lines(b.data, b.len);
	buf_fini(&b);
	fixture_fini(&fx);
}

static void
test_json_empty(void **state)
{
	struct fixture fx;
	static const enum field cols[] = { F_PID };

	(void)state;
	fixture_init(&fx, OUT_JSON);
	fx.r.n = 0;
	out_procs(&fx.o, &fx.t, &fx.r, cols, 1);
	assert_string_equal(fx.o.b.data, "{\"time_unix_ms\":1700000000123,\"processes\":[]}\n");
	assert_json_lines(fx.o.b.data, fx.o.b.len);
	fixture_fini(&fx);
}

static const char *
line_after(const char *text, const char *prefix)
{
	const char *p = strstr(text, prefix);
	return p ? p : "";
}

static void
test_table(void **state)
{
	struct fixture fx;
	static const enum field cols[] = { F_PID, F_PSS, F_RSS, F_COMM };

	(void)state;
	fixture_init(&fx, OUT_TABLE);
	fx.t.denied = 1;
	out_procs(&fx.o, &fx.t, &fx.r, cols, 4);
	const char *s = fx.o.b.data;
	assert_non_null(strstr(s, ", 2 processes, PSS unavailable for 1 ("));
	assert_non_null(strstr(s, "\nMem:  total -, used -,"));
	assert_string_equal(line_after(s, "    PID"), "    PID     PSS     RSS COMMAND\n"
						   "      7       -    100K a,\"b\n"
						   "      9     50K    200K plain\n");
	fixture_fini(&fx);
}

static void
test_flush_pipe(void **state)
{
	struct out o = { .fd = -1 };
	int fds[2];
	char got[64];

	(void)state;
	assert_int_equal(out_flush(&o), 0); /* nothing to write: no write(2) */
	assert_int_equal(pipe(fds), 0);
	o.fd = fds[1];
	buf_puts(&o.b, "hello,world\n");
	assert_int_equal(out_flush(&o), 0);
	assert_int_equal(o.b.len, 0);
	assert_int_equal(read(fds[0], got, sizeof got), 12);
	assert_memory_equal(got, "hello,world\n", 12);
	close(fds[0]);
	close(fds[1]);

	o.fd = -1;
	buf_puts(&o.b, "x");
	assert_int_equal(out_flush(&o), -EBADF);
	assert_int_equal(o.b.len, 0);
	buf_fini(&o.b);
}

static void
test_flush_full_device(void **state)
{
	struct out o = { 0 };

	(void)state;
	o.fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (o.fd < 0)
		skip();
	buf_puts(&o.b, "data\n");
	assert_int_equal(out_flush(&o), -ENOSPC);
	assert_int_equal(o.b.len, 0);
	close(o.fd);
	buf_fini(&o.b);
}

static void
test_flush_closed_pipe(void **state)
{
	struct out o = { 0 };
	int fds[2];
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);

	(void)state;
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	o.fd = fds[1];
	buf_puts(&o.b, "nobody reads this\n");
	assert_int_equal(out_flush(&o), -EPIPE);
	assert_int_equal(o.b.len, 0);
	close(fds[1]);
	signal(SIGPIPE, old);
	buf_fini(&o.b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_hostile_text),
		cmocka_unit_test(test_json_parser_rejects),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_hostile_text),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_flush_pipe),
		cmocka_unit_test(test_flush_full_device),
		cmocka_unit_test(test_flush_closed_pipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
