package dev.glint.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web client in a real browser: Debian's Chromium, driven by playwright-core from
 * every {@code src/test/browser/*.test.mjs} file, one at a time (node's own test runner), against this class's stack. A
 * new user signs in, onboards and shares a photo that shows in their feed once processed; a second
 * user follows, likes and comments; the first sees the notifications. Another signs in through the
 * managed login emulation (the authorization code flow with PKCE), stays signed in across a reload and
 * signs out through its logout endpoint; a like reaches its author's open page over the realtime socket
 * within seconds, with no reload and no polling (the page is live). Each view is checked with
 * axe-core and photographed into {@code target/browser/}. The node process's output is printed as it
 * runs; the test passes when it exits 0.
 *
 * <p>Chromium must be installed ({@code .ci/run} installs it with apt-get): without it the test fails,
 * it never skips. The browser tests' npm packages are installed by the build (pom.xml, npm ci).
 */
class WebClientBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("glint.chromium", "/usr/bin/chromium"));
    private static final Path TESTS = Path.of("src/test/browser").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target/browser").toAbsolutePath();
    private static final Duration LIMIT = Duration.ofMinutes(6);

    @RegisterExtension
    static final StackExtension STACK = StackExtension.perClass(options -> options.withVisibilityTimeout(1));
    @StackExtension.Inject
    private static EmbeddedStack stack;

    @Test
    void aNewUserSharesAPhotoAndASecondFollowsLikesAndCommentsInARealBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + ": run .ci/run (it installs it) or `apt-get update && apt-get install -y chromium`");
        assertTrue(Files.isDirectory(TESTS.resolve("node_modules/playwright-core")),
                "playwright-core is not installed in " + TESTS + ": the build's npm ci (pom.xml) installs it");

        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec", "--test-concurrency=1"));
        try (var files = Files.list(TESTS)) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".test.mjs")).sorted().forEach(command::add);
        }
        ProcessBuilder node = new ProcessBuilder(command)
                .directory(TESTS.toFile())
                .redirectErrorStream(true);
        node.environment().put("GLINT_URL", stack.apiEndpoint().toString());
        node.environment().put("CHROMIUM", CHROMIUM.toString());
        node.environment().put("GLINT_SCREENSHOTS", SCREENSHOTS.toString());
        long started = System.nanoTime();
        Process process = node.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println("[browser] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (java.io.IOException e) {
                synchronized (output) {
                    output.append("(output cut: ").append(e).append(")\n");
                }
            }
        }, "browser-output");
        reader.start();
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5_000);
            fail("the browser journey took longer than " + LIMIT + ":\n" + output);
        }
        reader.join(5_000);
        System.out.printf("[browser] node exited %d after %.1f s; screenshots in %s%n", process.exitValue(),
                (System.nanoTime() - started) / 1e9, SCREENSHOTS);

        assertEquals(0, process.exitValue(), "the browser journey failed:\n" + output);
    }
}
