#!/usr/bin/env bash
# Starts the kit for one run folder: a registry with TLS (and basic auth), a private dockerd, a
# buildkitd and a buildx `remote` builder that points at it. Run setup.sh once first.
#
#   test/kit/start.sh [RUN_DIR]        # default $KIT_RUN_DIR or /tmp/delivery-pipeline-kit
#   eval "$(test/kit/start.sh "$run")"  # stdout is export lines; the same ones are in $run/env.sh
#
# Settings (environment):
#   DOCKER_CONFIG        where the builder and the registry login go (default ~/.docker)
#   KIT_BUILDER          the builder's name (default delivery-pipeline-kit)
#   KIT_REGISTRY_AUTH=0  a registry without authentication (default: htpasswd basic auth)
#   KIT_REGISTRY_USER    the registry's user name (default: kit), e.g. the stack's dockerhubUsername
#   KIT_REGISTRY_HOST    the registry's host name (default: this machine's host name, which must
#                        resolve to a loopback address; see "The registry's name" below)
#   KIT_DOCKER_STORAGE_DRIVER  dockerd's storage driver (default vfs; overlay2 is faster on ext4)
#   KIT_NO_BASE=1        start without the cached base image (setup.sh uses it to make that image)
#
# Writes $run/state.json (pids, ports, paths: what a caller needs, and what stop.sh stops) and
# $run/env.sh. Starting a run folder that is already running changes nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
t_start=$SECONDS
[[ $(id -u) == 0 ]] || die "start.sh runs dockerd and buildkitd, which need root here"

run=${1:-${KIT_RUN_DIR:-/tmp/delivery-pipeline-kit}}
mkdir -p "$run"
run=$(cd "$run" && pwd)
state=$run/state.json

if [[ -f $state ]]; then
  all_alive=1
  for name in registry dockerd buildkitd; do kit_alive "$(kit_json_get "$state" "pids.$name")" || all_alive=; done
  if [[ -n $all_alive ]]; then
    log "already running (state: $state)"
    cat "$run/env.sh"
    exit 0
  fi
  log "a previous start in $run is partly gone; stopping what is left first"
  "$KIT_HERE/stop.sh" "$run" >/dev/null
fi

bk=$(kit_buildkit_bin)
bx=$(kit_buildx_bin)
for b in "$bk/buildkitd" "$bk/buildctl" "$bx/docker-buildx"; do [[ -x $b ]] || die "$b is missing: run test/kit/setup.sh first"; done
for c in dockerd docker docker-registry runc htpasswd openssl; do command -v "$c" >/dev/null || die "$c is missing: run test/kit/setup.sh first"; done
base=$(kit_base_dir)
if [[ -z ${KIT_NO_BASE:-} && ! -f $base/base.json ]]; then die "the base image is not cached ($base/base.json): run test/kit/setup.sh first"; fi

docker_config=${DOCKER_CONFIG:-$HOME/.docker}
mkdir -p "$docker_config"
docker_config=$(cd "$docker_config" && pwd)
builder=${KIT_BUILDER:-delivery-pipeline-kit}
mkdir -p "$run"/{logs,tls,registry/data,docker,buildkit}
# Unix sockets have a 108-byte path limit (dockerd's containerd nests its socket deep in the exec
# root): sockets and exec roots live in a short folder of their own, whatever the run folder's path.
sock=$(mktemp -d /tmp/dpk.XXXXXX)

# State, rewritten after each step: if a later step fails, stop.sh still finds what was started.
declare -A pid=()
registry_port= buildkit_port= registry_user= registry_password= base_image=

