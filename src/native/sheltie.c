/*
 * sheltie: run a command, or a login shell, in the namespaces of another
 * process -- by default PID 1, which from a superpowered host container (host
 * PID namespace, CAP_SYS_ADMIN) is the host's init. This is the break-glass
 * way into a host that ships no shell. See README.md beside this file.
 *
 *   sheltie [-t PID] [--] [COMMAND [ARG...]]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit statuses of sheltie's own failures, chosen like env(1) and chroot(1)
 * so a caller can tell them from the command's own status. */
enum {
	EXIT_NOT_ROOT = 1,
	EXIT_SETUP = 125,     /* bad usage, or a namespace could not be entered */
	EXIT_CANNOT_RUN = 126, /* the command exists but cannot be executed */
	EXIT_NOT_FOUND = 127,  /* the command does not exist */
};

/*
 * The namespaces entered, in this order. The user namespace is not entered:
 * the caller keeps its own credentials and capabilities. mnt comes last
 * because it replaces our root and working directory; every path sheltie
 * needs (the namespace files, the caller's shell) is opened before.
 */
static const struct {
	const char *name;
	int type;
} namespaces[] = {
	{ "cgroup", CLONE_NEWCGROUP }, { "ipc", CLONE_NEWIPC },
	{ "uts", CLONE_NEWUTS },       { "net", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID },       { "mnt", CLONE_NEWNS },
};
#define NAMESPACE_COUNT (sizeof namespaces / sizeof namespaces[0])

/* Shells tried in the target, then in the caller's own root when the target
 * has none. /opt/bin/bash is where Bottlerocket's admin image keeps a static
 * bash, which runs in a target that lacks its libraries. */
static const char *const target_shells[] = { "/bin/bash", "/bin/sh" };
static const char *const caller_shells[] = { "/opt/bin/bash", "/bin/bash",
					     "/bin/sh" };
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Where berthd, which runs in the host's namespaces, records its pid. */
#define BERTHD_PIDFILE "/run/berth/berthd.pid"

static volatile pid_t child_pid;

static void usage(FILE *out)
{
	fputs("Usage: sheltie [-t PID] [--] [COMMAND [ARG...]]\n"
	      "Run COMMAND, or a login shell, in the mount, UTS, IPC, network, PID and\n"
	      "cgroup namespaces of PID (default 1, the host's init; berthd's pid from\n"
	      BERTHD_PIDFILE " where PID 1 is out of reach). Run it as root.\n"
	      "\n"
	      "  -t, --target PID  enter the namespaces of PID instead of 1\n"
	      "  -h, --help        print this help and exit\n"
	      "\n"
	      "Without COMMAND it runs the target's /bin/bash or /bin/sh, or, when the\n"
	      "target has no shell, the caller's own shell.\n"
	      "Exit status: COMMAND's own, 128+N if it was killed by signal N, 1 when\n"
	      "not run as root, 125 when sheltie fails, 126 when COMMAND cannot be run,\n"
	      "127 when it is not found.\n",
	      out);
}

/* Prints "sheltie: <message>" to stderr and exits with `status`. */
__attribute__((noreturn, format(printf, 2, 3))) static void fail(int status, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	fputs("sheltie: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
	va_end(args);
	exit(status);
}

static pid_t parse_pid(const char *text)
{
	char *end;
	long value;

	/* strtol alone would accept " 12", "+12" and "12abc". */
	if (text[0] < '0' || text[0] > '9')
		goto invalid;
	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || value <= 0 || value > INT_MAX)
		goto invalid;
	return (pid_t)value;
invalid:
	fail(EXIT_SETUP, "invalid PID '%s': expected a positive number (see 'sheltie --help')", text);
}

/* The first of the caller's shells that exists, opened as an O_PATH file
 * descriptor while the caller's root is still ours; -1 if there is none. */
static int open_caller_shell(const char **path)
{
	for (size_t i = 0; i < COUNT(caller_shells); i++) {
		int fd = open(caller_shells[i], O_PATH | O_CLOEXEC);
		if (fd >= 0) {
			*path = caller_shells[i];
			return fd;
		}
	}
	return -1;
}

/* Opens every namespace first, so that a target that exits half-way cannot
 * leave us in some of its namespaces and not others; then enters them. */
static void enter_namespaces(pid_t target)
{
	int fds[NAMESPACE_COUNT];
	char path[64];

	for (size_t i = 0; i < NAMESPACE_COUNT; i++) {
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)target,
			 namespaces[i].name);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			fail(EXIT_SETUP, "cannot open %s: %s", path, strerror(errno));
	}
	for (size_t i = 0; i < NAMESPACE_COUNT; i++) {
		if (setns(fds[i], namespaces[i].type) != 0) {
			int err = errno;
			fail(EXIT_SETUP, "cannot enter the %s namespace of PID %d: %s%s",
			     namespaces[i].name, (int)target, strerror(err),
			     err == EPERM ? " (sheltie needs CAP_SYS_ADMIN, as in a superpowered host container)" : "");
		}
		close(fds[i]);
	}
}

/* Execs `path` as a login shell: argv[0] is "-" and its base name. Returns
 * only on failure. */
static void exec_login_shell(const char *path, int fd)
{
	const char *base = strrchr(path, '/');
	char argv0[32];
	char *argv[] = { argv0, NULL };

	snprintf(argv0, sizeof argv0, "-%s", base ? base + 1 : path);
	if (fd >= 0)
		fexecve(fd, argv, environ);
	else
		execv(path, argv);
}

