#!/usr/bin/env bash
# Deploys Glint's dev stage to LocalStack with cdklocal and prints its URLs, or destroys it.
#
#   localstack/localstack-pro/deploy.sh deploy    # start LocalStack (docker compose) if none answers, build what is
#                                  # missing, bootstrap, deploy dev/Glint, print the API URL
#   localstack/localstack-pro/deploy.sh destroy   # delete the stack, stop the LocalStack this script started
#
# LOCALSTACK_ENDPOINT (default http://localhost:4566) points at a LocalStack that is already running
# (LocalStackDeployIT starts one with Testcontainers); then compose is left alone.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INFRA="$ROOT/infra-cdk"
COMPOSE_FILE="$ROOT/localstack/localstack-pro/docker-compose.yml"
ENDPOINT="${LOCALSTACK_ENDPOINT:-http://localhost:4566}"
STACK="dev/Glint"
OUTPUTS="$INFRA/cdk.out/localstack-outputs.json"

# cdklocal sends every AWS call to LocalStack; the credentials are LocalStack's dummy ones.
export AWS_ENDPOINT_URL="$ENDPOINT" AWS_ENDPOINT_URL_S3="$ENDPOINT" AWS_S3_FORCE_PATH_STYLE=1
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_REGION="${AWS_REGION:-us-east-1}" AWS_DEFAULT_REGION="${AWS_REGION:-us-east-1}"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
CDK_ARGS=(-c stage=dev -c target=localstack --require-approval never --no-notices)

say() { echo "glint localstack: $*" >&2; }

localstack_answers() {
  curl -fsS --max-time 3 "$ENDPOINT/_localstack/health" >/dev/null 2>&1
}

start_localstack() {
  if localstack_answers; then
    return
  fi
  if [[ -n "${LOCALSTACK_ENDPOINT:-}" ]]; then
    say "no LocalStack answers at $ENDPOINT"; exit 1
  fi
  command -v docker >/dev/null || { say "LocalStack needs Docker, and docker is not installed"; exit 1; }
  docker info >/dev/null 2>&1 || { say "no Docker engine is running; LocalStack needs one"; exit 1; }
  [[ -n "${LOCALSTACK_AUTH_TOKEN:-}" ]] || { say "set LOCALSTACK_AUTH_TOKEN (see infra-cdk/README.md, LocalStack)"; exit 1; }
  say "starting LocalStack ($COMPOSE_FILE)..."
  docker compose -f "$COMPOSE_FILE" up -d --wait
}

build_if_missing() {
  local missing=""
  for f in api media-worker fanout-worker stream-processor; do
    [[ -f "$ROOT/functions/$f/target/lambda/$f.jar" ]] || missing="functions/$f"
  done
  [[ -f "$INFRA/target/classpath.txt" ]] || missing="${missing:-infra-cdk}"
  if [[ -n "$missing" ]]; then
    say "building ($missing is not built)..."
    (cd "$ROOT" && ./mvnw --batch-mode --quiet -DskipTests package)
  fi
  if [[ ! -x "$INFRA/node_modules/.bin/cdklocal" ]]; then
    say "installing the pinned CDK CLI and cdklocal (npm ci)..."
    (cd "$INFRA" && npm ci --no-audit --no-fund)
  fi
}

# An HTTP API on LocalStack answers at <api id>.execute-api.localhost.localstack.cloud on the edge port.
api_url() {
  local id="$1" port
  port="$(node -e 'console.log(new URL(process.argv[1]).port || "4566")' "$ENDPOINT")"
  echo "http://$id.execute-api.localhost.localstack.cloud:$port/"
}

output() {
  node -e 'const o = require(process.argv[1]); console.log(o["dev-Glint"][process.argv[2]] || "")' "$OUTPUTS" "$1"
}

deploy() {
  start_localstack
  build_if_missing
  cd "$INFRA"
  say "bootstrapping..."
  npx --no-install cdklocal bootstrap "aws://000000000000/$AWS_REGION" --no-notices >/dev/null
  say "deploying $STACK..."
  npx --no-install cdklocal deploy "$STACK" "${CDK_ARGS[@]}" --outputs-file "$OUTPUTS"
  echo "API URL: $(api_url "$(output ApiId)")"
  echo "Preview URL: $(api_url "$(output PreviewApiId)")"
  echo "User pool: $(output UserPoolId), web client: $(output UserPoolClientId)"
}

destroy() {
  if localstack_answers; then
    build_if_missing
    cd "$INFRA"
    npx --no-install cdklocal destroy "$STACK" -c stage=dev -c target=localstack --force --no-notices
  else
    say "no LocalStack answers at $ENDPOINT: nothing to destroy"
  fi
  if [[ -z "${LOCALSTACK_ENDPOINT:-}" ]] && command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    # down needs no token, but compose checks every variable the file names
    LOCALSTACK_AUTH_TOKEN="${LOCALSTACK_AUTH_TOKEN:-unused}" docker compose -f "$COMPOSE_FILE" down
  fi
}

case "${1:-}" in
  deploy) deploy ;;
  destroy) destroy ;;
  *) echo "usage: $0 deploy|destroy" >&2; exit 2 ;;
esac
