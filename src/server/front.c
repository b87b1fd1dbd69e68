/*
 * front.c - the front door (front.h). One thread: the listening socket and
 * the connections whose first request is not complete yet, in one epoll set
 * (edge-triggered: the bytes are only peeked, so level-triggered would fire
 * without end). A connection whose header block is in, and reads as HTTP,
 * goes to libmicrohttpd with MHD_add_connection, its bytes still unread; one
 * that does not is answered with a JSON 400 and closed. A header block that
 * does not end within header_max bytes is handed over too: libmicrohttpd
 * answers it 431. A connection that sends nothing for timeout_s is closed.
 */
#define _GNU_SOURCE   /* accept4 */
#include "server/front.h"

#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PENDING 4096

struct pending {
	int fd;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	time_t since;
	bool used;
};

struct lf_front {
	int lfd, efd, stopfd;
	pthread_t thread;
	bool started;
	struct MHD_Daemon *d;
	const struct lf_config *cfg;
	struct pending *p;        /* MAX_PENDING slots */
	char *buf;                /* header_max + 1 bytes, peeked into */
	size_t cap;
};

static bool token_char(char c)
{
	return c > ' ' && c < 127 && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

/* The line [s, e) without its "\r". */
static const char *line_end(const char *s, const char *e)
{
	const char *n = memchr(s, '\n', (size_t)(e - s));
	return n ? n : e;
}

bool lf_front_check(const char *buf, size_t len, size_t header_end, char *field,
		    size_t field_cap, char *why, size_t why_cap)
{
	const char *p = buf, *end = buf + header_end, *le, *sp1, *sp2;
	bool chunked = false;
	char length[32] = "";

	field[0] = '\0';
	if (memchr(buf, '\0', header_end)) {
		/* name the header that holds it, when one does */
		const char *z = memchr(buf, '\0', header_end), *ls = z;
		while (ls > buf && ls[-1] != '\n')
			ls--;
		const char *colon = memchr(ls, ':', (size_t)(z - ls));
		if (colon && ls != buf)
			snprintf(field, field_cap, "%.*s", (int)(colon - ls), ls);
		snprintf(why, why_cap, "a NUL byte in the %s", field[0] ? "header" : "request");
		if (field[0]) {
			size_t n = strlen(why);
			snprintf(why + n, why_cap - n, " '%s'", field);
		}
		return false;
	}
	/* the request line: METHOD SP TARGET SP HTTP/1.x */
	le = line_end(p, end);
	size_t ll = (size_t)(le - p) - (le > p && le[-1] == '\r');
	sp1 = memchr(p, ' ', ll);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', ll - (size_t)(sp1 + 1 - p)) : NULL;
	bool method_ok = sp1 && sp1 > p;
	for (const char *c = p; method_ok && c < sp1; c++)
		method_ok = token_char(*c);
	if (!method_ok || !sp2 || sp2 == sp1 + 1 || ll - (size_t)(sp2 + 1 - p) != 8 ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) || (sp2[8] != '0' && sp2[8] != '1')) {
		snprintf(why, why_cap, "the request line is not 'METHOD /path HTTP/1.1': '%.*s'",
			 (int)(ll > 80 ? 80 : ll), p);
		return false;
	}
	/* header lines: a name, a colon, a value of printable bytes or tabs */
	for (p = le + 1; p < end; p = le + 1) {
		le = line_end(p, end);
		size_t n = (size_t)(le - p) - (le > p && le[-1] == '\r');
		if (n == 0)
			break; /* the blank line */
		const char *colon = memchr(p, ':', n);
		bool name_ok = colon && colon > p;
		for (const char *c = p; name_ok && c < colon; c++)
			name_ok = token_char(*c);
		if (!name_ok) {
			snprintf(why, why_cap, "a header line is not 'Name: value': '%.*s'",
				 (int)(n > 80 ? 80 : n), p);
			return false;
		}
		snprintf(field, field_cap, "%.*s", (int)(colon - p), p);
		for (const char *c = colon + 1; c < p + n; c++)
			if ((unsigned char)*c < ' ' && *c != '\t') {
				snprintf(why, why_cap, "a control byte in the header '%s'", field);
				return false;
			}
		const char *v = colon + 1;
		while (v < p + n && (*v == ' ' || *v == '\t'))
			v++;
		size_t vn = (size_t)(p + n - v);
		while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
			vn--;
		if (!strncasecmp(p, "Content-Length", 14) && colon - p == 14) {
			bool digits = vn > 0 && vn < sizeof(length);
			for (size_t i = 0; digits && i < vn; i++)
				digits = isdigit((unsigned char)v[i]);
			if (!digits) {
				snprintf(why, why_cap, "Content-Length is not a number of bytes: '%.*s'",
					 (int)(vn > 40 ? 40 : vn), v);
				return false;
			}
			snprintf(length, sizeof(length), "%.*s", (int)vn, v);
		}
		if (!strncasecmp(p, "Transfer-Encoding", 17) && colon - p == 17 && vn >= 7 &&
		    !strncasecmp(v + vn - 7, "chunked", 7))
			chunked = true;
		field[0] = '\0';
	}
	/* the first chunk's size, when it is already in */
	if (chunked && len > header_end) {
		const char *c = buf + header_end, *ce = line_end(c, buf + len);
		if (ce < buf + len) {
			const char *h = c;
			while (h < ce && isxdigit((unsigned char)*h))
				h++;
			if (h == c || (h < ce && *h != '\r' && *h != ';' && *h != ' ')) {
				size_t cl = (size_t)(ce - c) - (ce > c && ce[-1] == '\r');
				snprintf(field, field_cap, "Transfer-Encoding");
				snprintf(why, why_cap, "a chunk size is not a hex number: '%.*s'",
					 (int)(cl > 40 ? 40 : cl), c);
				return false;
			}
		}
	}
	return true;
}

