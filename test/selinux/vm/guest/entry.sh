#!/bin/sh
# A container entrypoint stand-in: the harness labels copies of this file with the types
# container domains may start from (secret_t for host containers, data_t for workloads).
exec "$@"
