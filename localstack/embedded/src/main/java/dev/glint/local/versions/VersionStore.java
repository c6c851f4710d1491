package dev.glint.local.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The published versions of the functions, kept in the data folder as Lambda keeps them: each version
 * an immutable snapshot of the function's shaded jar ({@code versions/<function>/<n>.jar}), numbered
 * from 1, listed with its handler, digest and time in {@code versions/<function>/manifest.json}.
 */
public final class VersionStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One published version. */
    public record Version(String function, int number, Path jar, String handler, String sha256, Instant published,
                          String description) {
        public String version() {
            return Integer.toString(number);
        }
    }

    private final Path root;

    public VersionStore(Path dataDir) {
        this.root = dataDir.resolve("versions");
    }

    /** Copies the jar as the function's next version, unless it is the same as the newest one (Lambda publishes nothing then). */
    public Version publish(String function, Path jar, String handler, String description) throws IOException {
        return publish(function, jar, handler, description, false);
    }

    /**
     * Copies the jar as the function's next version; with {@code always}, even when it is the newest
     * one's code (a rehearsal publishes the build it deploys with a configuration of its own).
     */
    public synchronized Version publish(String function, Path jar, String handler, String description, boolean always)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; build it with ./mvnw -DskipTests package");
        }
        String digest = sha256(jar);
        List<Version> versions = list(function);
        if (!always && !versions.isEmpty() && versions.get(versions.size() - 1).sha256().equals(digest)
                && versions.get(versions.size() - 1).handler().equals(handler)) {
            return versions.get(versions.size() - 1);
        }
        int number = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).number() + 1;
        Path folder = root.resolve(function);
        Files.createDirectories(folder);
        Path target = folder.resolve(number + ".jar");
        Path partial = folder.resolve(number + ".jar.partial");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        target.toFile().setReadOnly();
        Version version = new Version(function, number, target, handler, digest, Instant.now(), description);
        List<Version> all = new ArrayList<>(versions);
        all.add(version);
        write(function, all);
        return version;
    }

    /** The function's versions, oldest first. */
    public synchronized List<Version> list(String function) throws IOException {
        Path manifest = root.resolve(function).resolve("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            return List.of();
        }
        List<Version> out = new ArrayList<>();
        for (JsonNode node : JSON.readTree(manifest.toFile()).path("versions")) {
            out.add(new Version(function, node.get("version").asInt(), root.resolve(function).resolve(node.get("jar").asText()),
                    node.get("handler").asText(), node.get("sha256").asText(), Instant.parse(node.get("published").asText()),
                    node.path("description").asText("")));
        }
        return List.copyOf(out);
    }

    public Version get(String function, String version) throws IOException {
        return list(function).stream().filter(v -> v.version().equals(version)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(function + " has no version " + version));
    }

    /** The version an alias of the function points to, if it was ever set. */
    public synchronized java.util.Optional<String> alias(String function, String alias) throws IOException {
        Path file = root.resolve(function).resolve("aliases.json");
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        JsonNode version = JSON.readTree(file.toFile()).get(alias);
        return version == null ? java.util.Optional.empty() : java.util.Optional.of(version.asText());
    }

    /** Points the alias to a published version (what a completed deployment leaves behind). */
    public synchronized void setAlias(String function, String alias, String version) throws IOException {
        get(function, version);
        Path file = root.resolve(function).resolve("aliases.json");
        ObjectNode doc = Files.isRegularFile(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
        doc.put(alias, version);
        Path partial = file.resolveSibling("aliases.json.partial");
        JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), doc);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Where the function's traffic split is kept: a running stack watches this file. */
    public Path splitFile(String function) {
        return root.resolve(function).resolve("split.json");
    }

    /** The function's traffic split, if one is set. */
    public synchronized java.util.Optional<dev.glint.shared.split.VersionSplit> split(String function) throws IOException {
        Path file = splitFile(function);
        if (!Files.isRegularFile(file)) {
            return java.util.Optional.empty();
        }
        List<dev.glint.shared.split.VersionSplit.Share> shares = new ArrayList<>();
        for (JsonNode share : JSON.readTree(file.toFile()).path("shares")) {
            shares.add(new dev.glint.shared.split.VersionSplit.Share(share.path("version").asInt(), share.path("weight").asInt()));
        }
        return java.util.Optional.of(new dev.glint.shared.split.VersionSplit(function, shares));
    }

    /**
     * Sets the function's traffic split, after checking that every version it names is published.
     *
     * @throws IllegalArgumentException naming the versions that are not
     */
    public synchronized void setSplit(dev.glint.shared.split.VersionSplit split) throws IOException {
        List<String> published = list(split.function()).stream().map(Version::version).toList();
        List<String> missing = split.shares().stream().map(s -> Integer.toString(s.version()))
                .filter(v -> !published.contains(v)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(split.function() + " has no version " + String.join(", ", missing)
                    + (published.isEmpty() ? "; publish one with ./glint versions publish " + split.function()
                    : " (published: " + String.join(", ", published) + ")"));
        }
        ObjectNode doc = JSON.createObjectNode().put("function", split.function()).put("updated", Instant.now().toString());
        ArrayNode shares = doc.putArray("shares");
        split.shares().forEach(s -> shares.addObject().put("version", s.version()).put("weight", s.weight()));
        Path file = splitFile(split.function());
        Path partial = file.resolveSibling("split.json.partial");
        JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), doc);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the function's split: the running stack serves its own build again. */
    public synchronized boolean clearSplit(String function) throws IOException {
        return Files.deleteIfExists(splitFile(function));
    }

    private void write(String function, List<Version> versions) throws IOException {
        ObjectNode doc = JSON.createObjectNode().put("function", function);
        ArrayNode list = doc.putArray("versions");
        for (Version v : versions) {
            list.addObject().put("version", v.version()).put("jar", v.jar().getFileName().toString()).put("handler", v.handler())
                    .put("sha256", v.sha256()).put("published", v.published().toString()).put("description", v.description());
        }
        Path manifest = root.resolve(function).resolve("manifest.json");
        Path partial = manifest.resolveSibling("manifest.json.partial");
        JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), doc);
        Files.move(partial, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
