#!/usr/bin/env bash
# Install and container smoke test. Usage: tests/container/smoke.sh INSTALLED_BINARY
#
# 0. Starts the installed binary (`cargo install --path crates/server --locked --root DIR`) from an
#    empty directory and checks that it serves every vendor's demo data.
# 1. Lays out the image's root filesystem (as the Dockerfile's final stage does: the binary in
#    /usr/local/bin, the non-root user, /data) in a temporary directory, starts that binary from /data
#    there (outside the checkout) with the image's environment, and checks health, that health needs
#    no token, and every vendor's demo data.
# 2. With podman: builds an image from that root filesystem (plus the binary's shared libraries),
#    runs it (--network host, bound to 127.0.0.1) and checks the same, plus its HEALTHCHECK.
#    Without podman, says so and skips.
# 3. With PATCHBAY_CONTAINER_FULL_BUILD=1 (a machine that can pull base images): builds the
#    Dockerfile itself and runs the same checks against it.
# Bounded: every wait has a deadline.
set -euo pipefail
binary="$(realpath "$1")"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
server_pid=""
container=""
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
    [[ -n "$container" ]] && podman rm -f "$container" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The image's environment, from the Dockerfile, with the bind kept on loopback here.
mapfile -t image_env < <(sed -nE 's/^(ENV)? *(PATCHBAY__[A-Z_]+)=([^ \\]+).*/\2=\3/p' "$repo_root/Dockerfile")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Health without a token (the image sets none, and a token must not be needed for it either), then
# each vendor's demo records through the control API.
check_server() {
    local url="$1"
    local deadline=$((SECONDS + 20))
    until "$binary" health --url "$url" >/dev/null 2>&1; do
        if (( SECONDS > deadline )); then
            echo "smoke: $url never answered its health route" >&2
            return 1
        fi
        sleep 0.2
    done
    python3 - "$url" <<'PY'
import json, os, sys, urllib.request
url = sys.argv[1]
health = json.load(urllib.request.urlopen(url + "/_patchbay/health", timeout=5))
assert health["status"] == "ok", health
token = os.environ.get("SMOKE_TOKEN")
headers = {"authorization": f"Bearer {token}"} if token else {}
counts = {}
for vendor in ("nango", "langdock", "nylas", "composio", "puretalk"):
    request = urllib.request.Request(f"{url}/_patchbay/state/{vendor}", headers=headers)
    state = json.load(urllib.request.urlopen(request, timeout=5))
    counts[vendor] = len(state["records"])
    assert counts[vendor] > 0, f"{vendor} has no demo records"
print(f"smoke: {url} healthy, demo records {counts}")
PY
}

echo "==> smoke: the installed binary, started from an empty directory"
mkdir "$work/empty"
port="$(free_port)"
(cd "$work/empty" && exec "$binary" serve --bind "127.0.0.1:$port" --db :memory: >"$work/empty.log" 2>&1) &
server_pid=$!
check_server "http://127.0.0.1:$port" || { cat "$work/empty.log" >&2; exit 1; }
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

echo "==> smoke: the image's root filesystem, started outside the checkout"
rootfs="$work/rootfs"
install -D "$binary" "$rootfs/usr/local/bin/patchbay"
install -d "$rootfs/data" "$rootfs/etc" "$rootfs/tmp"
echo "patchbay:x:10001:10001::/data:/usr/sbin/nologin" >"$rootfs/etc/passwd"
echo "patchbay:x:10001:" >"$rootfs/etc/group"
# The binary's shared libraries, as the Debian base image has them.
ldd "$binary" | grep -o '/[^ ]*' | while read -r library; do
    install -D "$library" "$rootfs$library"
done
port="$(free_port)"
run_env=(PATH=/usr/local/bin:/usr/bin:/bin "${image_env[@]}" PATCHBAY__SERVER__BIND="127.0.0.1:$port"
    PATCHBAY__CONTROL__ADMIN_TOKEN=smoke-token)
