package io.autotrade.web.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartMakesARandomOwnerOnlyTokenAndLaterStartsReadIt() throws Exception {
        ApiToken first = ApiToken.load(dir);
        Path file = dir.resolve("http.token");
        assertEquals(file, first.file());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).strip();
        assertEquals(43, token.length(), "32 random bytes, base64url without padding");
        assertTrue(first.accepts("Bearer " + token));
        assertTrue(first.accepts("bearer " + token), "the scheme is case-insensitive (RFC 7235, 2.1)");
        assertFalse(first.accepts(null));
        assertFalse(first.accepts(token), "the scheme is required");
        assertFalse(first.accepts("Bearer " + token.substring(1)));
        assertFalse(first.accepts("Bearer " + token + "x"));
        assertFalse(first.accepts("Basic " + token));

        ApiToken again = ApiToken.load(dir);
        assertTrue(again.accepts("Bearer " + token), "a restart keeps the token");
        assertFalse(ApiToken.load(Files.createDirectories(dir.resolve("other"))).accepts("Bearer " + token),
                "another data folder has its own");
    }

    @Test
    void aTokenFileOthersCouldReadIsMadeOwnerOnly() throws Exception {
        Path file = dir.resolve("http.token");
        Files.writeString(file, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ApiToken token = ApiToken.load(dir);
        assertTrue(token.accepts("Bearer abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aFileWithoutAUsableTokenIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("http.token");
        Files.writeString(file, "short\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiToken.load(dir));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("delete it"), e.getMessage());
        assertEquals("short\n", Files.readString(file), "the file is left as it was");
    }
}
