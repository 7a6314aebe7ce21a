#!/usr/bin/env bash
# Runs the real `pulumi up` of test/kit/probe/ (one docker-build Image per platform, an Index) in a
# scratch folder under /tmp, against a started kit: does @pulumi/docker-build 0.0.22 use the kit's
# remote builder, push to its registry with `registries` credentials and use the registry cache?
#
#   test/kit/probe.sh [local|git-http|git-https] [RUN_DIR]   # default: local, $KIT_RUN_DIR or /tmp/delivery-pipeline-kit
#
# local:     the context is a folder holding the fixture app (test/fixtures/app)
# git-http:  the context is http://127.0.0.1:<port>/app.git#<commit>, served by gitServer.cjs
# git-https: the same over https, with a certificate of the kit's CA
# Each mode runs `pulumi up` twice: a first build, then one with a new revision (cache reuse).
# Env: PROBE_BUILDER=<name> sets the Images' `builder` input (default: unset, the provider picks);
# PROBE_PLATFORMS (default the kit's platforms); PROBE_KEEP=1 keeps the scratch folder;
# PROBE_UNSET=DOCKER_HOST,SSL_CERT_FILE runs Pulumi without those variables of env.sh (what is needed?).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mode=${1:-local}
run=${2:-${KIT_RUN_DIR:-/tmp/delivery-pipeline-kit}}
[[ -f $run/state.json ]] || die "no started kit in $run: run test/kit/start.sh $run first"
# shellcheck source=/dev/null
source "$run/env.sh"
IFS=, read -r -a unset_vars <<<"${PROBE_UNSET:-}"
for v in "${unset_vars[@]}"; do unset "$v"; done
project=$(cd "$KIT_HERE/../.." && pwd)
engine=${PULUMI_ENGINE_BUILD:-$project/../shared/engine/build.sh}
bin=$("$engine") || die "building the Pulumi engine failed ($engine)"
export PATH=$bin:$PATH

scratch=$(mktemp -d /tmp/kit-probe.XXXXXX)
git_pid=
cleanup() {
  [[ -n $git_pid ]] && kill "$git_pid" 2>/dev/null && wait "$git_pid" 2>/dev/null
  [[ -n ${PROBE_KEEP:-} ]] || rm -rf "$scratch"
}
trap cleanup EXIT
cp "$KIT_HERE/probe/index.ts" "$KIT_HERE/probe/Pulumi.yaml" "$scratch/"
# ts-node's settings live here, not in the repository: a tsconfig.json under test/ would become the
# project linter's config for that folder.
cat >"$scratch/tsconfig.json" <<'JSON'
{
  "compilerOptions": { "target": "ES2022", "module": "node16", "moduleResolution": "node16", "strict": true, "skipLibCheck": true, "esModuleInterop": true },
  "ts-node": { "transpileOnly": true },
  "files": ["index.ts"]
}
JSON
echo '{"name": "kit-probe", "private": true}' >"$scratch/package.json"
ln -s "$project/node_modules" "$scratch/node_modules"

# The build context.
cp -r "$project/test/fixtures/app" "$scratch/app"
case $mode in
  local) context=$scratch/app ;;
  git-http | git-https)
    git -C "$scratch/app" init -q -b main
    git -C "$scratch/app" add -A
    git -C "$scratch/app" -c user.name=kit -c user.email=kit@127.0.0.1 commit -q -m "fixture app"
    commit=$(git -C "$scratch/app" rev-parse HEAD)
    mkdir -p "$scratch/git"
    git clone -q --bare "$scratch/app" "$scratch/git/app.git"
    tls_args=()
    [[ $mode == git-https ]] && tls_args=(--tls "$(dirname "$SSL_CERT_FILE")/key.pem" "$(dirname "$SSL_CERT_FILE")/cert.pem")
    node "$KIT_HERE/gitServer.cjs" "$scratch/git" "${tls_args[@]}" >"$scratch/git-url" 2>"$scratch/git-server.log" &
    git_pid=$!
    kit_wait_for 10 "the git server" "$scratch/git-server.log" test -s "$scratch/git-url"
    context="$(cat "$scratch/git-url")/app.git#$commit"
    ;;
  *) die "unknown mode $mode (local, git-http or git-https)" ;;
esac
log "probe ($mode): context $context"

export PULUMI_HOME=$scratch/home PULUMI_BACKEND_URL=file://$scratch/state PULUMI_CONFIG_PASSPHRASE=probe \
  PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$scratch/state" "$scratch/home"
cd "$scratch"
pulumi stack init probe --non-interactive >/dev/null
pulumi config set registry "$KIT_REGISTRY" >/dev/null
pulumi config set registryUser "$KIT_REGISTRY_USER" >/dev/null
printf %s "$KIT_REGISTRY_PASSWORD" | pulumi config set --secret registryPassword >/dev/null
pulumi config set baseImage "$KIT_BASE_IMAGE" >/dev/null
pulumi config set context "$context" >/dev/null
pulumi config set repository "probe/$mode" >/dev/null
pulumi config set platforms "${PROBE_PLATFORMS:-$KIT_PLATFORMS}" >/dev/null
[[ -n ${PROBE_BUILDER:-} ]] && pulumi config set builder "$PROBE_BUILDER" >/dev/null

status=0
for revision in r1 r2; do
  pulumi config set revision "$revision" >/dev/null
  t0=$SECONDS
  log "pulumi up (revision $revision) ..."
  if pulumi up --yes --non-interactive --skip-preview --diff >"$scratch/up-$revision.log" 2>&1; then
    log "pulumi up ($revision) succeeded in $((SECONDS - t0)) s"
  else
    status=1
    log "pulumi up ($revision) FAILED in $((SECONDS - t0)) s"
  fi
  cp "$scratch/up-$revision.log" "$run/logs/probe-$mode-up-$revision.log"
  grep -E 'CACHED|error|Error|warning|imageRefs|indexRef|sha256' "$scratch/up-$revision.log" | head -40 >&2 || true
  ((status == 0)) || break
done
if ((status == 0)); then
  pulumi stack output --json >"$run/logs/probe-$mode-outputs.json"
  cat "$run/logs/probe-$mode-outputs.json"
fi
if [[ -n $git_pid ]]; then
  log "git server: $(grep -c "^git server:" "$scratch/git-server.log" || true) requests: $(grep "^git server:" "$scratch/git-server.log" | cut -d" " -f3- | cut -c1-60 | sort | uniq -c | tr "\n" ";")"
fi
log "logs: $run/logs/probe-$mode-up-*.log"
exit "$status"
