#!/bin/sh
# berthd: runs the berth executable as berthd. A file of its own rather than a link because SELinux
# labels files, not names: this one is runtime_exec_t, so starting it enters berthd's domain, while
# the executable stays an ordinary OS file that host containers run as apiclient. The executable is
# beside it when installed (/usr/bin/berth), or one directory up in a clone (dist/berth).
# Buffers of 128 KiB and more are mapped and unmapped on their own: glibc would otherwise raise that
# threshold after the first large free (an image import's 1 MiB reads) and keep tens of MiB in its
# heap for the rest of berthd's life.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.mmap_threshold=131072"
dir=$(dirname "$(readlink -f "$0")")
[ -x "$dir/berth" ] || dir="$dir/.."
exec "$dir/berth" berthd "$@"