# The registry's name. BuildKit and buildx (containerd's resolver, MatchLocalhost) speak plain HTTP
# to "localhost" and to any loopback IP literal such as 127.0.0.1 unless a buildkitd.toml says
# `http = false`; buildkitd gets one below, but docker-build's Index runs `buildx imagetools create`
# in the provider's process, whose registry settings can only come from the builder's config files,
# which the `remote` driver refuses ("setting config file is not supported for remote driver").
# So the registry goes by a host name that resolves to a loopback address (here the machine's own
# name, in /etc/hosts), which every client treats as an ordinary HTTPS registry, like Docker Hub.
registry_host=${KIT_REGISTRY_HOST:-$(hostname)}
registry_ip=$(getent ahostsv4 "$registry_host" | awk 'NR == 1 {print $1}')
[[ $registry_ip == 127.* ]] ||
  die "the registry's host name $registry_host resolves to '${registry_ip:-nothing}', not a loopback address: set KIT_REGISTRY_HOST to a name that resolves to 127.0.0.1 (e.g. add '127.0.0.1 kit-registry.test' to /etc/hosts)"
if [[ $registry_host =~ ^[0-9.]+$ ]]; then san="IP:$registry_host"; else san="DNS:$registry_host,IP:$registry_ip"; fi
[[ $san == *IP:127.0.0.1* ]] || san="$san,IP:127.0.0.1"
write_state() {
  node -e '
    const [file, json] = process.argv.slice(1);
    require("fs").writeFileSync(file + ".tmp", JSON.stringify(JSON.parse(json), null, 2) + "\n");
    require("fs").renameSync(file + ".tmp", file);
  ' "$state" "$(
    cat <<JSON
{
  "runDir": "$run",
  "socketDir": "$sock",
  "registry": "$registry_host:${registry_port}",
  "registryUrl": "https://$registry_host:${registry_port}",
  "registryAddress": "$registry_ip:${registry_port}",
  "registryAuth": $([[ -n $registry_user ]] && echo true || echo false),
  "registryUser": "$registry_user",
  "registryPassword": "$registry_password",
  "caCert": "$run/tls/ca.pem",
  "caBundle": "$run/tls/ca-bundle.pem",
  "dockerConfig": "$docker_config",
  "dockerHost": "unix://$sock/docker.sock",
  "builder": "$builder",
  "buildkitAddr": "tcp://127.0.0.1:${buildkit_port}",
  "buildkitSocket": "unix://$sock/buildkitd.sock",
  "baseImage": "$base_image",
  "platforms": "$KIT_PLATFORMS",
  "path": "$bk:$bx",
  "pids": {"registry": "${pid[registry]:-}", "dockerd": "${pid[dockerd]:-}", "buildkitd": "${pid[buildkitd]:-}"},
  "logs": "$run/logs"
}
JSON
  )"
}
on_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  log "start failed; stopping what was started (logs: $run/logs)"
  "$KIT_HERE/stop.sh" "$run" >/dev/null 2>&1 || true
  exit "$rc"
}
trap on_exit EXIT
write_state

# --- TLS: a CA of this run, and a certificate for the registry's name and 127.0.0.1 signed by it --
# Clients trust the CA (ca.pem), or the bundle of the system's CAs plus it (SSL_CERT_FILE).
tls=$run/tls
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=delivery-pipeline-kit CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$registry_host" -keyout "$tls/key.pem" -out "$tls/cert.csr" 2>/dev/null
openssl x509 -req -in "$tls/cert.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 30 -out "$tls/cert.pem" \
  -extfile <(printf 'subjectAltName=%s,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' "$san") 2>/dev/null
cat /etc/ssl/certs/ca-certificates.crt "$tls/ca.pem" >"$tls/ca-bundle.pem"

# --- The registry (CNCF distribution, Debian's docker-registry) ----------------------------------
registry_port=$(kit_free_port)
if [[ ${KIT_REGISTRY_AUTH:-1} != 0 ]]; then
  registry_user=${KIT_REGISTRY_USER:-kit}
  registry_password=$(openssl rand -hex 16)
  htpasswd -Bbn "$registry_user" "$registry_password" >"$run/registry/htpasswd" 2>/dev/null
  auth_yaml="auth:
  htpasswd:
    realm: delivery-pipeline-kit
    path: $run/registry/htpasswd"
