package io.autotrade.web.api.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The runtime's API token: 32 random bytes (base64url, 43 characters), created on the first start in
 * {@code <data folder>/http.token} with mode 0600 (owner read/write only) and read from there afterwards. It is
 * never logged or put in an event.
 */
final class ApiToken {
    /** The token file's name in the data folder. */
    static final String FILE = "http.token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private final byte[] secret;
    private final Path file;

    private ApiToken(String secret, Path file) {
        this.secret = secret.getBytes(StandardCharsets.US_ASCII);
        this.file = file;
    }

    /**
     * @param folder the runtime's data folder
     * @return the token kept there, created now if there is none
     * @throws UncheckedIOException     if the file cannot be created or read
     * @throws IllegalArgumentException if the file holds no usable token (fewer than 32 characters), naming it
     */
    static ApiToken load(Path folder) {
        Path file = folder.resolve(FILE);
        try {
            Files.createDirectories(folder);
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                try {
                    if (posix(folder)) {
                        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    } else {
                        Files.createFile(file);
                    }
                    Files.writeString(file, token + System.lineSeparator(), StandardCharsets.US_ASCII);
                    return new ApiToken(token, file);
                } catch (FileAlreadyExistsException raced) {
                    // another runtime on the same folder made it first: read theirs
                }
            }
            if (posix(folder) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY); // a copied file may have been readable by others
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.length() < 32 || !token.matches("[A-Za-z0-9_\\-.~+/=]+")) {
                throw new IllegalArgumentException(file + " holds no usable API token (at least 32 characters, no spaces);"
                        + " delete it and restart to get a new one");
            }
            return new ApiToken(token, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the API token " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean posix(Path folder) {
        return folder.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** @return where the token is kept */
    Path file() {
        return file;
    }

    /**
     * @param authorization an {@code Authorization} header, or null
     * @return whether it is {@code Bearer <this token>} (compared in constant time)
     */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(secret, given);
    }
}
