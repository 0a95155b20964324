#!/usr/bin/env bash
# Has `docker compose` itself read compose.yaml (needs the compose plugin, not an engine):
# with docker/.env.example's settings and example secret files it must accept the file, and
# without the settings it must refuse, naming the first missing *_FILE.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

prepare() { # $1: with or without the .env settings
  local docker="$work/$1/docker"
  mkdir -p "$docker/secrets"
  cp "$here/compose.yaml" "$docker/compose.yaml"
  [ "$1" = with ] && cp "$here/.env.example" "$docker/.env"
  for name in db_owner_password db_app_password bootstrap_admin_key; do
    echo example-secret-0123456789abcdef > "$docker/secrets/$name"
  done
  echo example > "$docker/secrets/audit_signing_key.pem"
  echo "$docker/compose.yaml"
}

# Settings from the caller's shell would hide a missing one: run without any *_FILE.
unset_files() { env | sed -n 's/^\([A-Za-z_]*_FILE\)=.*/-u \1/p'; }

# shellcheck disable=SC2046
if ! out=$(env $(unset_files) docker compose -f "$(prepare with)" config 2>&1); then
  echo "FAIL: compose refused the example settings:"; echo "$out"; exit 1
fi
grep -q registry_app <<<"$out" || { echo "FAIL: the service does not run as registry_app"; exit 1; }
# shellcheck disable=SC2046
if out=$(env $(unset_files) docker compose -f "$(prepare without)" config 2>&1); then
  echo "FAIL: compose accepted the file without the secret files' settings"; exit 1
fi
grep -q '_FILE in docker/.env' <<<"$out" || { echo "FAIL: unexpected refusal: $out"; exit 1; }
echo "compose.yaml: accepted with the example settings, refused without them"
