#!/usr/bin/env bash
# dongled round trips seen by a usbredir client in the usb-guest role
# (build/tests/dongled/client): GET_INFO request (interrupt OUT + ack) and
# response (pushed interrupt IN), over a unix socket and over TCP loopback.
set -eu
cd "$(dirname "$0")/.."
N=${N:-$([[ ${BENCH_QUICK:-0} != 0 ]] && echo 20 || echo 5000)}	# make bench-quick: a token run
W=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$W"' EXIT
build/dongled --init --state "$W/s.bin"
for addr in "unix:$W/sock" "127.0.0.1:$((20000 + RANDOM % 20000))"; do
	build/dongled --listen "$addr" --state "$W/s.bin" 2>"$W/log" & pid=$!
	r=$(timeout 120 build/tests/dongled/client --wait "$addr" bench "$N")
	printf 'dongled %-5s %s\n' "${addr%%:*}" "$r"
	kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
