/*
 * The exporter's options (app/cli.c, output/prom_http.c's address parser):
 * --listen addresses (PORT alone is 127.0.0.1, IPv4, bracketed IPv6; bad ones
 * refused), the defaults of --prom-top and --prom-by, and the combinations
 * that make no sense refused with one line naming the options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "app/cli.h"

struct run {
	struct opts o;
	struct buf msg;
};

static enum cli_result
parse(struct run *r, const char *const *args)
{
	char *argv[32] = { (char *)"smaptop" };
	int argc = 1;

	while (args[argc - 1]) {
		assert_true(argc < 31);
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	opts_fini(&r->o);
	buf_clear(&r->msg);
	return cli_parse(argc, argv, true, &r->o, &r->msg);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
assert_usage(struct run *r, const char *const *args, const char *names)
{
	enum cli_result rc = parse(r, args);
	const char *m = r->msg.data ? r->msg.data : "";

	if (rc != CLI_USAGE)
		fail_msg("%s: result %d, expected CLI_USAGE", args[0], (int)rc);
	if (strncmp(m, "smaptop: ", 9) || strchr(m, '\n') != m + r->msg.len - 1)
		fail_msg("%s: not one line: \"%s\"", args[0], m);
	if (!strstr(m, names))
		fail_msg("%s: message \"%s\" does not name %s", args[0], m, names);
}

static void
test_defaults(void **state)
{
	struct run r = { 0 };

	(void)state;
	assert_int_equal(parse(&r, ARGS("--prometheus")), CLI_RUN);
	assert_true(r.o.prom);
	assert_false(r.o.tui); /* even on a terminal */
	assert_null(r.o.listen);
	assert_int_equal(r.o.prom_top, 50);
	assert_int_equal(r.o.prom_by, PROM_BY_PID);
	assert_int_equal(parse(&r, ARGS("--prometheus", "--prom-top", "0", "--prom-by", "user", "-o",
					"x.prom", "-n", "0", "-d", "15")),
			 CLI_RUN);
	assert_int_equal(r.o.prom_top, 0);
	assert_int_equal(r.o.prom_by, PROM_BY_USER);
	assert_string_equal(r.o.output, "x.prom");
	assert_int_equal(r.o.iterations, 0);
	assert_int_equal(parse(&r, ARGS("--prom-by", "comm", "--prometheus")), CLI_RUN);
	assert_int_equal(r.o.prom_by, PROM_BY_COMM);
	assert_int_equal(parse(&r, ARGS("-1")), CLI_RUN);
	assert_false(r.o.prom);
	opts_fini(&r.o);
	buf_fini(&r.msg);
}

static void
test_listen_addresses(void **state)
{
	struct run r = { 0 };
	char host[64];

	(void)state;
	assert_int_equal(parse(&r, ARGS("--listen", "9839")), CLI_RUN);
	assert_true(r.o.prom);
	const struct sockaddr_in *in = (const struct sockaddr_in *)&r.o.listen_addr;
	assert_int_equal(in->sin_family, AF_INET);
	assert_int_equal(ntohs(in->sin_port), 9839);
	assert_int_equal(ntohl(in->sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(r.o.listen_len, sizeof *in);

	assert_int_equal(parse(&r, ARGS("--listen", "0.0.0.0:80")), CLI_RUN);
	assert_int_equal(in->sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(ntohs(in->sin_port), 80);

	assert_int_equal(parse(&r, ARGS("--listen", "[::1]:65535")), CLI_RUN);
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&r.o.listen_addr;
	assert_int_equal(in6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(in6->sin6_port), 65535);
	assert_non_null(inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host));
	assert_string_equal(host, "::1");

	static const char *const bad[] = {
		"", "0", "65536", "-1", "+80", "80x", "127.0.0.1:", ":80", "1.2.3:80", "localhost:80",
		"::1:80", "[::1]80", "[::1]:", "[]:80", "[1.2.3.4]:80", "1.2.3.4:80:80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_usage(&r, ARGS("--listen", bad[i]), "listen address");
	opts_fini(&r.o);
	buf_fini(&r.msg);
}

static void
test_refused_combinations(void **state)
{
	struct run r = { 0 };

	(void)state;
	assert_usage(&r, ARGS("--prometheus", "--csv"), "--prometheus");
	assert_usage(&r, ARGS("--json", "--listen", "80"), "--json");
	assert_usage(&r, ARGS("--prometheus", "-1"), "-1");
	assert_usage(&r, ARGS("--prometheus", "--system"), "--system");
	assert_usage(&r, ARGS("--listen", "80", "--maps", "1"), "--maps");
	assert_usage(&r, ARGS("-o", "x.prom"), "--prometheus");
	assert_usage(&r, ARGS("--csv", "-o", "x.prom"), "--prometheus");
	assert_usage(&r, ARGS("--prometheus", "-o", ""), "-o");
	assert_usage(&r, ARGS("--listen", "80", "-o", "x"), "-o");
	assert_usage(&r, ARGS("--listen", "80", "-n", "3"), "-n");
	assert_usage(&r, ARGS("--prom-top", "3"), "--prom-top");
	assert_usage(&r, ARGS("--csv", "--prom-by", "comm"), "--prom-by");
	assert_usage(&r, ARGS("--prometheus", "--prom-by", "cmd"), "--prom-by");
	assert_usage(&r, ARGS("--prometheus", "--prom-top", "-1"), "-1");
	assert_usage(&r, ARGS("--prometheus", "--prom-top", "x"), "'x'");
	opts_fini(&r.o);
	buf_fini(&r.msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_listen_addresses),
		cmocka_unit_test(test_refused_combinations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
