package io.autotrade.exchange.upbit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The request token against values computed without the adapter's code: the HMAC with the JDK's
 * {@code Mac}, the query hash with {@code sha512sum} of the same text.
 */
class UpbitAuthTest {
    static final Credentials KEYS = new Credentials("a7Xd92LmQW3vBtRzYpMj5CxNKeT1HuVs0fFgJcAw", "s3cr3tK3yOfForty0Characters0000000000000");

    private static JsonNode part(String token, int i) {
        return UpbitJson.parse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[i]), StandardCharsets.UTF_8), "jwt");
    }

    static boolean signatureValid(String token, String secret) throws Exception {
        String[] p = token.split("\\.");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(expected).equals(p[2]);
    }

    @Test
    void aTokenWithParametersCarriesTheirHashAndIsSignedWithTheSecretKey() throws Exception {
        Query q = new Query().add("market", "KRW-BTC").add("side", "bid").add("ord_type", "limit").add("volume", "0.01")
                .add("price", "100000000").add("identifier", "abc");
        String header = new UpbitAuth(KEYS, () -> "b2f1e3f8-2dc1-4d6f-a838-c74c49b0e39a").authorization(q);
        assertTrue(header.startsWith("Bearer "));
        String token = header.substring("Bearer ".length());
        assertEquals("HS256", part(token, 0).path("alg").asText());
        JsonNode claims = part(token, 1);
        assertEquals(KEYS.accessKey(), claims.path("access_key").asText());
        assertEquals("b2f1e3f8-2dc1-4d6f-a838-c74c49b0e39a", claims.path("nonce").asText());
        assertEquals("SHA512", claims.path("query_hash_alg").asText());
        // printf 'market=KRW-BTC&side=bid&ord_type=limit&volume=0.01&price=100000000&identifier=abc' | sha512sum
        assertEquals("a8c7813be901626edcd88c8b9c2646e862440064f408f460799bc5f7e697e9a2ecfcb729d58bb10784ba7307c25927e7822759a2a2d4d2b82983dc76981059b8",
                claims.path("query_hash").asText());
        assertTrue(signatureValid(token, KEYS.secretKey()));
        assertFalse(signatureValid(token, KEYS.secretKey().replace('0', '1')), "another key does not verify it");
    }

    @Test
    void aTokenWithoutParametersHasNoHashAndEachHasItsOwnNonce() {
        UpbitAuth auth = new UpbitAuth(KEYS);
        JsonNode a = part(auth.authorization(new Query()).substring(7), 1);
        JsonNode b = part(auth.authorization(new Query()).substring(7), 1);
        assertFalse(a.has("query_hash"));
        assertFalse(a.path("nonce").asText().equals(b.path("nonce").asText()));
    }

    @Test
    void arrayParametersAreHashedUnencodedAndSentEncoded() {
        Query q = new Query().add("market", "KRW-BTC").addAll("states", java.util.List.of("wait", "watch"));
        assertEquals("market=KRW-BTC&states[]=wait&states[]=watch", q.signed());
        assertEquals("market=KRW-BTC&states%5B%5D=wait&states%5B%5D=watch", q.encoded());
        // printf 'uuid=cdd92199-2897-4e14-9448-f923320408ad' | sha512sum
        assertEquals("79bbec9454274d296b69505bda5f84d5e17b129499e1e1930e51fc3f15b8c4f5d3b13529c558fe30865bde47a8769ca26377f5c55fff94629be3caf7f1ba024e",
                UpbitAuth.sha512Hex("uuid=cdd92199-2897-4e14-9448-f923320408ad"));
    }

    @Test
    void keysNeverShowAndMissingOnesAreNamedWithoutValues() {
        assertFalse(KEYS.toString().contains(KEYS.accessKey()) || KEYS.toString().contains(KEYS.secretKey()));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new Credentials("a", " "));
        assertTrue(missing.getMessage().contains("UPBIT_SECRET_KEY"));
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> new UpbitAuth(new Credentials("a", "short-secret")));
        assertFalse(tooShort.getMessage().contains("short-secret"), "the message does not show the key");
    }
}
