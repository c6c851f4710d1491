package dev.glint.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.glint.local.http.JdkHttpServers;
import dev.glint.shared.experiments.AppConfigLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS AppConfig as the local stack answers it, over HTTP in REST JSON (SigV4 not checked, like the
 * other local services): the control-plane calls the api makes ({@code ListHostedConfigurationVersions},
 * {@code GetHostedConfigurationVersion}, {@code CreateHostedConfigurationVersion} with its
 * {@code Latest-Version-Number} lock, {@code StartDeployment}) and the AppConfigData calls the
 * functions make ({@code StartConfigurationSession}, {@code GetLatestConfiguration}), for one
 * application, environment, profile and strategy ({@link #location}; in template mode also known by
 * the template's ids, {@link #answerTo}).
 *
 * <p>State is files under its folder ({@code <data>/appconfig}): each hosted version in
 * {@code versions/<n>.json}, and the deployed configuration in {@code experiments.json}. A deployment
 * is immediate (the strategy's growth and bake are not emulated): it writes the version to
 * {@code experiments.json}. That file is watched: it is read again on every call, and content edited
 * by hand becomes a new hosted version (described "edited by hand"), deployed, so a later change
 * through the API sees it in its version. The content of a version is not validated beyond being
 * JSON; the functions ignore definitions that are not valid.
 */
final class LocalAppConfigServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalAppConfigServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String APPLICATION = "glint";
    static final String ENVIRONMENT = "local";
    static final String PROFILE = "experiments";
    static final String STRATEGY = "immediate";
    static final String DEPLOYED_FILE = "experiments.json";
    private static final Pattern VERSIONS = Pattern.compile(
            "/applications/([^/]+)/configurationprofiles/([^/]+)/hostedconfigurationversions(?:/([0-9]+))?");
    private static final Pattern DEPLOYMENTS = Pattern.compile("/applications/([^/]+)/environments/([^/]+)/deployments");

    private final HttpServer server;
    private final Path dir;
    private final Path versions;
    private final Path deployed;
    /** Token to the digest of the content that session last received ("" before any). */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** The ids it answers to: its own, and a template's (template mode names them by the template's resources). */
    private final java.util.Set<String> applications = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> environments = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> profiles = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> strategies = ConcurrentHashMap.newKeySet();
    private String deployedDigest = "";
    private int deploymentNumber;

    private LocalAppConfigServer(HttpServer server, Path dir) {
        this.server = server;
        this.dir = dir;
        this.versions = dir.resolve("versions");
        this.deployed = dir.resolve(DEPLOYED_FILE);
        answerTo(new AppConfigLocation(APPLICATION, ENVIRONMENT, PROFILE, Optional.of(STRATEGY), Optional.empty(),
                Duration.ofSeconds(1)));
    }

    /**
     * Answers to these ids as well, for the same one profile: template mode gives the functions the
     * template's ids (its resources' references), and the local AppConfig serves them.
     */
    void answerTo(AppConfigLocation location) {
        applications.add(location.application());
        environments.add(location.environment());
        profiles.add(location.profile());
        location.strategy().ifPresent(strategies::add);
    }

    /**
     * Starts over the folder; when it holds no deployed configuration yet, {@code initial} becomes
     * version 1, deployed (as infra-cdk deploys the stage's file first).
     */
    static LocalAppConfigServer start(Path dir, String initial) throws IOException {
        Files.createDirectories(dir.resolve("versions"));
        HttpServer server = JdkHttpServers.loopback(0, 16);
        LocalAppConfigServer appConfig = new LocalAppConfigServer(server, dir);
        synchronized (appConfig) {
            if (!Files.exists(appConfig.deployed)) {
                int version = appConfig.createVersion(initial.getBytes(StandardCharsets.UTF_8), "the stack's initial experiments");
                appConfig.deploy(version);
            }
            appConfig.watch();
        }
        server.createContext("/", appConfig::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "local-appconfig");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return appConfig;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The deployed configuration's file: editing it changes the experiments the functions serve. */
    Path deployedFile() {
        return deployed;
    }

    /** Where the functions find it, polling at most every {@code poll}. */
    AppConfigLocation location(Duration poll) {
        return new AppConfigLocation(APPLICATION, ENVIRONMENT, PROFILE, Optional.of(STRATEGY), Optional.of(endpoint()), poll);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            synchronized (this) {
                watch();
                Matcher versionsPath = VERSIONS.matcher(path);
                Matcher deploymentsPath = DEPLOYMENTS.matcher(path);
                if (path.equals("/configurationsessions") && method.equals("POST")) {
                    startSession(exchange);
                } else if (path.equals("/configuration") && method.equals("GET")) {
                    latest(exchange, query.get("configuration_token"));
                } else if (versionsPath.matches()) {
                    if (!known(exchange, versionsPath.group(1), null, versionsPath.group(2))) {
                        return;
                    }
                    if (versionsPath.group(3) != null && method.equals("GET")) {
                        getVersion(exchange, Integer.parseInt(versionsPath.group(3)));
                    } else if (versionsPath.group(3) == null && method.equals("GET")) {
                        listVersions(exchange, query);
                    } else if (versionsPath.group(3) == null && method.equals("POST")) {
                        createVersion(exchange);
                    } else {
                        error(exchange, 405, "BadRequestException", method + " is not answered on " + path);
                    }
                } else if (deploymentsPath.matches() && method.equals("POST")) {
                    if (known(exchange, deploymentsPath.group(1), deploymentsPath.group(2), null)) {
                        startDeployment(exchange);
                    }
                } else {
                    error(exchange, 404, "ResourceNotFoundException", "The local AppConfig does not answer " + method + " "
                            + path + " (it answers the hosted versions, StartDeployment, StartConfigurationSession and "
                            + "GetLatestConfiguration).");
                }
            }
        } catch (RuntimeException e) {
            LOG.error("local AppConfig failed", e);
            error(exchange, 500, "InternalServerException", "The local AppConfig failed; see its log.");
        }
    }

    private boolean known(HttpExchange exchange, String application, String environment, String profile) throws IOException {
        if (!applications.contains(application) || (environment != null && !environments.contains(environment))
                || (profile != null && !profiles.contains(profile))) {
            error(exchange, 404, "ResourceNotFoundException", "The local AppConfig has applications " + applications
                    + ", environments " + environments + " and profiles " + profiles + " only, for one profile.");
            return false;
        }
        return true;
    }

    private void startSession(HttpExchange exchange) throws IOException {
        JsonNode request = body(exchange);
        if (request == null) {
            return;
        }
        if (!known(exchange, request.path("ApplicationIdentifier").asText(), request.path("EnvironmentIdentifier").asText(),
                request.path("ConfigurationProfileIdentifier").asText())) {
            return;
        }
        JsonNode interval = request.path("RequiredMinimumPollIntervalInSeconds");
        if (!interval.isMissingNode() && (!interval.isInt() || interval.intValue() < 15 || interval.intValue() > 86_400)) {
            error(exchange, 400, "BadRequestException", "RequiredMinimumPollIntervalInSeconds must be from 15 to 86400.");
            return;
        }
        String token = UUID.randomUUID().toString();
        sessions.put(token, "");
        send(exchange, 201, JSON.writeValueAsBytes(Map.of("InitialConfigurationToken", token)), Map.of());
    }

    /** The deployed content when it changed since the session last received it, else an empty body. */
    private void latest(HttpExchange exchange, String token) throws IOException {
        String seen = token == null ? null : sessions.remove(token);
        if (seen == null) {
            error(exchange, 400, "BadRequestException", "The configuration token is unknown or was used already; "
                    + "start a session with StartConfigurationSession.");
            return;
        }
        byte[] content = Files.readAllBytes(deployed);
        String next = UUID.randomUUID().toString();
        sessions.put(next, deployedDigest);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Next-Poll-Configuration-Token", next);
        // Not enforced locally: a function may poll sooner (the local stack's functions poll every second).
        headers.put("Next-Poll-Interval-In-Seconds", "15");
        headers.put("Content-Type", "application/json");
        headers.put("Version-Label", Integer.toString(latestVersion()));
        send(exchange, 200, seen.equals(deployedDigest) ? new byte[0] : content, headers);
    }

    private void listVersions(HttpExchange exchange, Map<String, String> query) throws IOException {
        int max = 50;
        if (query.containsKey("max_results")) {
            try {
                max = Integer.parseInt(query.get("max_results"));
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1 || max > 50) {
                error(exchange, 400, "BadRequestException", "max_results must be from 1 to 50.");
                return;
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode items = out.putArray("Items");
        TreeMap<Integer, Path> all = all();
        for (int number : all.descendingKeySet()) {
            if (items.size() == max) {
                break;
            }
            items.addObject().put("ApplicationId", APPLICATION).put("ConfigurationProfileId", PROFILE)
                    .put("VersionNumber", number).put("ContentType", "application/json");
        }
        send(exchange, 200, JSON.writeValueAsBytes(out), Map.of());
    }

    private void getVersion(HttpExchange exchange, int number) throws IOException {
        Path file = versions.resolve(number + ".json");
        if (!Files.exists(file)) {
            error(exchange, 404, "ResourceNotFoundException", "No hosted configuration version " + number + ".");
            return;
        }
        send(exchange, 200, Files.readAllBytes(file), versionHeaders(number));
    }

    private void createVersion(HttpExchange exchange) throws IOException {
        byte[] content = exchange.getRequestBody().readNBytes(2 * 1024 * 1024 + 1);
        if (content.length > 2 * 1024 * 1024) {
            error(exchange, 413, "PayloadTooLargeException", "A hosted configuration is at most 2 MB.");
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            error(exchange, 400, "BadRequestException", "Content-Type is required.");
            return;
        }
        try {
            JSON.readTree(content);
        } catch (IOException e) {
            error(exchange, 400, "BadRequestException", "The content is not valid JSON (the profile's validator).");
            return;
        }
        String lock = exchange.getRequestHeaders().getFirst("Latest-Version-Number");
        int latest = latestVersion();
        if (lock != null && !lock.equals(Integer.toString(latest))) {
            error(exchange, 409, "ConflictException", "Latest-Version-Number " + lock + " is not the latest version ("
                    + latest + ").");
            return;
        }
        String description = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Description")).orElse("");
        int number = createVersion(content, description);
        send(exchange, 201, content, versionHeaders(number));
    }

    private void startDeployment(HttpExchange exchange) throws IOException {
        JsonNode request = body(exchange);
        if (request == null) {
            return;
        }
        if (!strategies.contains(request.path("DeploymentStrategyId").asText())
                || !profiles.contains(request.path("ConfigurationProfileId").asText())) {
            error(exchange, 404, "ResourceNotFoundException", "The local AppConfig has deployment strategies " + strategies
                    + " and profiles " + profiles + " only.");
            return;
        }
        int version;
        try {
            version = Integer.parseInt(request.path("ConfigurationVersion").asText());
        } catch (NumberFormatException e) {
            error(exchange, 400, "BadRequestException", "ConfigurationVersion must be a hosted version number.");
            return;
        }
        if (!Files.exists(versions.resolve(version + ".json"))) {
            error(exchange, 404, "ResourceNotFoundException", "No hosted configuration version " + version + ".");
            return;
        }
        deploy(version);
        ObjectNode out = JSON.createObjectNode().put("ApplicationId", APPLICATION).put("EnvironmentId", ENVIRONMENT)
                .put("DeploymentStrategyId", STRATEGY).put("ConfigurationProfileId", PROFILE)
                .put("DeploymentNumber", deploymentNumber).put("ConfigurationVersion", Integer.toString(version))
                .put("Description", request.path("Description").asText("")).put("DeploymentDurationInMinutes", 0)
                .put("GrowthFactor", 100.0).put("FinalBakeTimeInMinutes", 0).put("State", "COMPLETE")
                .put("PercentageComplete", 100.0);
        send(exchange, 201, JSON.writeValueAsBytes(out), Map.of());
    }

    private int createVersion(byte[] content, String description) throws IOException {
        int number = latestVersion() + 1;
        write(versions.resolve(number + ".json"), content);
        LOG.info("local AppConfig: hosted version {} created ({})", number, description);
        return number;
    }

    private void deploy(int version) throws IOException {
        byte[] content = Files.readAllBytes(versions.resolve(version + ".json"));
        write(deployed, content);
        deployedDigest = digest(content);
        deploymentNumber++;
        LOG.info("local AppConfig: version {} deployed to {}", version, deployed);
    }

    /** A deployed file changed by hand becomes the next hosted version, deployed. */
    private void watch() throws IOException {
        byte[] content = Files.readAllBytes(deployed);
        String digest = digest(content);
        if (!digest.equals(deployedDigest)) {
            if (!deployedDigest.isEmpty() || all().isEmpty()
                    || !digest.equals(digest(Files.readAllBytes(all().lastEntry().getValue())))) {
                int version = createVersion(content, "edited by hand in " + deployed);
                LOG.info("local AppConfig: {} was edited by hand; it is version {}", deployed, version);
            }
            deployedDigest = digest;
        }
    }

    private int latestVersion() {
        TreeMap<Integer, Path> all = all();
        return all.isEmpty() ? 0 : all.lastKey();
    }

    private TreeMap<Integer, Path> all() {
        TreeMap<Integer, Path> all = new TreeMap<>();
        try (var files = Files.list(versions)) {
            files.forEach(file -> {
                String name = file.getFileName().toString();
                if (name.matches("[0-9]+\\.json")) {
                    all.put(Integer.parseInt(name.substring(0, name.length() - 5)), file);
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return all;
    }

    private static Map<String, String> versionHeaders(int number) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Application-Id", APPLICATION);
        headers.put("Configuration-Profile-Id", PROFILE);
        headers.put("Version-Number", Integer.toString(number));
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        try {
            JsonNode node = JSON.readTree(exchange.getRequestBody().readNBytes(64 * 1024));
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // answered below
        }
        error(exchange, 400, "BadRequestException", "The body is not a JSON object.");
        return null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void write(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".part");
        Files.write(partial, content);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** REST JSON errors as AppConfig gives them: the type in {@code x-amzn-ErrorType}, a message in the body. */
    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        send(exchange, status, JSON.writeValueAsBytes(Map.of("Message", message)), Map.of("x-amzn-ErrorType", type,
                "Content-Type", "application/json"));
    }

    private static void send(HttpExchange exchange, int status, byte[] body, Map<String, String> headers) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
