/*
 * common.h - helpers shared by the SocketDeck C benchmark programs.
 *
 *   options   opt_check() rejects unknown "--name value" pairs, opt_str/opt_long/
 *             opt_double read them (every option takes exactly one value).
 *   errors    die() logs to stderr and exits 1 (servers); fail() prints
 *             {"error":"..."} on stdout, logs to stderr and exits 1 (clients);
 *             hard_timeout() ends a client that hangs, with an error line.
 *   time      now_ns(): CLOCK_MONOTONIC in nanoseconds.
 *   sockets   raise_nofile(), loopback_addr(), tcp_connect(), set_nonblocking().
 *   stopping  stop_signalfd(), stdin_closed(), server_start(), stop_watcher_start():
 *             a server stops (exit status 0) on SIGTERM/SIGINT, on EOF of stdin
 *             and after --max-seconds.
 *   latency   struct hist: log-linear histogram of nanosecond values, 64
 *             sub-buckets per power of two (reported values within 1%).
 */
#ifndef SOCKETDECK_BENCH_COMMON_H
#define SOCKETDECK_BENCH_COMMON_H

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- errors */

static const char *prog_name = "bench";

__attribute__((format(printf, 1, 2), noreturn))
static inline void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Print {"error":"<message>"} as the one result line and exit 1. */
__attribute__((format(printf, 1, 2), noreturn))
static inline void fail(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", prog_name, msg);
    printf("{\"error\":\"");
    for (const char *p = msg; *p; p++) {
        if (*p == '"' || *p == '\\') putchar('\\');
        putchar((unsigned char)*p < ' ' ? ' ' : *p);
    }
    printf("\"}\n");
    exit(1);
}

static inline void on_alarm(int sig)
{
    (void)sig;
    static const char line[] = "{\"error\":\"hard timeout\"}\n";
    if (write(STDOUT_FILENO, line, sizeof line - 1) < 0) { /* nothing left to do */ }
    _exit(2);
}

/* Make sure the process ends within `seconds`, printing an error line if it must. */
static inline void hard_timeout(double seconds)
{
    signal(SIGALRM, on_alarm);
    alarm((unsigned)seconds + 1);
}

/* --------------------------------------------------------------- options */

static inline bool word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

/* Every argument must be "--name value" with --name in the space-separated `known`. */
static inline void opt_check(int argc, char **argv, const char *known, const char *usage)
{
    prog_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    for (int i = 1; i < argc; i += 2)
        if (strncmp(argv[i], "--", 2) != 0 || !word_in(known, argv[i]) || i + 1 >= argc) {
            fprintf(stderr, "usage: %s %s\n", prog_name, usage);
            fail("bad argument '%s'", argv[i]);
        }
}

static inline const char *opt_str(int argc, char **argv, const char *name, const char *def)
{
    for (int i = 1; i + 1 < argc; i += 2)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return def;
}

static inline double opt_double(int argc, char **argv, const char *name, double def)
{
    const char *s = opt_str(argc, argv, name, NULL);
    if (s == NULL)
        return def;
    char *end;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || v < 0)
        fail("%s needs a non-negative number, got '%s'", name, s);
    return v;
}

static inline long long opt_long(int argc, char **argv, const char *name, long long def)
{
    const char *s = opt_str(argc, argv, name, NULL);
    if (s == NULL)
        return def;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0)
        fail("%s needs a non-negative integer, got '%s'", name, s);
    return v;
}

/* ------------------------------------------------------------------ time */

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define SEC_NS(s) ((uint64_t)((s) * 1e9))

/* Milliseconds from now until `deadline` (rounded up), for poll/epoll timeouts. */
static inline int ms_until(uint64_t deadline)
{
    uint64_t now = now_ns();
    if (now >= deadline)
        return 0;
    uint64_t ms = (deadline - now + 999999) / 1000000;
    return ms > 1000000000 ? 1000000000 : (int)ms;
}

/* --------------------------------------------------------------- sockets */

static inline void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            fprintf(stderr, "%s: setrlimit(NOFILE): %s\n", prog_name, strerror(errno));
    }
}

static inline struct sockaddr_in loopback_addr(const char *host, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
        fail("--host must be a numeric IPv4 address, got '%s'", host);
    return a;
}

