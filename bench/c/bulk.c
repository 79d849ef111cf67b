/*
 * bulk - TCP echo throughput over one connection.
 *
 *   bulk --port P [--host 127.0.0.1] [--bytes 1073741824] [--chunk 65536]
 *        [--timeout 120]
 *
 * A writer thread sends --bytes bytes of a repeating pattern in --chunk sized
 * writes while the main thread reads the echo back at the same time and
 * checks every byte against the pattern. Prints one JSON line:
 *   {"bytes":B,"seconds":S,"mbPerSecond":B/1e6/S}
 * where S runs from the first write to the last byte read back.
 * Exits 1 with {"error":...} on a connection problem or corrupted data, and
 * with {"error":"hard timeout"} after --timeout seconds.
 */
#include "common.h"

/* The pattern: the byte at stream offset i is i % PERIOD (a prime, so it shifts
 * from one chunk to the next and misplaced chunks are noticed). */
#define PERIOD 251

static int fd;
static uint64_t total;
static size_t chunk;
static unsigned char *pattern; /* chunk + PERIOD bytes: pattern + off % PERIOD covers a chunk */
static int writer_errno;

static void *writer(void *arg)
{
    (void)arg;
    uint64_t off = 0;
    while (off < total) {
        size_t n = total - off < chunk ? (size_t)(total - off) : chunk;
        ssize_t w = write(fd, pattern + off % PERIOD, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            writer_errno = errno;
            shutdown(fd, SHUT_RDWR); /* wake up the reader */
            break;
        }
        off += (uint64_t)w;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    opt_check(argc, argv, "--host --port --bytes --chunk --timeout",
              "--port P [--host 127.0.0.1] [--bytes 1073741824] [--chunk 65536] [--timeout 120]");
    struct sockaddr_in addr = loopback_addr(opt_str(argc, argv, "--host", "127.0.0.1"),
                                            (int)opt_long(argc, argv, "--port", 0));
    total = (uint64_t)opt_long(argc, argv, "--bytes", 1073741824);
    chunk = (size_t)opt_long(argc, argv, "--chunk", 65536);
    double timeout = opt_double(argc, argv, "--timeout", 120);
    if (chunk < 1 || total < 1 || ntohs(addr.sin_port) == 0)
        fail("need --port, and --bytes, --chunk >= 1");

    raise_nofile();
    signal(SIGPIPE, SIG_IGN);
    hard_timeout(timeout);

    pattern = malloc(chunk + PERIOD);
    unsigned char *buf = malloc(chunk);
    if (pattern == NULL || buf == NULL)
        fail("out of memory");
    for (size_t i = 0; i < chunk + PERIOD; i++)
        pattern[i] = (unsigned char)(i % PERIOD);

    fd = tcp_connect(&addr);
    if (fd < 0)
        fail("connect: %s", strerror(errno));

    uint64_t start = now_ns();
    pthread_t t;
    if (pthread_create(&t, NULL, writer, NULL) != 0)
        fail("pthread_create failed");

    uint64_t off = 0;
    while (off < total) {
        size_t want = total - off < chunk ? (size_t)(total - off) : chunk;
        ssize_t n = read(fd, buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail("connection closed after %" PRIu64 " of %" PRIu64 " bytes (%s)", off, total,
                 strerror(n < 0 ? errno : writer_errno ? writer_errno : ECONNRESET));
        if (memcmp(buf, pattern + off % PERIOD, (size_t)n) != 0)
            fail("echoed data differs from what was sent, near byte %" PRIu64, off);
        off += (uint64_t)n;
    }
    double seconds = (double)(now_ns() - start) / 1e9;
    pthread_join(t, NULL);
    close(fd);

    printf("{\"bytes\":%" PRIu64 ",\"seconds\":%.3f,\"mbPerSecond\":%.1f}\n",
           total, seconds, (double)total / 1e6 / seconds);
    return 0;
}
