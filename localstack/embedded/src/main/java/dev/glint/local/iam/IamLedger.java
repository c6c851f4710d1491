package dev.glint.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each function's role granted and what its calls used: every grant is one (statement, action
 * pattern, resource pattern) of an {@code Allow}; a call allowed by a statement uses the grants of that
 * statement whose action and resource it matches. A grant no call used is a candidate for removal.
 */
public final class IamLedger {

    private record Grant(String statement, String action, String resource) {
    }

    private final Map<String, List<Statement>> roles = new ConcurrentHashMap<>();
    private final Map<String, Map<Grant, LongAdder>> used = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> calls = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> denied = new ConcurrentHashMap<>();

    public void register(String function, List<Statement> statements) {
        roles.put(function, List.copyOf(statements));
    }

    void record(String function, AccessRequest access, PolicyEvaluator.Decision decision) {
        String call = access.action() + " " + access.resource();
        if (!decision.allowed()) {
            denied.computeIfAbsent(function, f -> new ConcurrentHashMap<>()).computeIfAbsent(call, c -> new LongAdder()).increment();
            return;
        }
        calls.computeIfAbsent(function, f -> new ConcurrentHashMap<>()).computeIfAbsent(call, c -> new LongAdder()).increment();
        Statement statement = decision.statement().orElseThrow();
        var grants = used.computeIfAbsent(function, f -> new ConcurrentHashMap<>());
        for (String action : statement.actions()) {
            if (statement.notAction() || Wildcards.matches(action, access.action(), true)) {
                for (String resource : statement.resources()) {
                    if (statement.notResource() || Wildcards.matches(resource, access.resource(), false)) {
                        grants.computeIfAbsent(new Grant(statement.source(), action, resource), g -> new LongAdder()).increment();
                    }
                }
            }
        }
    }

    /** Per function: its grants with how often each was used, the unused ones, the calls made and the calls denied. */
    public Map<String, Object> report() {
        Map<String, Object> out = new TreeMap<>();
        for (var role : new TreeMap<>(roles).entrySet()) {
            String function = role.getKey();
            List<Map<String, Object>> granted = new ArrayList<>();
            List<String> unused = new ArrayList<>();
            var grants = used.getOrDefault(function, Map.of());
            for (Statement statement : role.getValue()) {
                if (!statement.allow()) {
                    continue;
                }
                for (String action : statement.actions()) {
                    for (String resource : statement.resources()) {
                        LongAdder count = grants.get(new Grant(statement.source(), action, resource));
                        long n = count == null ? 0 : count.sum();
                        Map<String, Object> grant = new LinkedHashMap<>();
                        grant.put("action", (statement.notAction() ? "NotAction " : "") + action);
                        grant.put("resource", (statement.notResource() ? "NotResource " : "") + resource);
                        grant.put("statement", statement.source());
                        grant.put("used", n);
                        granted.add(grant);
                        if (n == 0) {
                            unused.add(action + " on " + resource);
                        }
                    }
                }
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("granted", granted.size());
            entry.put("unused", unused);
            entry.put("calls", counts(calls.get(function)));
            entry.put("denied", counts(denied.get(function)));
            entry.put("grants", granted);
            out.put(function, entry);
        }
        return out;
    }

    /** Calls denied so far, per function (tests and the stop summary). */
    public Map<String, Long> deniedCalls(String function) {
        return counts(denied.get(function));
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(report()));
    }

    private static Map<String, Long> counts(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        if (counters != null) {
            counters.forEach((k, v) -> out.put(k, v.sum()));
        }
        return out;
    }
}
