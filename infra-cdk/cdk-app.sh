#!/usr/bin/env bash
# The CDK app command (cdk.json): runs dev.glint.infra.GlintApp from the Maven-built classpath.
# Build first, from the repository root:  ./mvnw -DskipTests package   (function jars, the web client, this module)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
if [[ ! -f "$HERE/target/classpath.txt" || ! -d "$HERE/target/classes" ]]; then
  echo "infra-cdk is not built. From $ROOT run: ./mvnw -DskipTests package" >&2
  exit 1
fi
# jsii prints a Node 20 end-of-life banner on every start otherwise.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
exec java -Dglint.root="$ROOT" ${GLINT_CDK_JAVA_OPTS:-} -cp "$HERE/target/classes:$(cat "$HERE/target/classpath.txt")" dev.glint.infra.GlintApp
