package dev.glint.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./glint up}: starts the whole local stack, prints where everything is, and stops cleanly on
 * Ctrl-C. Options: {@code --port N} (8080), {@code --data DIR} (.glint/data), {@code --fresh}
 * (start from an empty data folder), {@code --memory} (keep nothing on disk), {@code --no-demo}
 * (do not seed the demo users and posts), {@code --celebrity-threshold N} (authors with N followers
 * or more are pulled at read time instead of fanned out: a few users are enough to try the hybrid feed).
 */
public final class GlintUp {

    private GlintUp() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        int port = 8080;
        Path data = Path.of(".glint", "data");
        boolean fresh = false;
        boolean memory = false;
        boolean demo = true;
        double faults = 0;
        long faultLatencyMs = 50;
        long celebrityThreshold = dev.glint.shared.config.GlintConfig.DEFAULT_CELEBRITY_THRESHOLD;
        Path template = null;
        Path iamReport = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--data" -> data = Path.of(value(args, ++i, "--data"));
                case "--fresh" -> fresh = true;
                case "--memory" -> memory = true;
                case "--no-demo" -> demo = false;
                case "--faults" -> faults = parseShare(value(args, ++i, "--faults"));
                case "--fault-latency" -> faultLatencyMs = parseMillis(value(args, ++i, "--fault-latency"));
                case "--celebrity-threshold" -> celebrityThreshold = parseFollowers(value(args, ++i, "--celebrity-threshold"));
                case "--template" -> template = Path.of(value(args, ++i, "--template"));
                case "--iam-report" -> iamReport = Path.of(value(args, ++i, "--iam-report"));
                case "-h", "--help" -> {
                    System.out.println("usage: ./glint up [--port 8080] [--data DIR] [--fresh] [--memory] [--no-demo]"
                            + " [--faults SHARE] [--fault-latency MS] [--celebrity-threshold N]"
                            + " [--template PATH [--iam-report FILE]]");
                    System.out.println("  --template PATH   start from a synthesized stage template (a .template.json, or a cdk.out"
                            + " folder: its dev stage), with each function's IAM role enforced");
                    System.out.println("  --iam-report FILE with --template: write at stop each function's granted permissions"
                            + " against the ones it used");
                    return;
                }
                default -> fail("unknown option " + args[i] + " (try --help)");
            }
        }
        if (iamReport != null && template == null) {
            fail("--iam-report needs --template: IAM is enforced in template mode only");
        }
        if (template != null) {
            try {
                template = dev.glint.local.template.TemplateFiles.find(template);
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }
        if (fresh && !memory) {
            refuseIfInUse(data);
            deleteTree(data);
        }
        EmbeddedStack.Options options = EmbeddedStack.Options.defaults().withGatewayPort(port)
                .withDataDir(memory ? null : data).withCelebrityThreshold(celebrityThreshold)
                .withExperimentChecks(EmbeddedStack.EXPERIMENT_CHECKS);
        if (template != null) {
            options = options.withTemplate(template);
        }
        // ./glint split: the api follows the data folder's traffic split between published versions.
        VersionSplits splits = memory || template != null ? null : new VersionSplits(data);
        if (splits != null) {
            options = options.withDecorator(splits.decorator());
        }
        if (faults > 0) {
            // Local only: the functions' AWS calls fail at this share and wait up to the latency.
            options = options.withFaults(new FaultInjector(faults, java.time.Duration.ofMillis(faultLatencyMs),
                    System.nanoTime()));
            System.out.println("Fault injection on: " + faults * 100 + " % of the functions' DynamoDB, S3 and SQS calls fail, "
                    + "each waits up to " + faultLatencyMs + " ms");
        }
        EmbeddedStack stack;
        try {
            stack = EmbeddedStack.start(options);
        } catch (java.net.BindException e) {
            fail("port " + port + " is in use; pass --port with another one");
            return;
        } catch (IllegalStateException | dev.glint.local.template.Intrinsics.Unresolvable e) {
            fail(e.getMessage());
            return;
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(GlintUp.class).error("the local stack could not start", e);
            fail("the local stack could not start: " + e);
            return;
        }
        if (splits != null) {
            splits.start(stack);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Path report = iamReport;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Glint local stack...");
            if (report != null) {
                stack.iamLedger().ifPresent(ledger -> {
                    try {
                        ledger.write(report);
                        System.out.println("IAM report written to " + report.toAbsolutePath());
                    } catch (IOException e) {
                        System.err.println("glint up: cannot write the IAM report " + report + ": " + e.getMessage());
                    }
                });
            }
            if (splits != null) {
                splits.close();
            }
            stack.close();
            stopped.countDown();
        }, "glint-shutdown"));

        String demoUsers = "none (--no-demo)";
        if (demo) {
            demoUsers = (DemoData.seed(stack.apiEndpoint()) ? "seeded: " : "kept: ") + String.join(", ", DemoData.USERS);
        }
        String health = health(stack.apiEndpoint());
        double seconds = (System.nanoTime() - started) / 1e9;
        URI api = stack.apiEndpoint();
        System.out.printf("""

                Glint local stack is up in %.1f s.
                  API           %s   (health: %s/health)
                  Web client    %s   (sign in as alice)
                  Sign-in       %s   (Cognito's managed login, emulated: /oauth2/authorize, /oauth2/token, /logout)
                  Tokens        POST %s/v1/dev/token {"username":"alice"}
                  JWKS          %s/.well-known/jwks.json
                  WebSocket     %s
                  DynamoDB      %s   table %s
                  SQS           %s
                  S3            %s
                  Data          %s
                  Demo users    %s
                  Celebrities   %,d followers or more: their posts are pulled at read time, not fanned out
                  Resources     %s
                  Health        %s
                Press Ctrl-C to stop.
                %n""", seconds, api, api, api,
                template == null ? stack.managedLoginEndpoint() : "not emulated in template mode (sign in by name)", api, api,
                webSocket(stack),
                stack.dynamoEndpoint(), stack.config().table(),
                stack.sqsEndpoint(), stack.s3Endpoint(),
                memory ? "in memory (nothing kept)" : data.toAbsolutePath(), demoUsers,
                stack.config().celebrityThreshold(),
                template == null ? "built-in description (GlintResources)" : "template " + template + ", IAM enforced", health);
        stopped.await();
    }

    private static String webSocket(EmbeddedStack stack) {
        try {
            return stack.webSocketEndpoint() + "?token=<token>   (then {\"action\":\"subscribe\",\"topics\":[\"notifications\"]})";
        } catch (IllegalStateException e) {
            return "none: the template has no WebSocket API";
        }
    }

    private static String health(URI api) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(api.resolve("/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static int parsePort(String raw) {
        try {
            int port = Integer.parseInt(raw);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("--port takes a number from 0 to 65535, not " + raw);
        return -1;
    }

    private static double parseShare(String raw) {
        try {
            double share = Double.parseDouble(raw);
            if (share >= 0 && share < 1) {
                return share;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("--faults takes a share from 0 to below 1, such as 0.05, not " + raw);
        return 0;
    }

    private static long parseFollowers(String raw) {
        try {
            long followers = Long.parseLong(raw);
            if (followers >= 1) {
                return followers;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("--celebrity-threshold takes a whole number of followers from 1, not " + raw);
        return 0;
    }

    private static long parseMillis(String raw) {
        try {
            long millis = Long.parseLong(raw);
            if (millis >= 0) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("--fault-latency takes whole milliseconds, not " + raw);
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            fail(option + " needs a value");
        }
        return args[i];
    }

    private static void refuseIfInUse(Path data) throws IOException {
        Path lockFile = data.resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (var channel = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE);
             var lock = channel.tryLock()) {
            if (lock == null) {
                fail("another Glint local stack is using " + data.toAbsolutePath() + "; stop it before --fresh");
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void fail(String message) {
        System.err.println("glint up: " + message);
        System.exit(2);
    }
}
