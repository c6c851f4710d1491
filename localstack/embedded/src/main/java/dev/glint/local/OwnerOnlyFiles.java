package dev.glint.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The local stack's secrets on disk (the token-signing key, the cursor secret, {@code stack.env}),
 * readable and writable by their owner only: with the signing key, anyone could mint a token for any
 * user, the product group included. A secret is written to a temporary file created {@code 0600} and
 * moved into place, so it is never readable by others, not even for a moment; one found looser at
 * start is tightened. The data folder the stack creates is {@code 0700}. A file system without POSIX
 * permissions keeps its own access rules: the stack goes on and says so.
 */
final class OwnerOnlyFiles {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} {@code 0700} if it is missing (its parents as usual); an existing folder is left as it is. */
    static void createFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (posix(parent)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(FOLDER));
            } else {
                warnNoPosix(dir);
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Replaces {@code file} with {@code content}, through a temporary file that is {@code 0600} from its creation. */
    static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = posix(dir);
        if (!posix) {
            warnNoPosix(file);
        }
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly);
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Makes an existing secret {@code 0600} if it is looser (a file written before the stack kept its
     * secrets private, or copied in), and logs that it did.
     */
    static void tighten(Path file) throws IOException {
        if (!posix(file)) {
            warnNoPosix(file);
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
        if (current.equals(FILE)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, FILE);
        } catch (FileSystemException e) {
            // A file system that reports modes but cannot change them (vfat, some network mounts).
            LOG.warn("{} is {} and its permissions cannot be changed ({}): make sure only you can read the data folder",
                    file, PosixFilePermissions.toString(current), e.getReason() == null ? e.toString() : e.getReason());
            return;
        }
        LOG.warn("{} was {}; it holds a secret, so it is now {} (readable and writable by its owner only)",
                file, PosixFilePermissions.toString(current), PosixFilePermissions.toString(FILE));
    }

    private static boolean posix(Path path) throws IOException {
        return Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    private static void warnNoPosix(Path path) {
        LOG.warn("the file system of {} has no POSIX permissions: it keeps its own access rules, so make sure only you "
                + "can read the data folder (it holds the token-signing key and the cursor secret)", path);
    }
}
