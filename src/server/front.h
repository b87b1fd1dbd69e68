/*
 * front.h - the front door: the listening socket, and a first look at each
 * connection's first request before libmicrohttpd takes the connection.
 * What libmicrohttpd would answer itself, with its own HTML page (a request
 * line that is not HTTP/1.x, a header line without a colon, a NUL or a
 * control byte in the headers, a Content-Length that is not a number, a
 * first chunk size that is not hex), is answered here with the API's JSON
 * error; a request that reads as HTTP is handed over untouched (it is only
 * peeked at). Later requests on a kept-alive connection are libmicrohttpd's.
 */
#ifndef LF_SERVER_FRONT_H
#define LF_SERVER_FRONT_H

#include <leadflow/config.h>

#include <leadflow/error.h>
#include <netinet/in.h>
#include <stdint.h>

struct lf_front;
struct MHD_Daemon;

/*
 * Listens on sa and hands every connection that reads as HTTP to d (started
 * with MHD_USE_NO_LISTEN_SOCKET). *port gets the port bound (sa's may be 0).
 */
enum lf_result lf_front_start(const struct sockaddr_in *sa, struct MHD_Daemon *d,
			      const struct lf_config *cfg, struct lf_front **out,
			      uint16_t *port, struct lf_error *err);
/* Stops accepting; connections not yet handed over are closed. */
void lf_front_stop(struct lf_front *f);

/*
 * Whether the start of a request (its header block, len bytes, up to and
 * with the blank line, and what follows of the body) reads as HTTP/1.x;
 * else the status, the field at fault ("" for none) and why. Pure, for tests.
 */
bool lf_front_check(const char *buf, size_t len, size_t header_end, char *field,
		    size_t field_cap, char *why, size_t why_cap);

#endif
