/*
 * echo_epoll - TCP echo server, one thread, epoll (reference baseline).
 *
 *   echo_epoll [--port P] [--max-seconds 1800]
 *
 * Binds 127.0.0.1:P (0 = any free port), prints "listening <port>" on stdout.
 * Level-triggered epoll over non-blocking sockets: a readable connection is
 * read once into a shared 64 KiB buffer and the bytes are written straight
 * back. Whatever the socket does not take is kept as that connection's
 * pending output; until it is flushed the connection waits for EPOLLOUT
 * instead of EPOLLIN, so a client that writes faster than it reads gets
 * back-pressure instead of lost data. stdin and a signalfd sit in the same
 * epoll set: exits with status 0 on SIGTERM/SIGINT, stdin EOF or --max-seconds.
 */
#include "common.h"
#include <sys/epoll.h>

#define BUF_SIZE (64 * 1024)

struct conn {
    char *pending;     /* unsent echo bytes (allocated on first need, then kept) */
    size_t off, len;   /* pending[off..len) still to write; off == len: nothing */
};

static struct conn *conns; /* indexed by fd */
static int ep;

static void watch(int fd, uint32_t events, int op)
{
    struct epoll_event ev = { .events = events, .data.fd = fd };
    if (epoll_ctl(ep, op, fd, &ev) != 0)
        die("epoll_ctl(%d): %s", fd, strerror(errno));
}

static void close_conn(int fd)
{
    free(conns[fd].pending);
    conns[fd] = (struct conn){ 0 };
    close(fd); /* also removes it from the epoll set */
}

static void accept_all(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                fprintf(stderr, "%s: accept: %s\n", prog_name, strerror(errno));
            return; /* EMFILE: stays queued, level-triggered epoll retries */
        }
        set_nodelay(fd);
        watch(fd, EPOLLIN, EPOLL_CTL_ADD);
    }
}

/* Write out pending bytes; once all are gone, listen for input again. */
static void flush_pending(int fd, struct conn *c)
{
    ssize_t n = write(fd, c->pending + c->off, c->len - c->off);
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            close_conn(fd);
        return;
    }
    c->off += (size_t)n;
    if (c->off == c->len) {
        c->off = c->len = 0;
        watch(fd, EPOLLIN, EPOLL_CTL_MOD);
    }
}

/* Read once and echo; keep what the socket did not take and wait for EPOLLOUT. */
static void echo(int fd, struct conn *c, char *buf)
{
    ssize_t n = read(fd, buf, BUF_SIZE);
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EINTR))
            close_conn(fd);
        return;
    }
    ssize_t w = write(fd, buf, (size_t)n);
    if (w < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            close_conn(fd);
            return;
        }
        w = 0;
    }
    if (w < n) {
        if (c->pending == NULL && (c->pending = malloc(BUF_SIZE)) == NULL)
            die("out of memory");
        memcpy(c->pending, buf + w, (size_t)(n - w));
        c->off = 0;
        c->len = (size_t)(n - w);
        watch(fd, EPOLLOUT, EPOLL_CTL_MOD);
    }
}

int main(int argc, char **argv)
{
    struct server s = server_start(argc, argv, SOCK_STREAM);
    set_nonblocking(s.fd);

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    conns = calloc(rl.rlim_cur, sizeof *conns);
    static char buf[BUF_SIZE];
    ep = epoll_create1(0);
    if (conns == NULL || ep < 0)
        die("setup failed: %s", strerror(errno));

    watch(s.fd, EPOLLIN, EPOLL_CTL_ADD);
    watch(s.sigfd, EPOLLIN, EPOLL_CTL_ADD);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = STDIN_FILENO };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev) != 0)
        server_stop("stdin is not a pipe or terminal (treated as EOF)");

    struct epoll_event events[256];
    for (;;) {
        int timeout = ms_until(s.deadline);
        if (timeout == 0)
            server_stop("--max-seconds reached");
        int n = epoll_wait(ep, events, 256, timeout);
        if (n < 0 && errno != EINTR)
            die("epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == s.fd)
                accept_all(fd);
            else if (fd == s.sigfd)
                server_stop("signal");
            else if (fd == STDIN_FILENO) {
                if (stdin_closed())
                    server_stop("stdin closed");
            } else if (conns[fd].off < conns[fd].len)
                flush_pending(fd, &conns[fd]);
            else
                echo(fd, &conns[fd], buf);
        }
    }
}
