/*
 * berth-logger: the log driver containerd's shim runs for each host container
 * (`binary:///path/berth-logger?file=/x.log&max=N&keep=K`).
 *
 * The shim starts it with the container's stdout on fd 3, stderr on fd 4 and a
 * "ready" pipe on fd 5, and the URI's query as argv pairs (in no fixed order).
 * It appends both streams to one file and rotates the file when it would grow
 * past `max` bytes, keeping `keep` older files (x.log.1 … x.log.K), so a chatty
 * container cannot fill the disk. It belongs to the shim, not to berthd, so
 * logging continues while berthd restarts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *log_path;
static long long max_bytes = 10 * 1024 * 1024;
static int keep = 1;
static int log_fd = -1;
static long long log_size;

static void die(const char *what) {
	fprintf(stderr, "berth-logger: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void open_log(void) {
	struct stat st;
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (log_fd < 0)
		die(log_path);
	log_size = fstat(log_fd, &st) == 0 ? st.st_size : 0;
}

/* x.log.(K-1) → x.log.K, …, x.log → x.log.1; with keep=0 the file just starts over. */
static void rotate(void) {
	char from[PATH_MAX], to[PATH_MAX];
	close(log_fd);
	if (keep == 0) {
		if (truncate(log_path, 0) != 0 && errno != ENOENT)
			die("truncate");
	} else {
		for (int i = keep - 1; i >= 1; i--) {
			snprintf(from, sizeof from, "%s.%d", log_path, i);
			snprintf(to, sizeof to, "%s.%d", log_path, i + 1);
			rename(from, to); /* a missing older file is fine */
		}
		snprintf(to, sizeof to, "%s.1", log_path);
		if (rename(log_path, to) != 0 && errno != ENOENT)
			die("rotate");
	}
	open_log();
}

static void write_all(const char *buf, ssize_t n) {
	if (log_size > 0 && log_size + n > max_bytes)
		rotate();
	while (n > 0) {
		ssize_t w = write(log_fd, buf, (size_t)n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return; /* a full disk must not block the container: drop the chunk */
		}
		buf += w;
		n -= w;
		log_size += w;
	}
}

int main(int argc, char **argv) {
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "file") == 0)
			log_path = argv[i + 1];
		else if (strcmp(argv[i], "max") == 0)
			max_bytes = atoll(argv[i + 1]);
		else if (strcmp(argv[i], "keep") == 0)
			keep = atoi(argv[i + 1]);
	}
	if (!log_path || log_path[0] != '/' || max_bytes < 4096 || keep < 0 || keep > 9) {
		fprintf(stderr, "usage: berth-logger file /abs/path.log [max BYTES>=4096] [keep 0-9]\n");
		return 2;
	}
	open_log();
	/* Closing the ready pipe tells the shim to go on with Tasks.Create. */
	close(5);

	struct pollfd fds[2] = { { .fd = 3, .events = POLLIN }, { .fd = 4, .events = POLLIN } };
	int open_streams = 2;
	char buf[65536];
	while (open_streams > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof buf);
			if (n > 0) {
				write_all(buf, n);
			} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_streams--;
			}
		}
	}
	return 0;
}
