/*
 * berth-peercred PID: for each file descriptor number read from stdin (one per line), prints the
 * credentials of the process at the other end of the Unix socket that process PID holds under that
 * number, as "<pid> <uid> <gid>" (SO_PEERCRED), or "- <reason>" when it cannot.
 *
 * Node cannot call getsockopt(2), and berthd must know who is on the other end of an API
 * connection (for the audit log, and for what a host container may do through the socket).
 * Handing the socket itself to a child would take it from berthd's event loop, so this helper
 * borrows a duplicate with pidfd_getfd(2) (Linux 5.6+). It runs for as long as berthd does: one
 * process for every connection would cost milliseconds per request.
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
	if (errno != 0 || end == text || (*end != '\0' && *end != '\n') || v < 0 || v > max)
		return -1;
	return v;
}

/* Answers one request: the peer of descriptor FD of the process behind PIDFD. */
static void answer(int pidfd, const char *line) {
	long fd = number(line, INT_MAX);
	if (fd < 0) {
		printf("- not a file descriptor number\n");
		return;
	}
	int sock = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	if (sock < 0) {
		printf("- pidfd_getfd(%ld): %s\n", fd, strerror(errno));
		return;
	}
	struct ucred cred;
	socklen_t len = sizeof cred;
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		printf("- SO_PEERCRED: %s\n", strerror(errno));
	else
		printf("%d %u %u\n", (int)cred.pid, (unsigned)cred.uid, (unsigned)cred.gid);
	close(sock);
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fputs("usage: berth-peercred PID   (then one file descriptor number per line on stdin)\n", stderr);
		return 2;
	}
	long pid = number(argv[1], INT_MAX);
	if (pid <= 0) {
		fputs("berth-peercred: PID must be a positive integer\n", stderr);
		return 2;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0) {
		fprintf(stderr, "berth-peercred: pidfd_open(%ld): %s\n", pid, strerror(errno));
		return 1;
	}
	char line[64];
	while (fgets(line, sizeof line, stdin) != NULL) {
		answer(pidfd, line);
		fflush(stdout);
	}
	return 0;
}
