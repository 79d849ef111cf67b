/*
 * udp_client - UDP request/response load generator.
 *
 *   udp_client --port P [--host 127.0.0.1] [--senders 16] [--size 64]
 *              [--seconds 10] [--warmup 1] [--timeout-ms 200]
 *
 * Each of --senders threads has its own UDP socket connect()ed to the server
 * and loops: send one datagram of --size bytes, wait for the reply, record
 * the round-trip time. The wait is a blocking recv() with SO_RCVTIMEO (one
 * system call instead of poll()+recv()); when it times out the request counts
 * as lost and the next one is sent. The first 8 bytes carry a sequence number
 * so a late reply to a lost request is not mistaken for the current one.
 * Requests finished during the first --warmup seconds are not counted.
 * Prints one JSON line:
 *   {"senders":N,"size":64,"seconds":S,"requests":R,"perSecond":R/S,
 *    "p50us":..,"p99us":..,"p999us":..,"maxus":..,"lost":L}
 * Exits 1 with {"error":...} if no reply came back at all.
 */
#include "common.h"

struct sender {
    pthread_t tid;
    uint64_t requests, lost;
    struct hist hist;
};

static struct sockaddr_in addr;
static size_t size;
static int timeout_ms;
static uint64_t warm_end, end; /* measuring window [warm_end, end) */

static void *run(void *arg)
{
    struct sender *s = arg;
    static const size_t max_reply = 65536;
    char *out = calloc(1, size), *in = malloc(max_reply);
    size_t seq_len = size < sizeof(uint64_t) ? size : sizeof(uint64_t);
    struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = timeout_ms % 1000 * 1000 };
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (out == NULL || in == NULL || fd < 0 ||
        connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
        fail("sender setup: %s", strerror(errno));

    for (uint64_t seq = 1;; seq++) {
        uint64_t sent = now_ns();
        if (sent >= end)
            break;
        memcpy(out, &seq, seq_len);
        bool ok = send(fd, out, size, 0) == (ssize_t)size;
        while (ok) { /* wait for the reply carrying this sequence number */
            ssize_t n = recv(fd, in, max_reply, 0);
            if (n == (ssize_t)size && memcmp(in, out, seq_len) == 0)
                break;    /* our reply */
            if (n < 0 && errno != EINTR)
                ok = false; /* timed out (EAGAIN) or failed */
            /* otherwise: interrupted, or a late reply to an earlier request */
        }
        uint64_t now = now_ns();
        if (!ok && errno != EAGAIN && errno != EWOULDBLOCK) {
            usleep((useconds_t)timeout_ms * 1000); /* e.g. ECONNREFUSED: don't spin */
            now = now_ns();
        }
        if (now >= warm_end && now < end) {
            if (ok) {
                hist_add(&s->hist, now - sent);
                s->requests++;
            } else {
                s->lost++;
            }
        }
    }
    close(fd);
    free(out);
    free(in);
    return NULL;
}

int main(int argc, char **argv)
{
    opt_check(argc, argv, "--host --port --senders --size --seconds --warmup --timeout-ms",
              "--port P [--host 127.0.0.1] [--senders 16] [--size 64] [--seconds 10] "
              "[--warmup 1] [--timeout-ms 200]");
    addr = loopback_addr(opt_str(argc, argv, "--host", "127.0.0.1"),
                         (int)opt_long(argc, argv, "--port", 0));
    int nsenders = (int)opt_long(argc, argv, "--senders", 16);
    size = (size_t)opt_long(argc, argv, "--size", 64);
    double seconds = opt_double(argc, argv, "--seconds", 10);
    double warmup = opt_double(argc, argv, "--warmup", 1);
    timeout_ms = (int)opt_long(argc, argv, "--timeout-ms", 200);
    if (nsenders < 1 || size < 1 || size > 65507 || timeout_ms < 1 || ntohs(addr.sin_port) == 0)
        fail("need --port, --senders >= 1, 1 <= --size <= 65507, --timeout-ms >= 1");

    raise_nofile();
    hard_timeout(warmup + seconds + 2.0 * timeout_ms / 1000 + 30);

    struct sender *senders = calloc((size_t)nsenders, sizeof *senders);
    if (senders == NULL)
        fail("out of memory");
    warm_end = now_ns() + SEC_NS(warmup);
    end = warm_end + SEC_NS(seconds);
    for (int i = 0; i < nsenders; i++)
        if (pthread_create(&senders[i].tid, NULL, run, &senders[i]) != 0)
            fail("pthread_create failed");

    struct hist *all = calloc(1, sizeof *all);
    uint64_t requests = 0, lost = 0;
    for (int i = 0; i < nsenders; i++) {
        pthread_join(senders[i].tid, NULL);
        hist_merge(all, &senders[i].hist);
        requests += senders[i].requests;
        lost += senders[i].lost;
    }
    double measured = (double)(end - warm_end) / 1e9;
    if (requests == 0)
        fail("no replies (%" PRIu64 " requests lost)", lost);

    printf("{\"senders\":%d,\"size\":%zu,\"seconds\":%.3f,\"requests\":%" PRIu64
           ",\"perSecond\":%.1f,",
           nsenders, size, measured, requests, (double)requests / measured);
    hist_print_json(all);
    printf(",\"lost\":%" PRIu64 "}\n", lost);
    return 0;
}
