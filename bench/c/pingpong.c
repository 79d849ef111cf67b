/*
 * pingpong - TCP request/response latency and throughput load generator.
 *
 *   pingpong --port P [--host 127.0.0.1] [--connections 8] [--size 64]
 *            [--seconds 10] [--warmup 1] [--threads 1]
 *
 * Opens N connections (TCP_NODELAY), spread round-robin over T threads that
 * each run an epoll loop over non-blocking sockets. Every connection keeps
 * exactly one message of --size bytes in flight: write it, read until the
 * same number of bytes came back, record the round-trip time, send the next.
 * Round trips completed during the first --warmup seconds are not counted;
 * then it measures for --seconds. A connection that fails counts as an error
 * and the others carry on. Prints one JSON line:
 *   {"connections":N,"size":64,"seconds":S,"roundTrips":R,"perSecond":R/S,
 *    "p50us":..,"p99us":..,"p999us":..,"maxus":..,"errors":E}
 * Exits 1 with {"error":...} if no connection works.
 */
#include "common.h"
#include <sys/epoll.h>

struct conn {
    int fd;
    bool want_out;       /* EPOLLOUT registered: the message is not fully written */
    size_t wrote, got;   /* progress of the message in flight */
    uint64_t sent_ns;    /* when it was sent */
};

struct worker {
    pthread_t tid;
    struct conn *conns;
    int ep, n, alive;
    uint64_t trips, errors;
    struct hist hist;
};

static size_t size;                /* message size */
static char *msg;                  /* message contents */
static uint64_t warm_end, end;     /* measuring window [warm_end, end) */

static void drop(struct worker *w, struct conn *c)
{
    close(c->fd); /* also leaves the epoll set */
    c->fd = -1;
    w->alive--;
    w->errors++;
}

/* Write (more of) the message; listen for EPOLLOUT only while it is incomplete. */
static bool send_more(int ep, struct conn *c)
{
    ssize_t n = write(c->fd, msg + c->wrote, size - c->wrote);
    if (n < 0 && errno != EAGAIN && errno != EINTR)
        return false;
    if (n > 0)
        c->wrote += (size_t)n;
    bool want_out = c->wrote < size;
    if (want_out != c->want_out) {
        struct epoll_event ev = { .events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.ptr = c };
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        c->want_out = want_out;
    }
    return true;
}

static bool start_message(int ep, struct conn *c, uint64_t now)
{
    c->sent_ns = now;
    c->wrote = c->got = 0;
    return send_more(ep, c);
}

static void *run(void *arg)
{
    struct worker *w = arg;
    char *buf = malloc(size);
    int ep = w->ep;
    if (buf == NULL)
        fail("out of memory");

    for (int i = 0; i < w->n; i++) {
        struct conn *c = &w->conns[i];
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0 || !start_message(ep, c, now_ns()))
            drop(w, c);
    }

    struct epoll_event events[256];
    while (w->alive > 0) {
        int timeout = ms_until(end);
        if (timeout == 0)
            break;
        int n = epoll_wait(ep, events, 256, timeout);
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c->wrote < size && !send_more(ep, c)) {
                drop(w, c);
                continue;
            }
            if (!(events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
                continue;
            ssize_t r = read(c->fd, buf, size - c->got);
            if (r <= 0) {
                if (r == 0 || (errno != EAGAIN && errno != EINTR))
                    drop(w, c);
                continue;
            }
            c->got += (size_t)r;
            if (c->got < size)
                continue;
            uint64_t now = now_ns();
            if (now >= warm_end && now < end) {
                hist_add(&w->hist, now - c->sent_ns);
                w->trips++;
            }
            if (!start_message(ep, c, now))
                drop(w, c);
        }
    }
    for (int i = 0; i < w->n; i++)
        if (w->conns[i].fd >= 0)
            close(w->conns[i].fd);
    close(ep);
    free(buf);
    return NULL;
}