/* Where the header block ends (after its blank line), 0 when not yet in. */
static size_t header_end(const char *b, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (b[i] == '\n' && (b[i + 1] == '\n' ||
				     (b[i + 1] == '\r' && i + 2 < n && b[i + 2] == '\n')))
			return i + (b[i + 1] == '\n' ? 2 : 3);
	return 0;
}

static void drop(struct lf_front *f, struct pending *p, bool close_it)
{
	epoll_ctl(f->efd, EPOLL_CTL_DEL, p->fd, NULL);
	if (close_it)
		close(p->fd);
	p->used = false;
}

static void refuse(struct lf_front *f, struct pending *p, const char *field, const char *why)
{
	char body[1024], esc[600], resp[1400];
	size_t k = 0;
	for (const char *c = why; *c && k + 7 < sizeof(esc); c++) {
		if (*c == '"' || *c == '\\')
			esc[k++] = '\\';
		if ((unsigned char)*c < ' ' || (unsigned char)*c >= 127) {
			k += (size_t)snprintf(esc + k, sizeof(esc) - k, "\\u%04x", (unsigned char)*c);
			continue;
		}
		esc[k++] = *c;
	}
	esc[k] = '\0';
	int bn = snprintf(body, sizeof(body), "{\"error\":{\"code\":\"bad_request\",\"message\":"
			  "\"%s\",\"field\":%s%s%s}}", esc, field[0] ? "\"" : "",
			  field[0] ? field : "null", field[0] ? "\"" : "");
	int rn = snprintf(resp, sizeof(resp), "HTTP/1.1 400 Bad Request\r\nContent-Type: "
			  "application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
			  bn, body);
	if (rn > 0 && send(p->fd, resp, (size_t)rn, MSG_NOSIGNAL) < 0)
		(void)0; /* the client is gone: nothing to tell */
	/* the access log's line, as for every request (method and path unread) */
	fprintf(stderr, "{\"at\":%lld,\"method\":\"\",\"path\":\"\",\"route\":\"\",\"status\":400,"
		"\"ms\":0,\"token\":\"\",\"front\":true,\"reason\":\"%s\"}\n",
		(long long)time(NULL) * 1000, esc);
	shutdown(p->fd, SHUT_WR);
	drop(f, p, true);
}

/* Looks at what p has sent so far; hands it over, refuses it, or waits. */
static void look(struct lf_front *f, struct pending *p)
{
	char field[128], why[512];
	ssize_t n = recv(p->fd, f->buf, f->cap, MSG_PEEK);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
		drop(f, p, true);
		return;
	}
	if (n < 0)
		return;
	size_t he = header_end(f->buf, (size_t)n);
	if (!he && (size_t)n < f->cap)
		return; /* more to come */
	if (he && !lf_front_check(f->buf, (size_t)n, he, field, sizeof(field), why, sizeof(why))) {
		refuse(f, p, field, why);
		return;
	}
	drop(f, p, false);
	if (MHD_add_connection(f->d, p->fd, (struct sockaddr *)&p->addr, p->addrlen) != MHD_YES)
		close(p->fd); /* libmicrohttpd closes it itself on most failures */
}

