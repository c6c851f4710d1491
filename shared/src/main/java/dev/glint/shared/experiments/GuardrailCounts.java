package dev.glint.shared.experiments;

import java.util.Map;

/**
 * Where the api adds its guardrail counts: per experiment, assignment revision and variant, each
 * call one atomic addition of every count given ({@link Guardrails#REQUESTS}, {@link Guardrails#ERRORS},
 * {@link Guardrails#latency}), so containers flushing at once never lose each other's counts.
 */
public interface GuardrailCounts {

    void add(String experimentId, String revision, String variant, Map<String, Long> increments);
}
