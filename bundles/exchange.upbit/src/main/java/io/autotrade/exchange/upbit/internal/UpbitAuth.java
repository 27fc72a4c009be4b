package io.autotrade.exchange.upbit.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Upbit request authentication (Upbit API docs, "Authentication"): an {@code Authorization: Bearer}
 * JWT signed with the secret key (HMAC, HS256: Upbit accepts HS256 and HS512, and its 40-character
 * secret keys are shorter than the 64 bytes RFC 7518 section 3.2 requires of an HS512 key, which Nimbus
 * enforces), claims {@code access_key}, {@code nonce} (a fresh UUID per
 * request) and, for a request with parameters, {@code query_hash} (hex SHA-512 of the unencoded query
 * string, see {@link Query#signed()}) and {@code query_hash_alg} = {@code SHA512}. Signing is Nimbus
 * JOSE+JWT's.
 */
final class UpbitAuth {
    private final Credentials credentials;
    private final Supplier<String> nonces;
    private final MACSigner signer;

    /**
     * @param credentials the key pair
     * @param nonces      a fresh nonce per call ({@code UUID.randomUUID()} in production)
     * @throws IllegalArgumentException if the secret key is shorter than HS256 allows (32 bytes)
     */
    UpbitAuth(Credentials credentials, Supplier<String> nonces) {
        this.credentials = credentials;
        this.nonces = nonces;
        try {
            this.signer = new MACSigner(credentials.secretKey().getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the Upbit secret key cannot sign HS256 tokens (it is too short): " + e.getMessage());
        }
    }

    /** @param credentials the key pair; nonces are random UUIDs */
    UpbitAuth(Credentials credentials) {
        this(credentials, () -> UUID.randomUUID().toString());
    }

    /**
     * @param query the request's parameters (may be empty)
     * @return the {@code Authorization} header value: {@code Bearer <jwt>}
     */
    String authorization(Query query) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("access_key", credentials.accessKey())
                .claim("nonce", nonces.get());
        if (!query.isEmpty()) {
            claims.claim("query_hash", sha512Hex(query.signed())).claim("query_hash_alg", "SHA512");
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the Upbit request token: " + e.getMessage(), e);
        }
        return "Bearer " + jwt.serialize();
    }

    /** @return the lowercase hex SHA-512 of the text's UTF-8 bytes */
    static String sha512Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}
