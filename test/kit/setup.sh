#!/usr/bin/env bash
# Prepares everything the kit needs, once, and caches it; a second run takes a second or two.
#
#   test/kit/setup.sh            # progress on stderr; exit 0 when the kit can start
#
# 1. Debian packages (apt-get): dockerd, the CNCF registry, runc, qemu-user-static, debootstrap, ...
# 2. binfmt_misc: mounted, and qemu-aarch64 enabled (with the F flag, so it works inside containers).
# 3. buildkitd + buildctl and the buildx CLI plugin, built from their Go modules (the Go module proxy
#    serves them; `go install` refuses their exclude directives, so: download, copy, build).
# 4. The Python base image: a debootstrap root filesystem per platform, tarred, then pushed as one
#    multi-platform index to a registry of a throw-away kit; that registry's storage is cached and
#    copied into every registry start.sh starts, so each run has the base image at once, by digest.
#
# Cache: ${XDG_CACHE_HOME:-$HOME/.cache}/delivery-pipeline-kit (or $KIT_CACHE), one folder per
# version or content key. Delete a folder to rebuild that part.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
t_start=$SECONDS
mkdir -p "$KIT_CACHE"
[[ $(id -u) == 0 ]] || die "setup.sh installs packages and mounts binfmt_misc: run it as root"

# --- 1. Debian packages ------------------------------------------------------------------------
packages=(docker.io docker-registry runc qemu-user-static binfmt-support debootstrap apache2-utils openssl ca-certificates git curl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]} with apt-get ..."
  # Packages must not start their daemons (docker.io would start a system dockerd): the kit starts
  # its own, with its own settings. Debian's policy-rc.d convention says no to every service start.
  made_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  apt_log=$KIT_CACHE/apt.log
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
    tail -20 "$apt_log" >&2
    die "apt-get install failed (log: $apt_log)"
  fi
  [[ -n $made_policy ]] && rm -f /usr/sbin/policy-rc.d
  log "packages installed"
fi
command -v go >/dev/null || die "the Go toolchain is needed to build BuildKit and buildx"
command -v node >/dev/null || die "node is needed (the kit's scripts read and write JSON with it)"

# --- 2. binfmt_misc for arm64 --------------------------------------------------------------------
# This machine has no systemd to mount binfmt_misc and register qemu at boot; do it here (idempotent).
if [[ ,$KIT_PLATFORMS, == *,linux/arm64,* ]]; then
  if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
    log "mounting binfmt_misc"
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || die "cannot mount binfmt_misc (is CONFIG_BINFMT_MISC in this kernel?); set KIT_PLATFORMS=linux/amd64 to build amd64 only"
  fi
  if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || ! grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64; then
    log "enabling qemu-aarch64 in binfmt_misc"
    update-binfmts --enable qemu-aarch64 || die "update-binfmts --enable qemu-aarch64 failed"
  fi
  # F (fix binary): the kernel opens the interpreter now, so it works inside a container's root
  # filesystem that has no qemu (BuildKit's RUN steps, debootstrap's chroot).
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 ||
    die "qemu-aarch64 is registered without the F flag ($(grep flags /proc/sys/fs/binfmt_misc/qemu-aarch64)); arm64 RUN steps would fail"
fi

# --- 3. BuildKit and buildx from their Go modules ----------------------------------------------
go_build() { # label module@version out-dir ldflags package...
  local label=$1 module=$2 out=$3 ldflags=$4 t0=$SECONDS
  shift 4
  local work dir blog=$KIT_CACHE/$label.build.log
  log "building $label (first time only; a few minutes on 2 cores) ..."
  dir=$(GOFLAGS=-mod=mod go mod download -json "$module" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(j.Error){console.error(j.Error);process.exit(1)}console.log(j.Dir)})') ||
    die "go mod download $module failed"
  # The module cache is read-only and its go.mod has exclude directives `go install` refuses: build a copy.
  work=$(mktemp -d "$KIT_CACHE/tmp.$label.XXXXXX")
  cp -r "$dir"/. "$work" && chmod -R u+w "$work"
  mkdir -p "$out.tmp"
  local pkg
  for pkg in "$@"; do
    if ! (cd "$work" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp/" "$pkg") >>"$blog" 2>&1; then
      tail -20 "$blog" >&2
      rm -rf "$work"
      die "building $label ($pkg) failed (log: $blog)"
    fi
  done
  rm -rf "$work" "$out"
  mv "$out.tmp" "$out"
  log "$label built in $((SECONDS - t0)) s"
}

bk=$(kit_buildkit_bin)
if [[ ! -x $bk/buildkitd || ! -x $bk/buildctl ]]; then
  go_build "buildkit-$KIT_BUILDKIT_VERSION" "github.com/moby/buildkit@$KIT_BUILDKIT_VERSION" "$bk" \
    "-X github.com/moby/buildkit/version.Version=$KIT_BUILDKIT_VERSION -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
    ./cmd/buildkitd ./cmd/buildctl