/* In the child, already inside every namespace of the target. */
static void run(char **command, int caller_shell, const char *caller_shell_path)
{
	/* Entering the mount namespace has already moved us to its root; the
	 * explicit chdir makes sure no directory of the caller is kept. */
	if (chdir("/") != 0)
		fail(EXIT_SETUP, "cannot change directory to / in the target: %s",
		     strerror(errno));

	if (command[0] != NULL) {
		execvp(command[0], command);
		int err = errno;
		fail(err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN,
		     "cannot execute '%s': %s", command[0], strerror(err));
	}

	for (size_t i = 0; i < COUNT(target_shells); i++) {
		exec_login_shell(target_shells[i], -1);
		if (errno != ENOENT)
			fail(EXIT_CANNOT_RUN, "cannot execute the target's %s: %s",
			     target_shells[i], strerror(errno));
	}
	if (caller_shell < 0)
		fail(EXIT_NOT_FOUND, "no shell: the target has no /bin/bash or /bin/sh, the caller no /opt/bin/bash, /bin/bash or /bin/sh");

	exec_login_shell(caller_shell_path, caller_shell);
	int err = errno;
	fail(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN,
	     "cannot execute the caller's %s in the target: %s%s", caller_shell_path,
	     strerror(err),
	     err == ENOENT ? " (a dynamically linked shell needs its libraries in the target; a static one does not)" : "");
}

static void forward_signal(int signal, siginfo_t *info, void *context)
{
	int saved_errno = errno; /* the interrupted code may be about to read it */

	(void)context;
	/* A signal the kernel sent to our whole process group (^C, ^\ from the
	 * terminal) has reached the child as well; sending it again would
	 * deliver it twice. */
	if (child_pid > 0 &&
	    !(info->si_code == SI_KERNEL && getpgid(child_pid) == getpgrp()))
		kill(child_pid, signal);
	errno = saved_errno;
}

/* Waits for the child, passing on the signals that ask it to stop, and
 * returns its exit status the way a shell reports it. */
static int wait_for(pid_t child, const sigset_t *forwarded, const sigset_t *mask)
{
	struct sigaction action = { .sa_sigaction = forward_signal,
				    .sa_flags = SA_SIGINFO | SA_RESTART };
	int status;

	child_pid = child;
	for (int signal = 1; signal < NSIG; signal++)
		if (sigismember(forwarded, signal) == 1)
			sigaction(signal, &action, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			fail(EXIT_SETUP, "cannot wait for the command: %s", strerror(errno));
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* PID 1 is the host's init, normally. Some hosts (sandboxes, micro-VM agents)
 * deny even root access to PID 1's namespaces; there berthd's namespaces, which
 * are the host's, serve instead. The admin container sees berthd's pidfile
 * through the read-only /run/berth bind mount and shares the host PID namespace. */
static pid_t default_target(void)
{
	char link[64];
	if (readlink("/proc/1/ns/mnt", link, sizeof link) > 0 || errno != EACCES)
		return 1;
	FILE *f = fopen(BERTHD_PIDFILE, "r");
	if (!f)
		return 1;
	char text[32] = "";
	char *line = fgets(text, sizeof text, f);
	fclose(f);
	if (!line)
		return 1;
	text[strcspn(text, "\n")] = '\0';
	char *end;
	errno = 0;
	long pid = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || pid < 2 || pid > INT_MAX)
		return 1;
	return (pid_t)pid;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "target", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	pid_t target = 0;
	int option;

	opterr = 0; /* our own messages, not getopt's */
	/* "+": options end at the command, so "sheltie ls -l" works. */
	while ((option = getopt_long(argc, argv, "+t:h", options, NULL)) != -1) {
		switch (option) {
		case 't':
			target = parse_pid(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt == 't')
				fail(EXIT_SETUP, "option '%s' needs a PID (see 'sheltie --help')", argv[optind - 1]);
			if (optopt != 0)
				fail(EXIT_SETUP, "unknown option '-%c' (see 'sheltie --help')", optopt);
			fail(EXIT_SETUP, "unknown option '%s' (see 'sheltie --help')", argv[optind - 1]);
		}
	}
	char **command = argv + optind;
	if (target == 0)
		target = default_target();

	if (geteuid() != 0) {
		fputs("sheltie must be run as root, you can use 'sudo sheltie' in the admin container\n",
		      stderr);
		return EXIT_NOT_ROOT;
	}

	/* The caller's shell must be opened now: once we are in the target's
	 * mount namespace, the caller's files are out of reach. */
	const char *caller_shell_path = NULL;
	int caller_shell = command[0] == NULL ? open_caller_shell(&caller_shell_path) : -1;

	enter_namespaces(target);

	/* Entering a PID namespace only affects children, hence the fork.
	 * The forwarded signals are blocked until the handler knows the child,
	 * so none is lost in between; the child restores the caller's mask. */
	sigset_t forwarded, mask;
	sigemptyset(&forwarded);
	sigaddset(&forwarded, SIGINT);
	sigaddset(&forwarded, SIGTERM);
	sigaddset(&forwarded, SIGHUP);
	sigaddset(&forwarded, SIGQUIT);
	sigprocmask(SIG_BLOCK, &forwarded, &mask);

	pid_t child = fork();
	if (child < 0)
		fail(EXIT_SETUP, "cannot fork into the PID namespace of PID %d: %s",
		     (int)target, strerror(errno));
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &mask, NULL);
		run(command, caller_shell, caller_shell_path);
	}
	return wait_for(child, &forwarded, &mask);
}
