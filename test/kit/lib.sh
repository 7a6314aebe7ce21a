# shellcheck shell=bash
# Shared by the kit's scripts (setup.sh, start.sh, stop.sh, selftest.sh): versions, cache paths and
# small helpers. Sourced, never run.

# What the kit builds. BuildKit and buildx are the versions @pulumi/docker-build 0.0.22 links as
# libraries (its go.mod: github.com/moby/buildkit v0.31.0, github.com/docker/buildx v0.35.0), so the
# daemon, the CLI plugin and the provider speak the same protocol and share one builder store format.
KIT_BUILDKIT_VERSION=v0.31.0
KIT_BUILDX_VERSION=v0.35.0
# The base image: Debian bookworm, minbase, with the app's runtime from Debian's own packages.
KIT_BASE_SUITE=bookworm
KIT_BASE_PACKAGES=python3,python3-fastapi,python3-uvicorn,ca-certificates
KIT_BASE_MIRROR=${KIT_BASE_MIRROR:-http://deb.debian.org/debian}
KIT_BASE_REPOSITORY=kit/python-base
# Platforms the kit builds for. arm64 runs under Debian's qemu-user-static through binfmt_misc.
KIT_PLATFORMS=${KIT_PLATFORMS:-linux/amd64,linux/arm64}

KIT_CACHE=${KIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/delivery-pipeline-kit}
KIT_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The base image's cache key: what the root filesystems are made of, and the Dockerfile that turns
# them into an image. A change to either makes a new folder; old ones can be deleted by hand.
kit_base_key() {
  printf '%s\n' "$KIT_BASE_SUITE" "$KIT_BASE_PACKAGES" "$KIT_BASE_MIRROR" "$KIT_PLATFORMS" "$(cat "$KIT_HERE/base/Dockerfile")" |
    sha256sum | cut -c1-12
}
kit_base_dir() { echo "$KIT_CACHE/base-$KIT_BASE_SUITE-$(kit_base_key)"; }
kit_buildkit_bin() { echo "$KIT_CACHE/buildkit-$KIT_BUILDKIT_VERSION"; }
kit_buildx_bin() { echo "$KIT_CACHE/buildx-$KIT_BUILDX_VERSION"; }

log() { echo "kit: $*" >&2; }
die() {
  echo "kit: error: $*" >&2
  exit 1
}

# A free loopback TCP port (the kernel picks it; a race with another process is possible but rare).
kit_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Reads one field of a JSON file (a dotted path, or a top-level key that has dots itself, as
# buildx's metadata file's "containerimage.digest"), or prints nothing.
kit_json_get() { # file path
  node -e '
    const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const v = Object.hasOwn(o, process.argv[2]) ? o[process.argv[2]] : process.argv[2].split(".").reduce((o, k) => (o == null ? undefined : o[k]), o);
    if (v !== undefined) console.log(typeof v === "object" ? JSON.stringify(v) : String(v));
  ' "$1" "$2"
}

# Waits until a command succeeds, up to a number of seconds; shows the log's tail on failure.
kit_wait_for() { # seconds what logfile command...
  local seconds=$1 what=$2 logfile=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      [[ -f $logfile ]] && tail -20 "$logfile" >&2
      die "$what did not become ready within ${seconds}s (log: $logfile)"
    fi
    sleep 0.2
  done
}

# True while a process id is alive and not a zombie.
kit_alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# PATH with the kit's binaries first (buildkitd, buildctl, docker-buildx live in the cache).
kit_path() { echo "$(kit_buildkit_bin):$(kit_buildx_bin):$PATH"; }

# Unmounts whatever is mounted under a folder, deepest first (debootstrap mounts /proc and /sys in its
# target; a killed buildkitd may leave snapshots mounted), so removing the folder never reaches them.
kit_unmount_under() {
  local m
  for m in $(awk -v p="$1/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
}
