#!/usr/bin/env bash
# Stops exactly what start.sh started for a run folder, and checks that nothing of it is left.
#
#   test/kit/stop.sh [RUN_DIR]        # default $KIT_RUN_DIR or /tmp/delivery-pipeline-kit
#
# Order: the containers of the kit's dockerd (their shims outlive dockerd otherwise), the builder and
# the registry login in DOCKER_CONFIG, then buildkitd, dockerd and the registry (TERM, then KILL
# after 20 s), then any process still naming the run's folders. The bulky data (images, build
# cache, registry storage) is deleted; logs and the state (as state.stopped.json) stay for reading.
# KIT_KEEP_DATA=1 keeps the data too. Exit 1 if something could not be stopped.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
t_start=$SECONDS

run=${1:-${KIT_RUN_DIR:-/tmp/delivery-pipeline-kit}}
[[ -d $run ]] || {
  log "no run folder $run: nothing to stop"
  exit 0
}
run=$(cd "$run" && pwd)
state=$run/state.json
[[ -f $state ]] || {
  log "no $state: nothing to stop"
  exit 0
}
get() { kit_json_get "$state" "$1"; }
sock=$(get socketDir)
docker_host=$(get dockerHost)
docker_config=$(get dockerConfig)
builder=$(get builder)
registry=$(get registry)
buildkit_addr=$(get buildkitAddr)

# 1. Containers first, while their daemon still answers.
if kit_alive "$(get pids.dockerd)"; then
  ids=$(docker -H "$docker_host" ps -aq 2>/dev/null || true)
  if [[ -n $ids ]]; then
    log "removing containers: $(echo "$ids" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    docker -H "$docker_host" rm -f $ids >/dev/null || true
  fi
fi

# 2. The builder and the login, only if they are still this run's (the same DOCKER_CONFIG may have
# been started again by another run since).
instance=$docker_config/buildx/instances/$builder
if [[ -f $instance ]] && grep -q "\"$buildkit_addr\"" "$instance"; then
  DOCKER_CONFIG=$docker_config docker buildx rm "$builder" >/dev/null 2>&1 || rm -f "$instance"
  # start.sh made it the current builder globally; `buildx rm` leaves that record behind, naming a
  # builder that no longer exists. Back to buildx's default (no current builder recorded).
  current=$docker_config/buildx/current
  if [[ -f $current ]] && grep -q "\"Name\":\"$builder\"" "$current"; then rm -f "$current"; fi
fi
if [[ -f $docker_config/config.json && -n ${registry##*:} ]]; then
  DOCKER_CONFIG=$docker_config docker logout "$registry" >/dev/null 2>&1 || true
fi

# 3. The daemons: TERM, wait, KILL.
stop_pid() { # name pid
  local name=$1 p=$2 deadline=$((SECONDS + 20))
  kit_alive "$p" || return 0
  kill -TERM "$p" 2>/dev/null || true
  while kit_alive "$p" && ((SECONDS < deadline)); do sleep 0.2; done
  if kit_alive "$p"; then
    log "$name ($p) did not stop on TERM within 20 s; killing it"
    kill -KILL "$p" 2>/dev/null || true
    sleep 0.5
  fi
}
for name in buildkitd dockerd registry; do stop_pid "$name" "$(get "pids.$name")"; done

# 4. Anything still naming this run's socket folder or its daemons' data folders (a containerd-shim,
# a runc left by a killed daemon) was started by this run: stop it too. (Not any process naming the
# run folder: a caller's `tail -f $run/logs/...` is not ours.)
leftovers() {
  local f
  for f in $(grep -lsaF -e "$sock/" -e "$run/docker/" -e "$run/buildkit/" /proc/[0-9]*/cmdline); do
    f=${f#/proc/}
    f=${f%/cmdline}
    [[ $f == "$$" || $f == "${BASHPID:-}" || ! -e /proc/$f ]] && continue
    [[ $(tr '\0' ' ' 2>/dev/null <"/proc/$f/cmdline") == *stop.sh* ]] && continue
    echo "$f"
  done
  return 0
}
for p in $(leftovers); do
  log "stopping leftover process $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-120)"
  stop_pid leftover "$p"
done

# 5. Check: no pid alive, no port listening, no mount left.
failed=
for name in registry dockerd buildkitd; do
  p=$(get "pids.$name")
  if kit_alive "$p"; then
    log "$name ($p) is still running"
    failed=1
  fi
done
for port in "${registry##*:}" "${buildkit_addr##*:}"; do
  [[ -n $port ]] || continue
  if ss -Hltn "sport = :$port" | grep -q .; then
    log "port $port is still listening"
    failed=1
  fi
done
[[ -z $(leftovers) ]] || {
  log "processes of this run are still there: $(leftovers | tr '\n' ' ')"
  failed=1
}
[[ -n $failed ]] && exit 1

kit_unmount_under "$run"
[[ -n $sock && -d $sock ]] && {
  kit_unmount_under "$sock"
  rm -rf --one-file-system "$sock"
}
if [[ -z ${KIT_KEEP_DATA:-} ]]; then
  rm -rf --one-file-system "$run/docker" "$run/buildkit" "$run/registry/data"
fi
mv "$state" "$run/state.stopped.json"
log "stopped in $((SECONDS - t_start)) s; nothing of $run is left running"