int main(int argc, char **argv)
{
    opt_check(argc, argv, "--host --port --connections --size --seconds --warmup --threads",
              "--port P [--host 127.0.0.1] [--connections 8] [--size 64] [--seconds 10] "
              "[--warmup 1] [--threads 1]");
    struct sockaddr_in addr = loopback_addr(opt_str(argc, argv, "--host", "127.0.0.1"),
                                            (int)opt_long(argc, argv, "--port", 0));
    int nconn = (int)opt_long(argc, argv, "--connections", 8);
    size = (size_t)opt_long(argc, argv, "--size", 64);
    double seconds = opt_double(argc, argv, "--seconds", 10);
    double warmup = opt_double(argc, argv, "--warmup", 1);
    int nthreads = (int)opt_long(argc, argv, "--threads", 1);
    if (nconn < 1 || size < 1 || nthreads < 1 || ntohs(addr.sin_port) == 0)
        fail("need --port, and --connections, --size, --threads >= 1");
    if (nthreads > nconn)
        nthreads = nconn;

    raise_nofile();
    signal(SIGPIPE, SIG_IGN);
    hard_timeout(warmup + seconds + 60);

    msg = malloc(size);
    struct conn *conns = calloc((size_t)nconn, sizeof *conns);
    struct worker *workers = calloc((size_t)nthreads, sizeof *workers);
    if (msg == NULL || conns == NULL || workers == NULL)
        fail("out of memory");
    for (size_t i = 0; i < size; i++)
        msg[i] = (char)('a' + i % 26);
    for (int t = 0; t < nthreads; t++)
        if ((workers[t].ep = epoll_create1(0)) < 0) /* before the sockets use up all fds */
            fail("epoll_create1: %s", strerror(errno));

    /* Connect everything first; connection i goes to worker i % T. */
    uint64_t connect_errors = 0;
    int opened = 0;
    for (int i = 0; i < nconn; i++) {
        int fd = tcp_connect(&addr);
        if (fd < 0) {
            if (connect_errors++ < 3)
                fprintf(stderr, "%s: connect: %s\n", prog_name, strerror(errno));
            continue;
        }
        set_nonblocking(fd);
        conns[opened++].fd = fd;
    }
    if (opened == 0)
        fail("no connection could be opened (%s)", strerror(errno));
    if (nthreads > opened)
        nthreads = opened;
    /* Give each worker a contiguous slice of the conns array. */
    for (int t = 0, first = 0; t < nthreads; t++) {
        struct worker *w = &workers[t];
        w->n = w->alive = opened / nthreads + (t < opened % nthreads);
        w->conns = &conns[first];
        first += w->n;
    }

    warm_end = now_ns() + SEC_NS(warmup);
    end = warm_end + SEC_NS(seconds);
    for (int t = 0; t < nthreads; t++)
        if (pthread_create(&workers[t].tid, NULL, run, &workers[t]) != 0)
            fail("pthread_create failed");

    struct hist *all = calloc(1, sizeof *all);
    uint64_t trips = 0, errors = connect_errors;
    int alive = 0;
    for (int t = 0; t < nthreads; t++) {
        pthread_join(workers[t].tid, NULL);
        hist_merge(all, &workers[t].hist);
        trips += workers[t].trips;
        errors += workers[t].errors;
        alive += workers[t].alive;
    }
    uint64_t stopped = now_ns();
    if (stopped > end)
        stopped = end;
    double measured = stopped > warm_end ? (double)(stopped - warm_end) / 1e9 : 0;
    if (alive == 0)
        fail("all %d connections failed (%" PRIu64 " round trips done)", nconn, trips);

    printf("{\"connections\":%d,\"size\":%zu,\"seconds\":%.3f,\"roundTrips\":%" PRIu64
           ",\"perSecond\":%.1f,",
           nconn, size, measured, trips, measured > 0 ? (double)trips / measured : 0);
    hist_print_json(all);
    printf(",\"errors\":%" PRIu64 "}\n", errors);
    return 0;
}