fi
bx=$(kit_buildx_bin)
if [[ ! -x $bx/docker-buildx ]]; then
  go_build "buildx-$KIT_BUILDX_VERSION" "github.com/docker/buildx@$KIT_BUILDX_VERSION" "$bx" \
    "-X github.com/docker/buildx/version.Version=$KIT_BUILDX_VERSION -X github.com/docker/buildx/version.Package=github.com/docker/buildx" \
    ./cmd/buildx
  mv "$bx/buildx" "$bx/docker-buildx"
fi

# --- 4. The Python base image ------------------------------------------------------------------
base=$(kit_base_dir)
mkdir -p "$base/context"
cp "$KIT_HERE/base/Dockerfile" "$base/context/Dockerfile"

make_rootfs() { # arch
  local arch=$1 out=$base/context/rootfs-$1.tar t0=$SECONDS
  [[ -f $out ]] && return 0
  local tmp dlog=$base/debootstrap-$1.log
  tmp=$(mktemp -d "$KIT_CACHE/tmp.rootfs-$arch.XXXXXX")
  log "debootstrap $KIT_BASE_SUITE ($arch, minbase + $KIT_BASE_PACKAGES) ... (log: $dlog)"
  # For arm64 the second stage runs the target's own binaries under qemu-aarch64 (binfmt, F flag).
  if ! debootstrap --arch="$arch" --variant=minbase --include="$KIT_BASE_PACKAGES" \
    "$KIT_BASE_SUITE" "$tmp/root" "$KIT_BASE_MIRROR" >"$dlog" 2>&1; then
    kit_unmount_under "$tmp"
    tail -20 "$dlog" >&2
    [[ -f $tmp/root/debootstrap/debootstrap.log ]] && tail -20 "$tmp/root/debootstrap/debootstrap.log" >&2
    rm -rf --one-file-system "$tmp"
    die "debootstrap for $arch failed (log: $dlog)"
  fi
  kit_unmount_under "$tmp"
  # An image needs no package downloads, index files or device nodes (the runtime makes /dev).
  rm -rf "$tmp/root/var/cache/apt/archives/"*.deb "$tmp/root/var/lib/apt/lists/"* "$tmp/root/dev/"* "$tmp/root/proc/"* "$tmp/root/sys/"*
  tar --numeric-owner -C "$tmp/root" -cf "$out.tmp" .
  mv "$out.tmp" "$out"
  rm -rf --one-file-system "$tmp"
  log "rootfs-$arch.tar: $(du -h "$out" | cut -f1), made in $((SECONDS - t0)) s"
}

IFS=, read -r -a platforms <<<"$KIT_PLATFORMS"
for platform in "${platforms[@]}"; do make_rootfs "${platform#linux/}"; done

if [[ ! -f $base/base.json ]]; then
  # Push the base image to the registry of a throw-away kit, then keep that registry's storage.
  t0=$SECONDS
  run=$(mktemp -d /tmp/dpk-setup.XXXXXX)
  log "pushing the base image through a temporary kit in $run ..."
  # A DOCKER_CONFIG of its own: this kit's builder and login must not touch the caller's ~/.docker.
  DOCKER_CONFIG=$run/docker-config KIT_NO_BASE=1 "$KIT_HERE/start.sh" "$run" >/dev/null
  # KIT_KEEP_DATA: stop.sh would otherwise delete the registry's storage this step keeps.
  stop_temp() { KIT_KEEP_DATA=1 "$KIT_HERE/stop.sh" "$run" >/dev/null || true; }
  trap stop_temp EXIT
  # shellcheck source=/dev/null
  source "$run/env.sh"
  PATH=$(kit_path) docker buildx build --builder "$KIT_BUILDER" --platform "$KIT_PLATFORMS" --provenance=false \
    --tag "$KIT_REGISTRY/$KIT_BASE_REPOSITORY:$KIT_BASE_SUITE" --push --metadata-file "$run/base-metadata.json" \
    "$base/context" >"$base/push.log" 2>&1 || {
    tail -30 "$base/push.log" >&2
    die "building or pushing the base image failed (log: $base/push.log)"
  }
  digest=$(kit_json_get "$run/base-metadata.json" containerimage.digest)
  [[ $digest == sha256:* ]] || die "no digest in $run/base-metadata.json"
  stop_temp
  trap - EXIT
  rm -rf "$base/registry.tmp"
  cp -a "$run/registry/data" "$base/registry.tmp" || die "copying the registry's storage failed"
  rm -rf "$base/registry"
  mv "$base/registry.tmp" "$base/registry"
  node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({repository: process.argv[2], tag: process.argv[3], digest: process.argv[4], platforms: process.argv[5].split(",")}, null, 2) + "\n")' \
    "$base/base.json" "$KIT_BASE_REPOSITORY" "$KIT_BASE_SUITE" "$digest" "$KIT_PLATFORMS"
  rm -rf "$run"
  log "base image $KIT_BASE_REPOSITORY@$digest pushed and cached in $((SECONDS - t0)) s"
fi

log "setup done in $((SECONDS - t_start)) s (cache: $KIT_CACHE)"