else
  auth_yaml=
fi
if [[ -z ${KIT_NO_BASE:-} ]]; then
  # The base image, pushed once by setup.sh: a copy of that registry's storage (the repository's
  # path in storage does not depend on the registry's host or port).
  cp -a "$base/registry/." "$run/registry/data/"
  base_image=$registry_host:$registry_port/$(kit_json_get "$base/base.json" repository)@$(kit_json_get "$base/base.json" digest)
fi
cat >"$run/registry/config.yml" <<YAML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $run/registry/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $registry_ip:$registry_port
  tls:
    certificate: $tls/cert.pem
    key: $tls/key.pem
$auth_yaml
YAML
setsid docker-registry serve "$run/registry/config.yml" >"$run/logs/registry.log" 2>&1 </dev/null &
pid[registry]=$!
write_state
# 401 (auth) or 200 (none) both mean it serves /v2/ over TLS with our certificate.
kit_wait_for 20 "the registry" "$run/logs/registry.log" \
  bash -c "code=\$(curl -s -o /dev/null -w '%{http_code}' --cacert '$tls/ca.pem' https://$registry_host:$registry_port/v2/); [[ \$code == 200 || \$code == 401 ]]"
log "registry on https://$registry_host:$registry_port (auth: ${registry_user:-none})"

# --- dockerd: private to this run (own socket, data and exec roots; vfs; no bridge or iptables) --
# Containers run with --network host (no bridge here, so no iptables rules on this machine).
# SSL_CERT_FILE: Go's system pool, which dockerd's registry client uses, then trusts our CA.
echo '{}' >"$run/docker/daemon.json"
# vfs (the default here) works on any filesystem but copies every layer in full: a pull of the
# fixture app (5 layers on a 500 MB root filesystem) writes about 2.5 GB. KIT_DOCKER_STORAGE_DRIVER
# =overlay2 is much faster where the data root's filesystem supports it (ext4 does).
SSL_CERT_FILE=$tls/ca-bundle.pem setsid dockerd --config-file "$run/docker/daemon.json" --storage-driver "${KIT_DOCKER_STORAGE_DRIVER:-vfs}" \
  --data-root "$run/docker/data" --exec-root "$sock/de" --pidfile "$sock/dockerd.pid" --host "unix://$sock/docker.sock" \
  --bridge none --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
  >"$run/logs/dockerd.log" 2>&1 </dev/null &
pid[dockerd]=$!
write_state
kit_wait_for 60 "dockerd" "$run/logs/dockerd.log" docker -H "unix://$sock/docker.sock" version
log "dockerd on unix://$sock/docker.sock"

# --- buildkitd: OCI worker with runc, host network, trusting the registry's CA -------------------
buildkit_port=$(kit_free_port)
cat >"$run/buildkit/buildkitd.toml" <<TOML
# Written by test/kit/start.sh for this run.
[worker.oci]
  enabled = true
[worker.containerd]
  enabled = false
TOML
# The registry by its name and by its IP, for a caller that names it so. http = false: BuildKit
# speaks plain HTTP to a loopback IP unless told otherwise, and this registry speaks only HTTPS.
for name in "$registry_host" $([[ $registry_ip != "$registry_host" ]] && echo "$registry_ip"); do
  printf '[registry."%s:%s"]\n  http = false\n  ca = ["%s"]\n' "$name" "$registry_port" "$tls/ca.pem" >>"$run/buildkit/buildkitd.toml"
