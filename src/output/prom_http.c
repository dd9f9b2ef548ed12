/*
 * GET /metrics over libmicrohttpd (see prom_http.h).
 *
 * The library is loaded with dlopen() when the server starts, not linked:
 * Debian's libmicrohttpd12 is built with TLS and pulls in GnuTLS, nettle, GMP,
 * p11-kit and five more libraries, whose loading alone added 2.5 MiB to the
 * resident size and startup time of every smaptop run (3.7 -> 6.2 MiB for
 * --csv). Only --listen pays for it now, and GnuTLS's implicit initialisation
 * is switched off before the load (smaptop never speaks TLS).
 *
 * Loading still leaves about 2 MiB of those libraries' code resident: the
 * relocations and constructors fault their pages in, 64 KiB at a time
 * (fault-around), and the TLS code is never run again. So once the server
 * runs, those pages are given back (util/trim.h); a page run again is faulted
 * back from the page cache, identical.
 */
#include "output/prom_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/dlbind.h"
#include "util/trim.h"
#include "util/xalloc.h"

/* The few libmicrohttpd functions used, resolved by mhd_load(). */
static struct mhd_api {
	struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
					   MHD_AccessHandlerCallback, void *, ...);
	void (*stop_daemon)(struct MHD_Daemon *);
	struct MHD_Response *(*create_response_from_buffer)(size_t, void *,
							     enum MHD_ResponseMemoryMode);
	enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
	enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
	void (*destroy_response)(struct MHD_Response *);
} mhd;
static void *mhd_lib;

/* Loads libmicrohttpd. */
static int
mhd_load(void)
{
	static const struct dl_sym syms[] = {
		{ "MHD_start_daemon", offsetof(struct mhd_api, start_daemon) },
		{ "MHD_stop_daemon", offsetof(struct mhd_api, stop_daemon) },
		{ "MHD_create_response_from_buffer",
		  offsetof(struct mhd_api, create_response_from_buffer) },
		{ "MHD_add_response_header", offsetof(struct mhd_api, add_response_header) },
		{ "MHD_queue_response", offsetof(struct mhd_api, queue_response) },
		{ "MHD_destroy_response", offsetof(struct mhd_api, destroy_response) },
	};
	const char *missing;

	_Static_assert(sizeof syms / sizeof syms[0] == sizeof mhd / sizeof(void (*)(void)),
		       "every member has its name");
	if (mhd_lib)
		return 0;
	setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
	mhd_lib = dl_bind("libmicrohttpd.so.12", syms, sizeof syms / sizeof syms[0], &mhd, &missing);
	if (!mhd_lib)
		return missing ? -ENOSYS : -ENOENT;
	return 0;
}

struct prom_http {
	struct MHD_Daemon *d;
	prom_http_render_fn render;
	void *ctx;
};

static const char content_type[] = "text/plain; version=0.0.4; charset=utf-8";

static int
parse_port(const char *s, in_port_t *port)
{
	char *end;
	long v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 65535)
		return -EINVAL;
	*port = htons((uint16_t)v);
	return 0;
}

int
prom_http_parse_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	const char *colon = strrchr(spec, ':');
	char host[64];
	in_port_t port;

	memset(ss, 0, sizeof *ss);
	if (!colon) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		if (parse_port(spec, &port) < 0)
			return -EINVAL;
		in->sin_family = AF_INET;
		in->sin_port = port;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof *in;
		return 0;
	}
	if (parse_port(colon + 1, &port) < 0 || (size_t)(colon - spec) >= sizeof host)
		return -EINVAL;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	if (host[0] == '[') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		size_t n = strlen(host);
		if (n < 3 || host[n - 1] != ']')
			return -EINVAL;
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
			return -EINVAL;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = port;
		*len = sizeof *in6;
		return 0;
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
		return -EINVAL;
	in->sin_family = AF_INET;
	in->sin_port = port;
	*len = sizeof *in;
	return 0;
}

static enum MHD_Result
answer(struct MHD_Connection *c, unsigned status, const char *body, size_t len, bool allow)
{
	struct MHD_Response *r =
		mhd.create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (!r)
		return MHD_NO;
	mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				status == MHD_HTTP_OK ? content_type : "text/plain; charset=utf-8");
	if (allow)
		mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return rc;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct prom_http *h = cls;
	const char *data;
	size_t len;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	if (strcmp(url, "/metrics") != 0) {
		static const char nf[] = "Not found: smaptop serves /metrics\n";
		return answer(c, MHD_HTTP_NOT_FOUND, nf, sizeof nf - 1, false);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		static const char na[] = "Method not allowed: GET or HEAD\n";
		return answer(c, MHD_HTTP_METHOD_NOT_ALLOWED, na, sizeof na - 1, true);
	}
	if (h->render(h->ctx, &data, &len) < 0) {
		static const char ie[] = "smaptop could not read the process list\n";
		return answer(c, MHD_HTTP_INTERNAL_SERVER_ERROR, ie, sizeof ie - 1, false);
	}
	return answer(c, MHD_HTTP_OK, data, len, false);
}

int
prom_http_start(struct prom_http **out, const struct prom_http_opts *o)
{
	const struct sockaddr *sa = (const struct sockaddr *)o->addr;
	int one = 1, fd, rc = mhd_load();

	if (rc < 0)
		return rc;
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sa->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, sa, o->addrlen) < 0 || listen(fd, 64) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	struct prom_http *h = xcalloc(1, sizeof *h);
	h->render = o->render;
	h->ctx = o->ctx;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | (sa->sa_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	h->d = mhd.start_daemon(flags,
				0, NULL, NULL, handle, h,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_LIMIT, o->conn_limit,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, o->per_ip_limit,
				MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
				MHD_OPTION_END);
	if (!h->d) {
		close(fd);
		free(h);
		return -EIO;
	}
	trim_clean_text(); /* started: what the load faulted in and will not run again can go */
	*out = h;
	return 0;
}

void
prom_http_stop(struct prom_http *h)
{
	if (!h)
		return;
	mhd.stop_daemon(h->d); /* closes the listening socket too, ours or not */
	free(h);
}
