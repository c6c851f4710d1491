package dev.glint.infra;

import dev.glint.shared.resources.GlintResources.QueueSpec;

/**
 * How long a worker's canary must bake, and over how many minutes its failed-items alarm looks, so a
 * message that fails on the new version is retried and that retry is counted before the deployment
 * ends. The arithmetic, with the numbers of each queue, is in infra-cdk/README.md
 * ("How long a worker's canary bakes").
 *
 * <ul>
 *   <li>A message that failed comes back after its retry delay: the worker's backoff (5 s, doubling
 *       with each receive, at most 900 s: lambda-support {@code RetryBackoff}) for a failure it
 *       reports, or the queue's whole visibility timeout {@code V} when the invocation dies (timeout,
 *       crash) or the backoff cannot be set. Over its {@code maxReceiveCount} {@code R} receives the
 *       backoffs add up to {@code B = sum(n = 1..R-1) min(900, 5 * 2^(n-1))}. So the retry window is
 *       {@code W = max(V, B)}.</li>
 *   <li>The alarm wants {@link #DATAPOINTS} minutes with failed items, so a single transient failure
 *       does not roll back but a message that keeps failing (or a version that fails every batch) does;
 *       its evaluation window spans the retry: {@code ceil(W / 60) + 1} periods of a minute.</li>
 *   <li>The bake is {@code W + (DATAPOINTS + 1) * 60 s}: the retry, the two datapoints, and a minute for
 *       CloudWatch to turn the log line into a datapoint; in whole minutes, never shorter than the
 *       stage's 5-minute canary.</li>
 * </ul>
 */
final class CanaryBake {

    /** lambda-support {@code RetryBackoff}: first retry after 5 s, doubling, at most 15 minutes. */
    static final int BACKOFF_BASE_SECONDS = 5;
    static final int BACKOFF_MAX_SECONDS = 900;
    static final int PERIOD_SECONDS = 60;
    /** Minutes with failed items before the alarm fires. */
    static final int DATAPOINTS = 2;
    /** The canary of CodeDeploy's predefined configuration the stages use. */
    static final int STAGE_CANARY_MINUTES = 5;

    private CanaryBake() {
    }

    /** {@code B}: the sum of the backoffs between a message's first and last receive. */
    static int backoffSeconds(QueueSpec queue) {
        int total = 0;
        for (int n = 1; n < queue.maxReceiveCount(); n++) {
            total += Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS << Math.min(n - 1, 10));
        }
        return total;
    }

    /** {@code W = max(V, B)}: by then a message that failed has been received again. */
    static int retryWindowSeconds(QueueSpec queue) {
        return Math.max(queue.visibilityTimeoutSeconds(), backoffSeconds(queue));
    }

    /** The failed-items alarm's evaluation periods (of a minute): the retry window and one more. */
    static int evaluationPeriods(QueueSpec queue) {
        return ceilDiv(retryWindowSeconds(queue), PERIOD_SECONDS) + 1;
    }

    /** The canary's bake in minutes: {@code ceil((W + (DATAPOINTS + 1) * 60) / 60)}, at least the stage's. */
    static int bakeMinutes(QueueSpec queue) {
        int seconds = retryWindowSeconds(queue) + (DATAPOINTS + 1) * PERIOD_SECONDS;
        return Math.max(STAGE_CANARY_MINUTES, ceilDiv(seconds, 60));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
