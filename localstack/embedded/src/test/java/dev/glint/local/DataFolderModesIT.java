package dev.glint.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stack's secrets are its owner's alone: the data folder it creates is {@code 0700}; the
 * token-signing key, the cursor secret and {@code stack.env} (which repeats the cursor secret) are
 * {@code 0600}; and a restart over secrets left {@code 0644} (by an older stack, or a copy) tightens
 * them and keeps using them.
 */
class DataFolderModesIT {

    @RegisterExtension
    static final StackExtension STACKS = StackExtension.onDemand();

    private static final List<String> SECRETS = List.of("jwt-signing-key.der", "cursor-secret", "stack.env");

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static void assertOwnerOnly(Path data) throws Exception {
        assertEquals("rwx------", mode(data), "the data folder");
        for (String secret : SECRETS) {
            assertEquals("rw-------", mode(data.resolve(secret)), secret);
        }
    }

    @Test
    void secretsAreOwnerOnlyAfterAStartAndAfterARestartOverLooseFiles(@TempDir Path temp) throws Exception {
        Path data = temp.resolve("data");
        byte[] key;
        String cursorSecret;
        try (EmbeddedStack first = STACKS.start(options -> options.withDataDir(data))) {
            assertOwnerOnly(data);
            key = Files.readAllBytes(data.resolve("jwt-signing-key.der"));
            cursorSecret = Files.readString(data.resolve("cursor-secret"));
            assertEquals(200, devToken(first.apiEndpoint()));
        }

        for (String secret : List.of("jwt-signing-key.der", "cursor-secret")) {
            Files.setPosixFilePermissions(data.resolve(secret), PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.writeString(data.resolve("stack.env"), "# left by a stack that was killed\n");
        Files.setPosixFilePermissions(data.resolve("stack.env"), PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedStack second = STACKS.start(options -> options.withDataDir(data))) {
            assertOwnerOnly(data);
            assertArrayEquals(key, Files.readAllBytes(data.resolve("jwt-signing-key.der")), "the same key, tightened");
            assertEquals(cursorSecret, Files.readString(data.resolve("cursor-secret")), "the same secret, tightened");
            assertEquals(200, devToken(second.apiEndpoint()));
        }
    }

    private static int devToken(URI api) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.resolve("/v1/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
