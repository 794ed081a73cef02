#!/bin/sh
# Labelled runtime_exec_t: running it from init_t enters runtime_t, like containerd or berthd.
exec "$@"
