#!/usr/bin/env bash
# Proves the kit end to end on this machine (not run by npm test; about 2-3 minutes once setup.sh's
# cache exists):
#   setup (cached) -> start -> arm64 in buildkitd's workers -> cold multi-platform build of the
#   fixture app, pushed with a registry cache -> pull by digest with the daemon and run it (amd64,
#   and arm64 under emulation) -> /health and /keys -> warm build, then one file changed (only the
#   later steps rebuild), with buildkitd's cache and then with the registry cache alone ->
#   health_mode=fail answers 500 -> a push with a wrong password is refused -> stop -> nothing left.
#
#   test/kit/selftest.sh [RUN_DIR]     # default /tmp/delivery-pipeline-kit-selftest
#
# Exit 0 only if every check passed. Times go to $RUN_DIR/selftest-times.txt and standard output.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run=${1:-/tmp/delivery-pipeline-kit-selftest}
project=$(cd "$KIT_HERE/../.." && pwd)
rm -rf "$run"
mkdir -p "$run"
times=$run/selftest-times.txt
: >"$times"
now() { date +%s.%N; }
record() { # label start
  local t
  t=$(awk -v a="$2" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}')
  printf '%-44s %6s s\n' "$1" "$t" | tee -a "$times" >&2
}
pass() { echo "PASS: $*" >&2; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

t=$(now)
"$KIT_HERE/setup.sh"
record "setup.sh (this run; cold is in README.md)" "$t"

t=$(now)
DOCKER_CONFIG=$run/docker-config "$KIT_HERE/start.sh" "$run/kit" >/dev/null
record "start.sh" "$t"
stopped=
cleanup() {
  # Containers of the kit's dockerd go with stop.sh; the kit itself is stopped on any exit.
  [[ -n $stopped ]] || "$KIT_HERE/stop.sh" "$run/kit" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# shellcheck source=/dev/null
source "$run/kit/env.sh"

# --- arm64 ---------------------------------------------------------------------------------------
workers=$(buildctl --addr "$BUILDKIT_HOST" debug workers --format '{{range .}}{{range .Platforms}}{{.OS}}/{{.Architecture}} {{end}}{{end}}')
[[ $workers == *linux/arm64* ]] || fail "buildkitd lists no linux/arm64 ($workers)"
pass "buildkitd's worker platforms: $workers"

# --- builds ---------------------------------------------------------------------------------------
app=$run/app
cp -r "$project/test/fixtures/app" "$app"
image=$KIT_REGISTRY/selftest/app
build() { # log-name revision platforms [extra args...]
  local name=$1 revision=$2 platforms=$3
  shift 3
  docker buildx build --builder "$KIT_BUILDER" --progress plain --platform "$platforms" \
    --build-arg BASE_IMAGE="$KIT_BASE_IMAGE" --build-arg REVISION="$revision" \
    --tag "$image:$revision" --push --metadata-file "$run/$name.json" \
    --cache-from "type=registry,ref=$image:cache" \
    --cache-to "type=registry,ref=$image:cache,mode=max,image-manifest=true,oci-mediatypes=true" \
    "$@" "$app" >"$run/$name.log" 2>&1 || {
    tail -30 "$run/$name.log" >&2
    fail "build $name failed (log: $run/$name.log)"
  }
  kit_json_get "$run/$name.json" containerimage.digest
}
# The step lines ("#N [linux/arm64 4/5] COPY app/ ./app/") followed by CACHED in a build log.
cached_steps() {
  awk '/^#[0-9]+ \[/ {s = $0; sub(/^#[0-9]+ /, "", s); name[$1] = s} /^#[0-9]+ CACHED/ {c[$1] = 1}
    END {for (i in c) if (i in name) print name[i]}' "$1" | sort -u
}
run_steps() { grep -E '^#[0-9]+ \[linux/(amd64|arm64) [0-9]+/[0-9]+\]' "$1" | sed -E 's/^#[0-9]+ //' | sort -u; }

t=$(now)
digest=$(build cold r1 linux/amd64,linux/arm64)
record "cold build (amd64+arm64, push, cache export)" "$t"
grep -q 'linux/arm64 5/5\] RUN python3 -m compileall' "$run/cold.log" || fail "no arm64 RUN step in the cold build"
pass "cold build pushed $image@$digest (its arm64 RUN step ran under emulation)"

# --- pull by digest with the daemon, run, probe ---------------------------------------------------
probe_app() { # ref platform expected-status expected-revision
  local ref=$1 platform=$2 want=$3 revision=$4 port cid code body i
  docker pull -q --platform "$platform" "$ref" >/dev/null
  port=$(kit_free_port)
  cid=$(docker run -d --platform "$platform" --network host -e PORT="$port" -e HOST=127.0.0.1 \
    -e OPENAI_API_KEY=sk-selftest-openai -e ANTHROPIC_API_KEY=sk-ant-selftest "$ref")
  code=000
  for i in $(seq 150); do
    code=$(curl -s -o "$run/health.json" -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
    [[ $code != 000 ]] && break
    sleep 0.2
  done
  body=$(cat "$run/health.json")
  [[ $code == "$want" ]] || fail "$platform /health answered $code ($body), not $want"
  [[ $body == *"\"revision\":\"$revision\""* ]] || fail "$platform /health names no revision $revision: $body"
  pass "$platform container: /health $code $body (after $((i / 5)) s)"
  if [[ $want == 200 ]]; then
    local keys openai anthropic
    keys=$(curl -s "http://127.0.0.1:$port/keys")
    openai=$(printf %s sk-selftest-openai | sha256sum | cut -d' ' -f1)
    anthropic=$(printf %s sk-ant-selftest | sha256sum | cut -d' ' -f1)
    [[ $keys == *"$openai"* && $keys == *"$anthropic"* && $keys != *sk-selftest* ]] || fail "/keys: $keys"
    pass "$platform container: /keys gives both keys' sha256, not the keys"
    [[ $(docker exec "$cid" python3 -c 'import platform; print(platform.machine())') == "$([[ $platform == linux/arm64 ]] && echo aarch64 || echo x86_64)" ]] ||
      fail "$platform container runs on another architecture"
  fi
  docker rm -f "$cid" >/dev/null
}
t=$(now)
probe_app "$image@$digest" linux/amd64 200 r1
record "pull by digest + run + /health (amd64)" "$t"
# Docker 20.10 refuses to pull a second platform of an index it pulled by digest ("Cannot overwrite
# digest"): the arm64 image is pulled by its own manifest's digest, read from the index.
index=$(curl -s --cacert "$SSL_CERT_FILE" -u "$KIT_REGISTRY_USER:$KIT_REGISTRY_PASSWORD" \
  -H 'Accept: application/vnd.oci.image.index.v1+json' "https://$KIT_REGISTRY/v2/selftest/app/manifests/$digest")
arm=$(node -e 'console.log(JSON.parse(process.argv[1]).manifests.find((m) => m.platform && m.platform.architecture === "arm64").digest)' "$index")
t=$(now)
probe_app "$image@$arm" linux/arm64 200 r1
record "pull by digest + run + /health (arm64, qemu)" "$t"

# --- warm builds and a changed file: with buildkitd's own cache, then with the registry cache alone -
# all_cached log: every step of both platforms CACHED (the RUN steps included).
all_cached() {
  local cached
  cached=$(cached_steps "$1")
  [[ $(grep -c 'RUN python3 -m compileall' <<<"$cached") == 2 ]] || fail "$1: a RUN step was not cached"
  sed 's/^/    /' <<<"$cached" >&2
}
# changed_report log: which steps were CACHED and which ran again.
changed_report() {
  local cached ran
  cached=$(cached_steps "$1")
  ran=$(run_steps "$1" | grep -vxF -f <(printf '%s\n' "$cached") | grep -v ' 1/5\] FROM' || true)
  grep -q 'COPY app/' <<<"$ran" || fail "$1: COPY app/ did not run again"
  grep -q 'WORKDIR' <<<"$cached" || fail "$1: WORKDIR was not cached"
  echo "  cached:" >&2
  sed 's/^/    /' <<<"$cached" >&2
  echo "  ran again:" >&2
  sed 's/^/    /' <<<"$ran" >&2
  CACHED_STEPS=$cached
}

t=$(now)
build warm-local r1 linux/amd64,linux/arm64 >/dev/null
record "warm build, unchanged (buildkitd's cache)" "$t"
pass "warm build, unchanged: every step CACHED:"
all_cached "$run/warm-local.log"

echo '# changed by selftest.sh (1)' >>"$app/app/main.py"
t=$(now)
build changed-local r2 linux/amd64,linux/arm64 >/dev/null
record "one file changed (buildkitd's cache)" "$t"
pass "app/main.py changed, buildkitd's cache: only the steps from COPY app/ on ran again"
changed_report "$run/changed-local.log"
grep -q 'COPY requirements.txt' <<<"$CACHED_STEPS" || fail "COPY requirements.txt was not cached"

# buildkitd's own cache emptied: what a fresh builder (a new CI runner) has, the registry cache alone.
buildctl --addr "$BUILDKIT_HOST" prune --all >/dev/null
t=$(now)
build warm-registry r2 linux/amd64,linux/arm64 >/dev/null
record "warm build, unchanged (registry cache only)" "$t"
grep -q 'importing cache manifest from' "$run/warm-registry.log" || fail "the warm build imported no registry cache"
pass "warm build, unchanged, buildkitd's cache pruned: every step CACHED from the registry cache:"
all_cached "$run/warm-registry.log"

buildctl --addr "$BUILDKIT_HOST" prune --all >/dev/null
echo '# changed by selftest.sh (2)' >>"$app/app/main.py"
t=$(now)
build changed-registry r3 linux/amd64,linux/arm64 >/dev/null
record "one file changed (registry cache only)" "$t"
# With the registry cache alone BuildKit also reruns the step just before the first changed one
# (here COPY requirements.txt: it needs that step's files and rebuilds them rather than pulling the
# cached layer; moby/buildkit#3660). Reported, not asserted.
pass "app/main.py changed, registry cache only:"
changed_report "$run/changed-registry.log"

# --- a code change that fails the health check ----------------------------------------------------
echo fail >"$app/app/health_mode"
failing=$(build failing r4-failing linux/amd64)
probe_app "$image@$failing" linux/amd64 500 r4-failing

# --- the registry refuses a push with a wrong password --------------------------------------------
bad=$run/bad-docker-config
mkdir -p "$bad"
cp -r "$DOCKER_CONFIG/buildx" "$DOCKER_CONFIG/cli-plugins" "$bad/"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$KIT_REGISTRY" "$(printf '%s:wrong-password' "$KIT_REGISTRY_USER" | base64)" >"$bad/config.json"
if DOCKER_CONFIG=$bad docker buildx build --builder "$KIT_BUILDER" --progress plain --platform linux/amd64 \
  --build-arg BASE_IMAGE="$KIT_BASE_IMAGE" --tag "$image:refused" --push "$app" >"$run/refused.log" 2>&1; then
  fail "a push with a wrong password succeeded"
fi
grep -q '401 Unauthorized' "$run/refused.log" || fail "the refused push failed for another reason: $(tail -3 "$run/refused.log")"
pass "wrong password refused: $(grep -m1 -o 'failed to push.*401 Unauthorized' "$run/refused.log")"

# --- stop: nothing left ---------------------------------------------------------------------------
state=$run/kit/state.json
pids=$(for n in registry dockerd buildkitd; do kit_json_get "$state" "pids.$n"; done | tr '\n' ' ')
sock=$(kit_json_get "$state" socketDir)
ports="$(kit_json_get "$state" registry | sed 's/.*://') $(kit_json_get "$state" buildkitAddr | sed 's/.*://')"
t=$(now)
"$KIT_HERE/stop.sh" "$run/kit"
stopped=1
record "stop.sh" "$t"
for p in $pids; do kit_alive "$p" && fail "process $p is still running"; done
for port in $ports; do ss -Hltn "sport = :$port" | grep -q . && fail "port $port still listens"; done
left=$(grep -lsaF -e "$sock/" -e "$run/kit/" /proc/[0-9]*/cmdline | grep -v "/proc/$$/" || true)
for f in $left; do [[ -e $f ]] && fail "a process of the kit is left: $(tr '\0' ' ' <"$f")"; done
pass "after stop: pids $pids gone, ports $ports closed, no process names $sock or $run/kit"
echo "selftest: all checks passed; times in $times" >&2
cat "$times"
