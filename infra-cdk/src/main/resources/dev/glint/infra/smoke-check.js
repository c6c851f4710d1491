// CodeDeploy's AfterAllowTraffic hook for the api function: all live traffic now reaches the new
// version. A read-only journey through the live API, as a visitor would make it; any step that fails
// (after three tries, a moment apart) fails the deployment, and CodeDeploy moves live back.
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');

const codedeploy = new CodeDeployClient({});
const ROUNDS = 3;
const PAUSE_MS = 5000;

async function get(path) {
  const response = await fetch(new URL(path, process.env.LIVE_URL), { signal: AbortSignal.timeout(8000) });
  return { path, status: response.status, version: response.headers.get('x-glint-version'), type: response.headers.get('content-type') };
}

// Each step reads only: nothing is written, so the journey can run against production.
const STEPS = [
  { path: 'health', ok: (r, expected) => r.status === 200 && r.version === expected },
  { path: 'openapi.yaml', ok: (r) => r.status === 200 },
  { path: '', ok: (r) => r.status === 200 && String(r.type).startsWith('text/html') },
  // A private route without a token: the authorizer must refuse it before the function runs.
  { path: 'v1/me', ok: (r) => r.status === 401 },
];

async function journey(expected) {
  for (const step of STEPS) {
    const seen = await get(step.path);
    console.log(JSON.stringify({ expected, ...seen }));
    if (!step.ok(seen, expected)) {
      return false;
    }
  }
  return true;
}

exports.handler = async (event) => {
  const expected = process.env.EXPECTED_VERSION;
  let status = 'Failed';
  for (let round = 1; round <= ROUNDS && status !== 'Succeeded'; round++) {
    try {
      if (await journey(expected)) {
        status = 'Succeeded';
      }
    } catch (error) {
      console.log(JSON.stringify({ round, expected, error: String(error) }));
    }
    if (status !== 'Succeeded' && round < ROUNDS) {
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  }
  await codedeploy.send(new PutLifecycleEventHookExecutionStatusCommand({
    deploymentId: event.DeploymentId,
    lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
    status,
  }));
  return status;
};
