package dev.glint.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OwnerOnlyFilesTest {

    @Test
    void aSecretReplacesTheOldOneAndLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cursor-secret");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        OwnerOnlyFiles.write(file, "new".getBytes(StandardCharsets.US_ASCII));

        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the secret");
        }
    }

    @Test
    void anExistingFolderIsLeftAsItIsAndAMissingOneIsCreatedOwnerOnly(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        OwnerOnlyFiles.createFolder(shared);
        OwnerOnlyFiles.createFolder(dir.resolve("a").resolve("data"));

        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a").resolve("data"))));
    }

    @Test
    void onAFileSystemWithoutPosixPermissionsSecretsAreStillWritten(@TempDir Path dir) throws Exception {
        // A zip file system has no POSIX permissions unless asked to: like FAT or some network mounts.
        URI zip = URI.create("jar:" + dir.resolve("data.zip").toUri());
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Path data = fs.getPath("/data");
            assertFalse(Files.getFileStore(fs.getPath("/")).supportsFileAttributeView(PosixFileAttributeView.class));

            OwnerOnlyFiles.createFolder(data);
            OwnerOnlyFiles.write(data.resolve("cursor-secret"), "secret".getBytes(StandardCharsets.US_ASCII));
            OwnerOnlyFiles.tighten(data.resolve("cursor-secret"));

            assertEquals("secret", Files.readString(data.resolve("cursor-secret")));
        }
    }
}
