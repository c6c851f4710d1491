// CodeDeploy's BeforeAllowTraffic hook for the api function: before live traffic moves, the preview
// API must serve the version being deployed, healthy. Any other answer fails the deployment, and
// CodeDeploy leaves live where it was.
const { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } = require('@aws-sdk/client-codedeploy');

const codedeploy = new CodeDeployClient({});
const ATTEMPTS = 10;
const PAUSE_MS = 3000;

async function probe() {
  const response = await fetch(new URL('health', process.env.PREVIEW_URL), { signal: AbortSignal.timeout(5000) });
  return { status: response.status, version: response.headers.get('x-glint-version') };
}

exports.handler = async (event) => {
  const expected = process.env.EXPECTED_VERSION;
  let status = 'Failed';
  for (let attempt = 1; attempt <= ATTEMPTS && status !== 'Succeeded'; attempt++) {
    try {
      const seen = await probe();
      console.log(JSON.stringify({ attempt, expected, ...seen }));
      // The preview alias may still point at the old version for a moment after the update.
      if (seen.status === 200 && seen.version === expected) {
        status = 'Succeeded';
      }
    } catch (error) {
      console.log(JSON.stringify({ attempt, expected, error: String(error) }));
    }
    if (status !== 'Succeeded' && attempt < ATTEMPTS) {
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
