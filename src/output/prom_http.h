/*
 * The HTTP side of the exporter: GET (and HEAD) /metrics over Debian's
 * libmicrohttpd, the only file that includes microhttpd.h (make lint checks).
 * It knows nothing of processes: each scrape calls the render callback, which
 * hands back the body to send.
 *
 * One internal thread serves every connection with epoll, so the callback
 * never runs twice at once and needs no lock. A client cannot stall the
 * others: requests are read without blocking, a connection idle for
 * timeout_s is closed, at most conn_limit connections are open (per_ip_limit
 * from one address) and further ones are refused at once. Other paths get
 * 404, other methods on /metrics 405 (with Allow: GET, HEAD). Nothing is
 * printed (libmicrohttpd's error log stays off).
 */
#ifndef SMAPTOP_PROM_HTTP_H
#define SMAPTOP_PROM_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

struct prom_http;

/*
 * Renders one scrape: sets *data and *len to the body (borrowed until the next
 * call) and returns 0, or a negative errno for a 500 answer.
 */
typedef int (*prom_http_render_fn)(void *ctx, const char **data, size_t *len);

struct prom_http_opts {
	const struct sockaddr_storage *addr;
	socklen_t addrlen;
	unsigned conn_limit;    /* open connections at most */
	unsigned per_ip_limit;  /* from one client address */
	unsigned timeout_s;     /* an idle connection is closed after this */
	prom_http_render_fn render;
	void *ctx;
};

/*
 * Parses "[ADDR:]PORT" (ADDR an IPv4 address or an IPv6 one in brackets,
 * "[::1]:9100"); no ADDR means 127.0.0.1. Returns 0 or -EINVAL.
 */
int prom_http_parse_addr(const char *spec, struct sockaddr_storage *ss, socklen_t *len);

/*
 * Binds the address and starts serving. Returns 0, or a negative errno:
 * -ENOENT when libmicrohttpd.so.12 cannot be loaded, -ENOSYS when it lacks a
 * function, -EADDRINUSE, -EACCES... from bind, -EIO when it would not start.
 */
int prom_http_start(struct prom_http **out, const struct prom_http_opts *o);

/* Stops serving (open connections are closed) and frees h. NULL is a no-op. */
void prom_http_stop(struct prom_http *h);

#endif
