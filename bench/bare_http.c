/*
 * bare_http.c - the baseline of bench/http.sh: libmicrohttpd with the same
 * threads and flags as leadflow's server, answering every request with a
 * fixed small JSON body after reading it, and nothing else.
 *
 * usage: bench_bare_http PORT THREADS   (runs until killed)
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **ctx)
{
	static const char body[] = "{\"id\":\"x\",\"lead_id\":1,\"status\":\"inserted\"}";
	struct MHD_Response *r;
	enum MHD_Result ok;
	(void)cls, (void)url, (void)method, (void)version, (void)upload;
	if (!*ctx) {
		*ctx = (void *)1;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
					    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	ok = MHD_queue_response(c, 201, r);
	MHD_destroy_response(r);
	return ok;
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	if (argc != 3) {
		fprintf(stderr, "usage: %s PORT THREADS\n", argv[0]);
		return 2;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
				     MHD_ALLOW_SUSPEND_RESUME,
			     (uint16_t)atoi(argv[1]), NULL, NULL, answer, NULL,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)atoi(argv[2]),
			     MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_END);
	if (!d) {
		perror("MHD_start_daemon");
		return 1;
	}
	printf("listening on http://127.0.0.1:%s\n", argv[1]);
	fflush(stdout);
	pause();
	MHD_stop_daemon(d);
	return 0;
}
