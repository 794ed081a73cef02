/*
 * berth-peercred PID FD: prints the credentials of the process at the other end
 * of the Unix socket that process PID holds as file descriptor FD, as
 * "<pid> <uid> <gid>" (SO_PEERCRED).
 *
 * Node cannot call getsockopt(2), and berthd's audit log must say who opened an
 * exec session through the API socket. Handing the socket itself to a child
 * would take it from berthd's event loop, so this helper borrows a duplicate
 * with pidfd_getfd(2) (Linux 5.6+) instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static long number(const char *text, long max) {
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < 0 || v > max)
		return -1;
	return v;
}

int main(int argc, char **argv) {
	if (argc != 3) {
		fputs("usage: berth-peercred PID FD\n", stderr);
		return 2;
	}
	long pid = number(argv[1], INT_MAX), fd = number(argv[2], INT_MAX);
	if (pid <= 0 || fd < 0) {
		fputs("berth-peercred: PID and FD must be non-negative integers\n", stderr);
		return 2;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0) {
		fprintf(stderr, "berth-peercred: pidfd_open(%ld): %s\n", pid, strerror(errno));
		return 1;
	}
	int sock = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	if (sock < 0) {
		fprintf(stderr, "berth-peercred: pidfd_getfd(%ld, %ld): %s\n", pid, fd, strerror(errno));
		return 1;
	}
	struct ucred cred;
	socklen_t len = sizeof cred;
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
		fprintf(stderr, "berth-peercred: SO_PEERCRED: %s\n", strerror(errno));
		return 1;
	}
	printf("%d %u %u\n", (int)cred.pid, (unsigned)cred.uid, (unsigned)cred.gid);
	return 0;
}
