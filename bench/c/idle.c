/*
 * idle - opens many TCP connections, echoes one payload on each, then holds them.
 *
 *   idle --port P [--host 127.0.0.1] [--connections 1000] [--payload "ping\n"]
 *        [--hold-seconds 600] [--timeout 120]
 *
 * Opens --connections connections (blocking connect, one after the other; a
 * failure is counted and it carries on), writes --payload once on each (the
 * escapes \n \r \t \\ are understood) and collects the full echo of all of
 * them with epoll. Then prints one JSON line, immediately flushed:
 *   {"opened":O,"echoed":E,"failed":F,"seconds":S}
 * O = connections established, E = connections that echoed the payload
 * correctly, F = connections - E, S = time to open and echo all.
 * It then HOLDS every connection open until stdin reaches EOF, SIGTERM/SIGINT
 * arrives or --hold-seconds elapse, closes them and exits 0. Run it with
 * stdin on a pipe you keep open (stdin at /dev/null ends the hold at once).
 * --timeout bounds the open+echo phase; connections not echoed by then count
 * as failed. Exits 1 with {"error":...} if no connection could be opened.
 */
#include "common.h"
#include <sys/epoll.h>

/* Decode \n, \r, \t and \\ in place; returns the new length. */
static size_t unescape(char *s)
{
    char *out = s;
    for (const char *in = s; *in; in++) {
        if (in[0] == '\\' && in[1] != '\0') {
            in++;
            *out++ = *in == 'n' ? '\n' : *in == 'r' ? '\r' : *in == 't' ? '\t' : *in;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static bool signalled(int sigfd)
{
    struct pollfd p = { .fd = sigfd, .events = POLLIN };
    return poll(&p, 1, 0) > 0;
}

int main(int argc, char **argv)
{
    opt_check(argc, argv, "--host --port --connections --payload --hold-seconds --timeout",
              "--port P [--host 127.0.0.1] [--connections 1000] [--payload \"ping\\n\"] "
              "[--hold-seconds 600] [--timeout 120]");
    struct sockaddr_in addr = loopback_addr(opt_str(argc, argv, "--host", "127.0.0.1"),
                                            (int)opt_long(argc, argv, "--port", 0));
    int n = (int)opt_long(argc, argv, "--connections", 1000);
    char *payload = strdup(opt_str(argc, argv, "--payload", "ping\\n"));
    size_t len = unescape(payload);
    double hold = opt_double(argc, argv, "--hold-seconds", 600);
    double timeout = opt_double(argc, argv, "--timeout", 120);
    if (n < 1 || len < 1 || ntohs(addr.sin_port) == 0)
        fail("need --port, --connections >= 1 and a non-empty --payload");

    raise_nofile();
    signal(SIGPIPE, SIG_IGN);
    int sigfd = stop_signalfd();
    hard_timeout(timeout + 5); /* only for the open+echo phase, cancelled below */
    uint64_t deadline = now_ns() + SEC_NS(timeout);

    int *fds = malloc((size_t)n * sizeof *fds);      /* -1 once failed */
    size_t *got = calloc((size_t)n, sizeof *got);    /* echo bytes received */
    char *buf = malloc(len);
    int ep = epoll_create1(0);
    if (fds == NULL || got == NULL || buf == NULL || ep < 0)
        fail("setup failed: %s", strerror(errno));

    /* 1. Open all connections (SIGTERM/SIGINT, checked now and then, ends this early). */
    uint64_t start = now_ns();
    int opened = 0, errors_logged = 0;
    for (int i = 0; i < n && !(i % 1024 == 0 && signalled(sigfd)); i++) {
        int fd = tcp_connect(&addr);
        if (fd < 0 && errors_logged++ < 3)
            fprintf(stderr, "%s: connect #%d: %s\n", prog_name, i, strerror(errno));
        if (fd >= 0)
            fds[opened++] = fd;
    }
    if (opened == 0)
        fail("no connection could be opened (%s)", strerror(errno));

    /* 2. Send the payload on each and wait for all echoes. */
    int waiting = 0, echoed = 0;
    for (int i = 0; i < opened; i++) {
        set_nonblocking(fds[i]);
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        if (write(fds[i], payload, len) != (ssize_t)len ||
            epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) != 0) {
            close(fds[i]);
            fds[i] = -1;
        } else {
            waiting++;
        }
    }
    struct epoll_event stop_ev = { .events = EPOLLIN, .data.u32 = UINT32_MAX };
    epoll_ctl(ep, EPOLL_CTL_ADD, sigfd, &stop_ev);

    struct epoll_event events[256];
    bool stop = false;
    while (waiting > 0 && !stop) {
        int k = epoll_wait(ep, events, 256, ms_until(deadline));
        if (k == 0)
            break; /* --timeout: whatever has not echoed counts as failed */
        for (int e = 0; e < k; e++) {
            uint32_t i = events[e].data.u32;
            if (i == UINT32_MAX) {
                stop = true;
                continue;
            }
            ssize_t r = read(fds[i], buf, len - got[i]);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            bool ok = r > 0 && memcmp(buf, payload + got[i], (size_t)r) == 0;
            got[i] += ok ? (size_t)r : 0;
            if (ok && got[i] < len)
                continue;
            epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL); /* done with this one */
            waiting--;
            if (ok) {
                echoed++;
            } else {
                close(fds[i]);
                fds[i] = -1;
            }
        }
    }
    double seconds = (double)(now_ns() - start) / 1e9;
    alarm(0);

    printf("{\"opened\":%d,\"echoed\":%d,\"failed\":%d,\"seconds\":%.3f}\n",
           opened, echoed, n - echoed, seconds);
    fflush(stdout);

    /* 3. Hold until stdin EOF, SIGTERM/SIGINT or --hold-seconds. */
    uint64_t hold_end = now_ns() + SEC_NS(hold);
    struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
                           { .fd = sigfd, .events = POLLIN } };
    const char *why = "--hold-seconds elapsed";
    while (!stop) {
        int r = poll(p, 2, ms_until(hold_end));
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (p[1].revents) {
            why = "signal";
            break;
        }
        if (p[0].revents && stdin_closed()) {
            why = "stdin closed";
            break;
        }
    }
    fprintf(stderr, "%s: releasing connections: %s\n", prog_name, stop ? "signal" : why);
    for (int i = 0; i < opened; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    return 0;
}
