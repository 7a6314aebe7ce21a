#!/usr/bin/env bash
# Proves, with the real cosign, that the signatures src/signing writes and reads are cosign's own
# format, both ways, against the kit's real registry (TLS, basic auth):
#
#   1. what our pushSignature writes (src/signing/signCli.ts, the command staging runs) verifies
#      with `cosign verify --key`, and does not with another key or another annotation;
#   2. what `cosign sign --key` writes verifies with our verifySignature (src/signing/verifyCli.ts,
#      the command production runs), with cosign's own key format and with the project's openssl
#      key imported into cosign, and not with another key or another revision;
#   3. each tool appends to a signature tag the other wrote (staging signs a digest again after a
#      rotation; an engineer may add one by hand with cosign) without breaking the other's entry.
#
#   bash test/kit/cosign-interop.sh      # root (the kit's daemons); exit 1 if any case fails
#
# The deploy runners have no cosign binary, which is why src/signing implements the format itself;
# here cosign is built from its Go module (the Go module proxy is reachable, GitHub's releases are
# not) and cached in $KIT_CACHE/cosign-<version>/, so only the first run pays for the build.
# Settings: COSIGN_VERSION (default below), KEEP_RUN=1 keeps the run folder (keys, logs) on success.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/lib.sh"
t0=$SECONDS

# v2 is the line the docs' `cosign verify --key ... --insecure-ignore-tlog=true` is written for: its
# `cosign sign` writes the `sha256-<hex>.sig` tag by default (--new-bundle-format defaults to false
# in cmd/cosign/cli/options/sign.go), the format our verifier reads.
COSIGN_VERSION=${COSIGN_VERSION:-v2.6.5}
cosign_dir=$KIT_CACHE/cosign-$COSIGN_VERSION
cosign=$cosign_dir/cosign

say() { echo "cosign-interop: $*" >&2; }

# --- cosign, built once -------------------------------------------------------------------------
build_cosign() {
  command -v go >/dev/null || die "go is missing: it builds cosign from its module"
  local t=$SECONDS work dir
  say "building cosign $COSIGN_VERSION from its Go module (once; cached in $cosign_dir)"
  work=$(mktemp -d /tmp/cosign-build.XXXXXX)
  # The module cache is read-only and cosign's go.mod has directives `go install` refuses, so build
  # in a writable copy, resolving the module graph as its go.mod says (-mod=mod).
  go mod download -json "github.com/sigstore/cosign/v2@$COSIGN_VERSION" >"$work/download.json"
  dir=$(kit_json_get "$work/download.json" Dir)
  [[ -n $dir && -d $dir ]] || die "go mod download gave no module folder: $(cat "$work/download.json")"
  cp -r "$dir" "$work/src"
  chmod -R u+w "$work/src"
  # The version flag as cosign's Makefile sets it, so `cosign version` says what this is.
  (cd "$work/src" && GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-buildid= -X sigs.k8s.io/release-utils/version.gitVersion=$COSIGN_VERSION" \
    -o "$work/cosign" ./cmd/cosign) >"$work/build.log" 2>&1 || {
    tail -30 "$work/build.log" >&2
    die "building cosign failed (log: $work/build.log)"
  }
  mkdir -p "$cosign_dir"
  # Into the cache only once complete: an interrupted build leaves no half binary to reuse.
  mv "$work/cosign" "$cosign.tmp" && mv "$cosign.tmp" "$cosign"
  rm -rf "$work"
  say "built cosign in $((SECONDS - t)) s"
}
[[ -x $cosign ]] || build_cosign
"$cosign" version 2>&1 | grep -q "GitVersion: *$COSIGN_VERSION" || die "$cosign is not cosign $COSIGN_VERSION: delete $cosign_dir"

