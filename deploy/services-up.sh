#!/bin/sh
# Make sure the PostgreSQL and Redis the tests use answer on 127.0.0.1: start them when they are
# installed but down, install them (Debian packages) when they are missing. Never skips: exits
# non-zero when a service cannot be brought up.
set -eu
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q postgresql redis-server
fi
if ! pg_up; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
fi
if ! redis_up; then
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
for _ in $(seq 1 30); do
    if pg_up && redis_up; then
        echo "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 are up"
        exit 0
    fi
    sleep 1
done
echo "PostgreSQL or Redis did not come up: see /var/log/postgresql and /var/log/redis/ci.log" >&2
exit 1
