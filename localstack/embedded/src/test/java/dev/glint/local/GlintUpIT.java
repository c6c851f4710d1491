package dev.glint.local;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./glint up}'s own entry point, in a child JVM as the launcher starts it: the celebrity
 * threshold it is given reaches the functions' configuration and its banner says so.
 */
class GlintUpIT {

    @Test
    void theCelebrityThresholdReachesTheStackAndIsInTheBanner() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), GlintUp.class.getName(),
                "--memory", "--no-demo", "--port", "0", "--celebrity-threshold", "3").redirectErrorStream(true).start();
        try {
            List<String> lines = new ArrayList<>();
            CompletableFuture<Void> up = CompletableFuture.runAsync(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        if (line.startsWith("Press Ctrl-C")) {
                            return;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            up.get(120, TimeUnit.SECONDS);

            synchronized (lines) {
                assertTrue(lines.stream().anyMatch(line -> line.trim().equals(
                        "Celebrities   3 followers or more: their posts are pulled at read time, not fanned out")), String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(line -> line.trim().startsWith("Health        200")), String.join("\n", lines));
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
