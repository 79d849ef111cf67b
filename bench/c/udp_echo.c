/*
 * udp_echo - UDP echo server, one thread (reference baseline).
 *
 *   udp_echo [--port P] [--max-seconds 1800]
 *
 * Binds 127.0.0.1:P (0 = any free port), prints "listening <port>" on stdout,
 * then sends every datagram (up to 64 KiB) back to its sender with a
 * blocking recvfrom()/sendto() loop. A watcher thread ends the process with
 * status 0 on SIGTERM/SIGINT, stdin EOF or --max-seconds.
 */
#include "common.h"

int main(int argc, char **argv)
{
    struct server s = server_start(argc, argv, SOCK_DGRAM);
    stop_watcher_start(&s);

    static char buf[64 * 1024];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(s.fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
        if (n < 0) {
            if (errno != EINTR)
                fprintf(stderr, "%s: recvfrom: %s\n", prog_name, strerror(errno));
            continue;
        }
        sendto(s.fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    }
}