if [[ $EUID == 0 ]] && command -v chroot >/dev/null 2>&1; then
    # As in the image: the root filesystem as /, the non-root user, the database on /data.
    chown -R 10001:10001 "$rootfs/data"
    echo "smoke: chroot into the root filesystem as uid 10001"
    env -i "${run_env[@]}" "$(command -v chroot)" --userspec=10001:10001 "$rootfs" /usr/local/bin/patchbay serve \
        >"$work/rootfs.log" 2>&1 &
else
    echo "smoke: not root: the root filesystem's binary from its /data, database there"
    (cd "$rootfs/data" && exec env -i "${run_env[@]}" PATCHBAY__STORE__DB="$rootfs/data/patchbay.db" \
        "$rootfs/usr/local/bin/patchbay" serve >"$work/rootfs.log" 2>&1) &
fi
server_pid=$!
SMOKE_TOKEN=smoke-token check_server "http://127.0.0.1:$port" || { cat "$work/rootfs.log" >&2; exit 1; }
status=$(python3 -c 'import sys, urllib.request, urllib.error
try: urllib.request.urlopen(sys.argv[1] + "/_patchbay/requests", timeout=5); print(200)
except urllib.error.HTTPError as e: print(e.code)' "http://127.0.0.1:$port")
[[ "$status" == 401 ]] || { echo "smoke: the journal answered $status without the token" >&2; exit 1; }
[[ -f "$rootfs/data/patchbay.db" ]] || { echo "smoke: no database on /data" >&2; exit 1; }
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
echo "smoke: root filesystem ok (database on /data, control API refused without the token, health open)"

# `--ulimit host` is refused by some sandboxes (setrlimit is not permitted to raise); lowered
# limits always are.
run_flags=(--network host --cgroups disabled --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
run_image() {
    local image="$1"
    if ! podman run --rm "${run_flags[@]}" "$image" --version >/dev/null 2>"$work/run.log"; then
        echo "smoke: $image was built, but podman cannot run containers here, skipping the run: $(tail -1 "$work/run.log")"
        return 0
    fi
    port="$(free_port)"
    container="patchbay-smoke-$$"
    podman run -d --name "$container" "${run_flags[@]}" \
        -e PATCHBAY__SERVER__BIND="127.0.0.1:$port" "$image" >/dev/null
    check_server "http://127.0.0.1:$port"
    podman healthcheck run "$container" >/dev/null 2>&1 \
        && echo "smoke: $image HEALTHCHECK passes" \
        || echo "smoke: $image HEALTHCHECK could not be run here (podman healthcheck needs systemd timers)"
    [[ "$(podman inspect -f '{{.Config.User}}' "$container")" == "patchbay:patchbay" ]]
    podman rm -f "$container" >/dev/null; container=""
}

if ! command -v podman >/dev/null 2>&1; then
    echo "smoke: podman not installed: skipping the container run (apt-get install -y podman to add it)"
    exit 0
fi
echo "==> smoke: an image built from that root filesystem, run with podman"
rm -f "$rootfs/data/"patchbay.db*
{
    echo "FROM scratch"
    echo "COPY rootfs/ /"
    echo "COPY --chown=10001:10001 rootfs/data/ /data/"
    sed -n '/^USER/,$p' "$repo_root/Dockerfile"
} >"$work/Containerfile"
if ! timeout 300 podman build --quiet --cgroup-manager cgroupfs -t patchbay-smoke:rootfs -f "$work/Containerfile" "$work" >/dev/null 2>"$work/build.log"; then
    echo "smoke: podman cannot build images here, skipping the container run:" >&2
    tail -5 "$work/build.log" >&2
    exit 0
fi
echo "smoke: image built from the root filesystem ($(podman image inspect -f '{{.Size}}' patchbay-smoke:rootfs) bytes)"
run_image patchbay-smoke:rootfs
podman rmi -f patchbay-smoke:rootfs >/dev/null 2>&1 || true

if [[ "${PATCHBAY_CONTAINER_FULL_BUILD:-}" == 1 ]]; then
    echo "==> smoke: the Dockerfile itself"
    timeout 1800 podman build -t patchbay-smoke:full "$repo_root"
    run_image patchbay-smoke:full
else
    echo "smoke: the Dockerfile's own build needs its base images from a container registry: set PATCHBAY_CONTAINER_FULL_BUILD=1 where they can be pulled"
fi
echo "smoke: container checks done"
