/*
 * echo_threads - TCP echo server, one thread per connection (reference baseline).
 *
 *   echo_threads [--port P] [--max-seconds 1800]
 *
 * Binds 127.0.0.1:P (0 = any free port), prints "listening <port>" on stdout,
 * then accepts connections; each gets a detached thread that does blocking
 * read() into a 64 KiB buffer and writes everything back, until EOF or error.
 * Exits with status 0 on SIGTERM/SIGINT, when stdin reaches EOF, or after
 * --max-seconds. Diagnostics go to stderr.
 */
#include "common.h"

#define BUF_SIZE (64 * 1024)

static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[BUF_SIZE];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || write_all(fd, buf, (size_t)n) != 0)
            break;
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    struct server s = server_start(argc, argv, SOCK_STREAM);
    stop_watcher_start(&s);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, BUF_SIZE + 128 * 1024); /* room for 20k threads */

    for (;;) {
        int fd = accept(s.fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE) {
                fprintf(stderr, "%s: accept: %s\n", prog_name, strerror(errno));
                usleep(10000); /* leave the connection queued, retry later */
            } else if (errno != EINTR && errno != ECONNABORTED) {
                die("accept: %s", strerror(errno));
            }
            continue;
        }
        set_nodelay(fd);
        pthread_t t;
        int err = pthread_create(&t, &attr, serve, (void *)(intptr_t)fd);
        if (err != 0) {
            fprintf(stderr, "%s: pthread_create: %s\n", prog_name, strerror(err));
            close(fd);
        }
    }
}