static void take_new(struct lf_front *f)
{
	for (;;) {
		struct pending *p = NULL;
		struct sockaddr_storage addr;
		socklen_t alen = sizeof(addr);
		int fd = accept4(f->lfd, (struct sockaddr *)&addr, &alen,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		for (size_t i = 0; i < MAX_PENDING && !p; i++)
			if (!f->p[i].used)
				p = &f->p[i];
		if (!p) {
			close(fd); /* more connections starting at once than we hold */
			continue;
		}
		*p = (struct pending){ .fd = fd, .addr = addr, .addrlen = alen,
				       .since = time(NULL), .used = true };
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET,
					  .data.ptr = p };
		if (epoll_ctl(f->efd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			p->used = false;
			continue;
		}
		look(f, p);
	}
}

static void *front_main(void *arg)
{
	struct lf_front *f = arg;
	struct epoll_event evs[64];
	for (;;) {
		int n = epoll_wait(f->efd, evs, 64, 1000);
		for (int i = 0; i < n; i++) {
			if (evs[i].data.ptr == &f->lfd)
				take_new(f);
			else if (evs[i].data.ptr == &f->stopfd)
				return NULL;
			else if (((struct pending *)evs[i].data.ptr)->used)
				look(f, evs[i].data.ptr);
		}
		time_t now = time(NULL);
		for (size_t i = 0; i < MAX_PENDING; i++)
			if (f->p[i].used && now - f->p[i].since > f->cfg->timeout_s)
				drop(f, &f->p[i], true);
	}
}

enum lf_result lf_front_start(const struct sockaddr_in *sa, struct MHD_Daemon *d,
			      const struct lf_config *cfg, struct lf_front **out,
			      uint16_t *port, struct lf_error *err)
{
	struct lf_front *f = calloc(1, sizeof(*f));
	struct sockaddr_in bound;
	socklen_t blen = sizeof(bound);
	int one = 1;

	*out = NULL;
	if (!f)
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	f->lfd = f->efd = f->stopfd = -1;
	if (!(f->p = calloc(MAX_PENDING, sizeof(*f->p))) ||
	    !(f->buf = malloc((size_t)cfg->header_max + 1))) {
		lf_front_stop(f);
		return lf_error_set(err, LF_ERR_NOMEM, "out of memory");
	}
	f->cap = (size_t)cfg->header_max + 1;
	f->d = d;
	f->cfg = cfg;
	f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	f->efd = epoll_create1(EPOLL_CLOEXEC);
	f->stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (f->lfd < 0 || f->efd < 0 || f->stopfd < 0 ||
	    setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(f->lfd, (const struct sockaddr *)sa, sizeof(*sa)) ||
	    listen(f->lfd, 1024) ||
	    getsockname(f->lfd, (struct sockaddr *)&bound, &blen)) {
		enum lf_result r = lf_error_field(err, LF_ERR_IO, "listen", "cannot listen on "
						  "port %u: %s", ntohs(sa->sin_port),
						  strerror(errno));
		lf_front_stop(f);
		return r;
	}
	struct epoll_event le = { .events = EPOLLIN | EPOLLET, .data.ptr = &f->lfd };
	struct epoll_event se = { .events = EPOLLIN, .data.ptr = &f->stopfd };
	if (epoll_ctl(f->efd, EPOLL_CTL_ADD, f->lfd, &le) ||
	    epoll_ctl(f->efd, EPOLL_CTL_ADD, f->stopfd, &se) ||
	    pthread_create(&f->thread, NULL, front_main, f)) {
		lf_front_stop(f);
		return lf_error_set(err, LF_ERR_INTERNAL, "cannot start the listening thread");
	}
	f->started = true;
	*port = ntohs(bound.sin_port);
	*out = f;
	return LF_OK;
}

void lf_front_stop(struct lf_front *f)
{
	if (!f)
		return;
	if (f->started) {
		uint64_t one = 1;
		if (write(f->stopfd, &one, sizeof(one)) < 0)
			(void)0;
		pthread_join(f->thread, NULL);
	}
	for (size_t i = 0; f->p && i < MAX_PENDING; i++)
		if (f->p[i].used)
			close(f->p[i].fd);
	if (f->lfd >= 0)
		close(f->lfd);
	if (f->efd >= 0)
		close(f->efd);
	if (f->stopfd >= 0)
		close(f->stopfd);
	free(f->p);
	free(f->buf);
	free(f);
}