static inline void set_nodelay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static inline void set_nonblocking(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

#ifndef IP_LOCAL_PORT_RANGE
#define IP_LOCAL_PORT_RANGE 51
#endif

/* Blocking TCP connect with TCP_NODELAY; returns the fd, or -1 with errno set.
 * By default Linux (>= 6.x) picks connect() source ports by scanning the even
 * ports first; once they are all in use for one destination (~14k connections
 * with the default port range) every further connect scans all of them, which
 * makes opening ~20k connections quadratic. A per-socket IP_LOCAL_PORT_RANGE
 * (here the whole range, so nothing is narrowed) switches to a plain scan. */
static inline int tcp_connect(const struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    uint32_t any_port = 65535u << 16 | 1u; /* hi << 16 | lo */
    setsockopt(fd, IPPROTO_IP, IP_LOCAL_PORT_RANGE, &any_port, sizeof any_port);
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    set_nodelay(fd);
    return fd;
}

/* write() all of buf to a blocking fd; 0 on success, -1 on error. */
static inline int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* -------------------------------------------------------------- stopping */

/* Block SIGTERM and SIGINT (in this thread and all threads created after this
 * call) and return a signalfd that becomes readable when one of them arrives. */
static inline int stop_signalfd(void)
{
    signal(SIGTERM, SIG_DFL); /* a shell may start background jobs with SIGINT ignored */
    signal(SIGINT, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int fd = signalfd(-1, &set, SFD_CLOEXEC);
    if (fd < 0)
        die("signalfd: %s", strerror(errno));
    return fd;
}

/* Call when stdin is readable: discards input, true once stdin is at EOF (or broken). */
static inline bool stdin_closed(void)
{
    char buf[512];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

struct server {
    int fd;            /* listening TCP socket or bound UDP socket */
    int port;          /* the port actually bound */
    int sigfd;         /* readable on SIGTERM/SIGINT, see stop_signalfd() */
    uint64_t deadline; /* now + --max-seconds */
};

/* Common server start: options --port and --max-seconds, limits, signals,
 * socket bound to 127.0.0.1 (listening, backlog 4096, for SOCK_STREAM),
 * then "listening <port>" on stdout. */
static inline struct server server_start(int argc, char **argv, int type)
{
    opt_check(argc, argv, "--port --max-seconds", "--port P [--max-seconds 1800]");
    int port = (int)opt_long(argc, argv, "--port", 0);
    double max_seconds = opt_double(argc, argv, "--max-seconds", 1800);
    if (port > 65535)
        die("--port out of range");

    raise_nofile();
    signal(SIGPIPE, SIG_IGN);
    struct server s = { .sigfd = stop_signalfd(), .deadline = now_ns() + SEC_NS(max_seconds) };

    s.fd = socket(AF_INET, type, 0);
    if (s.fd < 0)
        die("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = loopback_addr("127.0.0.1", port);
    if (bind(s.fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("bind 127.0.0.1:%d: %s", port, strerror(errno));
    if (type == SOCK_STREAM && listen(s.fd, 4096) != 0)
        die("listen: %s", strerror(errno));
    socklen_t len = sizeof a;
    getsockname(s.fd, (struct sockaddr *)&a, &len);
    s.port = ntohs(a.sin_port);

    printf("listening %d\n", s.port);
    fflush(stdout);
    return s;
}

/* Log why we stop and end the process with status 0 (other threads included). */
__attribute__((noreturn))
static inline void server_stop(const char *why)
{
    fprintf(stderr, "%s: stopping: %s\n", prog_name, why);
    fflush(NULL);
    _exit(0);
}

static inline void *stop_watcher(void *arg)
{
    const struct server *s = arg;
    struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
                           { .fd = s->sigfd, .events = POLLIN } };
    for (;;) {
        int n = poll(p, 2, ms_until(s->deadline));
        if (n == 0)
            server_stop("--max-seconds reached");
        if (n < 0 && errno != EINTR)
            server_stop("poll failed");
        if (n < 0)
            continue;
        if (p[1].revents)
            server_stop("signal");
        if (p[0].revents && stdin_closed())
            server_stop("stdin closed");
    }
}

/* For servers whose main loop blocks: a thread that ends the process on stdin
 * EOF, SIGTERM/SIGINT or --max-seconds. */
static inline void stop_watcher_start(const struct server *s)
{
    pthread_t t;
    if (pthread_create(&t, NULL, stop_watcher, (void *)s) != 0)
        die("cannot start the stop watcher thread");
    pthread_detach(t);
}

/* --------------------------------------------------------------- latency */

#define HIST_SUB_BITS 6
#define HIST_SUB (1 << HIST_SUB_BITS)            /* sub-buckets per power of two */
#define HIST_MAX_BITS 47                         /* values up to 2^47 ns (~39 h) */
#define HIST_BUCKETS ((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
    uint64_t count[HIST_BUCKETS];
    uint64_t total, max;
};

/* Values below 2*HIST_SUB get their own bucket; above, a power of two
 * [2^e, 2^(e+1)) is split into HIST_SUB equal buckets. */
static inline void hist_add(struct hist *h, uint64_t ns)
{
    if (ns >= (1ull << HIST_MAX_BITS))
        ns = (1ull << HIST_MAX_BITS) - 1;
    unsigned idx = (unsigned)ns;
    if (ns >= HIST_SUB) {
        unsigned shift = (63 - (unsigned)__builtin_clzll(ns)) - HIST_SUB_BITS;
        idx = shift * HIST_SUB + (unsigned)(ns >> shift);
    }
    h->count[idx]++;
    h->total++;
    if (ns > h->max)
        h->max = ns;
}

static inline void hist_merge(struct hist *into, const struct hist *from)
{
    for (int i = 0; i < HIST_BUCKETS; i++)
        into->count[i] += from->count[i];
    into->total += from->total;
    if (from->max > into->max)
        into->max = from->max;
}

/* Value (ns) at quantile q (0..1): middle of the bucket holding that rank. */
static inline double hist_quantile(const struct hist *h, double q)
{
    if (h->total == 0)
        return 0;
    uint64_t rank = (uint64_t)(q * (double)h->total + 0.999999), seen = 0;
    if (rank < 1)
        rank = 1;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->count[i];
        if (seen >= rank) {
            unsigned shift = i < 2 * HIST_SUB ? 0 : i / HIST_SUB - 1;
            double low = (double)(((uint64_t)(i - shift * HIST_SUB)) << shift);
            double mid = low + (double)((1ull << shift) - 1) / 2;
            return mid > (double)h->max ? (double)h->max : mid;
        }
    }
    return (double)h->max;
}

/* Prints "p50us":..,"p99us":..,"p999us":..,"maxus":.. (no braces). */
static inline void hist_print_json(const struct hist *h)
{
    printf("\"p50us\":%.1f,\"p99us\":%.1f,\"p999us\":%.1f,\"maxus\":%.1f",
           hist_quantile(h, 0.50) / 1e3, hist_quantile(h, 0.99) / 1e3,
           hist_quantile(h, 0.999) / 1e3, (double)h->max / 1e3);
}

#endif