done
# Git contexts: BuildKit runs the git CLI with an environment of its own (PATH, LC_ALL, HOME and
# GIT_CONFIG_GLOBAL=/dev/null, GIT_CONFIG_NOSYSTEM=1: util/gitutil/git_cli.go), so neither
# GIT_SSL_CAINFO nor a gitconfig reaches it, and git trusts only the system's CAs. It does keep PATH:
# a `git` first on buildkitd's PATH that names our bundle (http.sslCAInfo) lets it fetch
# https://<loopback>/<repo>.git with the kit's certificate. (GitHub's certificate needs none of this.)
mkdir -p "$run/buildkit/bin"
real_git=$(command -v git)
printf '#!/bin/sh
# Written by test/kit/start.sh: git for buildkitd, trusting the kit CA too.
exec %s -c http.sslCAInfo=%s "$@"
' "$real_git" "$tls/ca-bundle.pem" >"$run/buildkit/bin/git"
chmod +x "$run/buildkit/bin/git"
# SSL_CERT_FILE: Go's system pool, for registries not named in buildkitd.toml.
SSL_CERT_FILE=$tls/ca-bundle.pem PATH=$run/buildkit/bin:$(kit_path) setsid "$bk/buildkitd" \
  --config "$run/buildkit/buildkitd.toml" --root "$run/buildkit/root" \
  --addr "unix://$sock/buildkitd.sock" --addr "tcp://127.0.0.1:$buildkit_port" \
  --oci-worker-net host >"$run/logs/buildkitd.log" 2>&1 </dev/null &
pid[buildkitd]=$!
write_state
kit_wait_for 60 "buildkitd" "$run/logs/buildkitd.log" "$bk/buildctl" --addr "tcp://127.0.0.1:$buildkit_port" debug workers
log "buildkitd on tcp://127.0.0.1:$buildkit_port, platforms: $("$bk/buildctl" --addr "tcp://127.0.0.1:$buildkit_port" debug workers --format '{{range .}}{{range .Platforms}}{{.OS}}/{{.Architecture}} {{end}}{{end}}')"

# --- The buildx builder and the registry login, in DOCKER_CONFIG ---------------------------------
export DOCKER_CONFIG=$docker_config DOCKER_HOST=unix://$sock/docker.sock
mkdir -p "$docker_config/cli-plugins"
ln -sf "$bx/docker-buildx" "$docker_config/cli-plugins/docker-buildx"
docker buildx rm "$builder" >/dev/null 2>&1 || true
docker buildx create --name "$builder" --driver remote "tcp://127.0.0.1:$buildkit_port" >/dev/null
# Current builder, globally (not only for this DOCKER_HOST): docker-build's provider, given no
# `builder` input, loads the current builder first.
docker buildx use --global "$builder"
docker buildx inspect --bootstrap "$builder" >"$run/logs/buildx-inspect.log" 2>&1
if [[ -n $registry_user ]]; then
  # Through the daemon (it checks the registry's certificate); the credentials land in config.json,
  # where buildx and the daemon's pulls find them.
  printf %s "$registry_password" | docker login --username "$registry_user" --password-stdin "$registry_host:$registry_port" >/dev/null 2>"$run/logs/login.log"
fi
write_state

cat >"$run/env.sh" <<ENV
export DOCKER_CONFIG='$docker_config'
export DOCKER_HOST='unix://$sock/docker.sock'
export SSL_CERT_FILE='$tls/ca-bundle.pem'
export NODE_EXTRA_CA_CERTS='$tls/ca.pem'
export BUILDKIT_HOST='tcp://127.0.0.1:$buildkit_port'
export KIT_BUILDER='$builder'
export KIT_REGISTRY='$registry_host:$registry_port'
export KIT_REGISTRY_USER='$registry_user'
export KIT_REGISTRY_PASSWORD='$registry_password'
export KIT_BASE_IMAGE='$base_image'
export KIT_PLATFORMS='$KIT_PLATFORMS'
export KIT_STATE='$state'
export PATH='$bk:$bx':"\$PATH"
ENV
trap - EXIT
log "started in $((SECONDS - t_start)) s; state: $state, env: $run/env.sh"
cat "$run/env.sh"