# --- the kit, in a run folder of our own --------------------------------------------------------
# Our own run folder, builder name and DOCKER_CONFIG, and free ports picked by start.sh: another
# run of the kit (the engine suite) may be using the machine at the same time.
run=$(mktemp -d /tmp/cosign-interop.XXXXXX)
finish() {
  local rc=$?
  if [[ -f $run/state.json ]]; then "$here/stop.sh" "$run" >"$run/stop.log" 2>&1 || {
    cat "$run/stop.log" >&2
    rc=1
  }; fi
  if ((rc == 0)) && [[ -z ${KEEP_RUN:-} ]]; then rm -rf "$run"; else say "run folder kept: $run"; fi
  exit "$rc"
}
trap finish EXIT
DOCKER_CONFIG=$run/docker-config KIT_BUILDER=cosign-interop-$$ "$here/start.sh" "$run" >/dev/null 2>"$run/start.log" || {
  cat "$run/start.log" >&2
  die "the kit did not start"
}
# shellcheck disable=SC1091
source "$run/env.sh"
# cosign (Go) trusts the kit's CA through SSL_CERT_FILE (env.sh: the system's CAs plus the run's);
# our node:https client reads the same variable (src/signing/http.ts). cosign logs in with the
# kit's login in DOCKER_CONFIG (go-containerregistry's default keychain reads its config.json).
# TUF_ROOT: cosign's TUF cache in the run folder, not in $HOME (there is no internet to fill it).
export SSL_CERT_FILE DOCKER_CONFIG TUF_ROOT=$run/sigstore COSIGN_PASSWORD=
[[ -n $KIT_BASE_IMAGE ]] || die "the kit has no base image: run test/kit/setup.sh"
digest=${KIT_BASE_IMAGE##*@}
# Two repositories holding the same multi-platform index, so each direction starts from a digest
# with no signature at all (a signature tag belongs to one repository). `cosign copy` copies it.
image_ours=$KIT_REGISTRY/interop/ours
image_cosign=$KIT_REGISTRY/interop/cosign
# `cosign copy` writes the index and its platform manifests concurrently; distribution 2.8 refuses an index
# whose child has not landed yet (MANIFEST_BLOB_UNKNOWN; seen once in a CI run), so a copy is tried up to three
# times: writing the same content again is idempotent.
copy_image() { # destination
  local attempt
  for attempt in 1 2 3; do
    "$cosign" copy --force "$KIT_BASE_IMAGE" "$1" >>"$run/copy.log" 2>&1 && return 0
    echo "cosign copy to $1: attempt $attempt failed" >>"$run/copy.log"
    sleep 1
  done
  return 1
}
copy_image "$image_ours" && copy_image "$image_cosign" || {
  cat "$run/copy.log" >&2
  die "cosign copy of the base image failed"
}

# --- keys -----------------------------------------------------------------------------------------
keys=$run/keys
mkdir -p "$keys"
# The project's key pair, made as docs/shipping.md says (PKCS#8 EC P-256, SPKI public key), and
# another one for the refusals.
for k in ours other; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$keys/$k.pem" 2>/dev/null
  openssl pkey -in "$keys/$k.pem" -pubout -out "$keys/$k.pub"
done
# cosign's own key format (an encrypted "SIGSTORE PRIVATE KEY"; empty password), and the
# project's key imported into it (what an engineer signing by hand with cosign would do).
(cd "$keys" && "$cosign" generate-key-pair --output-key-prefix cosign >/dev/null 2>&1)
(cd "$keys" && "$cosign" import-key-pair --key ours.pem --output-key-prefix ours-imported >/dev/null 2>&1)
cmp -s <(openssl pkey -pubin -in "$keys/ours-imported.pub" -outform DER) <(openssl pkey -pubin -in "$keys/ours.pub" -outform DER) ||
  die "cosign import-key-pair changed the public key"

revision=$(openssl rand -hex 20)
revision2=$(openssl rand -hex 20)
other_revision=$(openssl rand -hex 20)
repository=acme/app

# --- the tools ----------------------------------------------------------------------------------
# Our side runs exactly the commands the stacks run (infra/imageSignature.ts), with the settings
# in the environment as @pulumi/command passes them.
ours_sign() { # image key revision
  IMAGE_REF=$1@$digest SIGNING_KEY=$(cat "$2") REGISTRY_USERNAME=$KIT_REGISTRY_USER REGISTRY_PASSWORD=$KIT_REGISTRY_PASSWORD \
    SIGNED_ANNOTATIONS="{\"revision\":\"$3\",\"repository\":\"$repository\",\"verifiedBy\":\"staging\"}" \
    npx --no-install tsx "$root/src/signing/signCli.ts"
}
ours_verify() { # image pub revision -> the verdict's JSON line
  IMAGE_REF=$1@$digest SIGNING_PUBLIC_KEY=$(cat "$2") REGISTRY_USERNAME=$KIT_REGISTRY_USER REGISTRY_PASSWORD=$KIT_REGISTRY_PASSWORD \
    EXPECTED_ANNOTATIONS="{\"revision\":\"$3\",\"repository\":\"$repository\"}" \
    npx --no-install tsx "$root/src/signing/verifyCli.ts"
}
cosign_sign() { # image key revision
  "$cosign" sign --yes --key "$2" --tlog-upload=false \
    -a revision="$3" -a repository="$repository" -a verifiedBy=staging "$1@$digest"
}
cosign_verify() { # image pub revision [repository]
  "$cosign" verify --key "$2" --insecure-ignore-tlog=true \
    -a revision="$3" -a repository="${4:-$repository}" "$1@$digest"
}

# --- the cases ----------------------------------------------------------------------------------
failures=0 cases=0
pass() { echo "PASS  $1"; }
fail() {
  echo "FAIL  $1"
  failures=$((failures + 1))
}
out=$run/out
# A step that must succeed (signing): its output goes to a log, shown only on failure.
step() { # label command...
  local label=$1
  shift
  if "$@" >"$out" 2>&1; then return 0; fi
  sed 's/^/      /' "$out" >&2
  die "$label failed"
}
# cosign verify must accept: exit 0 and a verified payload naming the digest on stdout.
expect_cosign_ok() { # label image pub revision [repository]
  local label=$1
  shift
  cases=$((cases + 1))
  if cosign_verify "$@" >"$out" 2>"$out.err" && grep -q "\"docker-manifest-digest\":\"$digest\"" "$out"; then
    pass "$label: verified"
  else
    fail "$label: $(tail -1 "$out.err")"
  fi
}
# cosign verify must refuse, for the expected reason (not, say, a TLS or login error).
expect_cosign_refused() { # label reason-pattern image pub revision [repository]
  local label=$1 why=$2
  shift 2
  cases=$((cases + 1))
  if cosign_verify "$@" >"$out" 2>"$out.err"; then
    fail "$label: cosign verify accepted it"
  elif grep -q -- "$why" "$out.err"; then
    pass "$label: refused ($(grep -o -- "$why.*" "$out.err" | head -1 | cut -c1-110))"
  else
    fail "$label: refused for another reason: $(tail -1 "$out.err")"
  fi
}
# verifyCli prints {"verified":true,...} or {"verified":false,"reason":...} and exits 0 either way.
verdict() { node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(v.verified ? "verified" : "refused: " + v.reason)'; }
expect_ours_ok() { # label image pub revision
  local label=$1 v
  shift
  cases=$((cases + 1))
  v=$(ours_verify "$@" 2>"$out.err" | verdict) || v="error: $(tail -1 "$out.err")"
  if [[ $v == verified ]]; then pass "$label: verified"; else fail "$label: $v"; fi
}
expect_ours_refused() { # label reason-pattern image pub revision
  local label=$1 why=$2 v
  shift 2
  cases=$((cases + 1))
  v=$(ours_verify "$@" 2>"$out.err" | verdict) || v="error: $(tail -1 "$out.err")"
  if [[ $v == "refused: "*$why* ]]; then pass "$label: $v"; else fail "$label: expected a refusal ($why), got: $v"; fi
}

echo "cosign $COSIGN_VERSION, registry $KIT_REGISTRY (TLS, basic auth), image $digest (multi-platform index)"

# 1. Ours signs, cosign verifies.
step "our signCli" ours_sign "$image_ours" "$keys/ours.pem" "$revision"
expect_cosign_ok "1a ours-signed, cosign verify --key ours.pub -a revision -a repository" "$image_ours" "$keys/ours.pub" "$revision"
expect_cosign_refused "1b ours-signed, cosign verify --key other.pub" "no matching signatures" "$image_ours" "$keys/other.pub" "$revision"
expect_cosign_refused "1c ours-signed, cosign verify -a revision=<another commit>" "no matching signatures" "$image_ours" "$keys/ours.pub" "$other_revision"
expect_cosign_refused "1d ours-signed, cosign verify -a repository=<another repository>" "no matching signatures" "$image_ours" "$keys/ours.pub" "$revision" other/repo
# A second signature of the same digest (another revision) is appended as a second layer: cosign
# must find both.
step "our signCli, second signature" ours_sign "$image_ours" "$keys/ours.pem" "$revision2"
expect_cosign_ok "1e ours-signed twice, cosign verify -a revision=<first>" "$image_ours" "$keys/ours.pub" "$revision"
expect_cosign_ok "1f ours-signed twice, cosign verify -a revision=<second>" "$image_ours" "$keys/ours.pub" "$revision2"

# 2. cosign signs, ours verifies.
step "cosign sign" cosign_sign "$image_cosign" "$keys/cosign.key" "$revision"
expect_ours_ok "2a cosign-signed (cosign.key), our verifySignature with cosign.pub" "$image_cosign" "$keys/cosign.pub" "$revision"
expect_ours_refused "2b cosign-signed (cosign.key), our verifySignature with other.pub" "does not verify" "$image_cosign" "$keys/other.pub" "$revision"
expect_ours_refused "2c cosign-signed (cosign.key), our verifySignature for another revision" "revision is" "$image_cosign" "$keys/cosign.pub" "$other_revision"
expect_cosign_ok "2d cosign-signed (cosign.key), cosign verify (control)" "$image_cosign" "$keys/cosign.pub" "$revision"

# 3. Each appends to the tag the other wrote.
step "cosign sign with the imported project key, onto our tag" cosign_sign "$image_ours" "$keys/ours-imported.key" "$other_revision"
expect_ours_ok "3a + cosign-signed with the project key (imported), our verifySignature with ours.pub" "$image_ours" "$keys/ours.pub" "$other_revision"
expect_ours_ok "3b   our own earlier signature still verifies with ours" "$image_ours" "$keys/ours.pub" "$revision"
expect_cosign_ok "3c   and with cosign" "$image_ours" "$keys/ours.pub" "$revision2"
step "our signCli onto cosign's tag" ours_sign "$image_cosign" "$keys/ours.pem" "$revision2"
expect_cosign_ok "3d + ours-signed onto cosign's tag, cosign verify --key ours.pub" "$image_cosign" "$keys/ours.pub" "$revision2"
expect_cosign_ok "3e   cosign's earlier signature still verifies with cosign" "$image_cosign" "$keys/cosign.pub" "$revision"
expect_ours_ok "3f   and with ours" "$image_cosign" "$keys/cosign.pub" "$revision"
# The very claims another key already signed (same digest, reference and annotations: the same
# payload bytes, so the same layer digest): cosign appends unless the existing signature verifies
# with the signing key (its dupe detector, pkg/cosign/remote/remote.go); the other key's signature
# must survive. This is also a key rotation: staging signs its current digest again with the new key.
step "our signCli onto cosign's tag, the claims cosign signed" ours_sign "$image_cosign" "$keys/ours.pem" "$revision"
expect_cosign_ok "3g + ours-signed, the claims cosign signed: cosign's signature still verifies with cosign" "$image_cosign" "$keys/cosign.pub" "$revision"
expect_ours_ok "3h   and with ours" "$image_cosign" "$keys/cosign.pub" "$revision"
expect_cosign_ok "3i   ours verifies with cosign verify --key ours.pub" "$image_cosign" "$keys/ours.pub" "$revision"
step "cosign sign onto our tag, the claims we signed" cosign_sign "$image_ours" "$keys/cosign.key" "$revision"
expect_ours_ok "3j + cosign-signed, the claims we signed: ours still verifies with ours.pub" "$image_ours" "$keys/ours.pub" "$revision"
expect_ours_ok "3k   cosign's verifies with ours (cosign.pub)" "$image_ours" "$keys/cosign.pub" "$revision"

echo "$((cases - failures))/$cases cases passed in $((SECONDS - t0)) s (kit stop follows)"
((failures == 0))
