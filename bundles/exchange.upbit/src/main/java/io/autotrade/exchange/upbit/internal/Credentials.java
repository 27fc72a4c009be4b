package io.autotrade.exchange.upbit.internal;

/**
 * An Upbit API key pair. {@link #toString()} shows neither key, so the pair cannot reach a log, an
 * event, an exception message or the shell by accident.
 *
 * @param accessKey the access key (claim {@code access_key})
 * @param secretKey the secret key, used raw (not base64-decoded) as the HMAC key
 */
record Credentials(String accessKey, String secretKey) {

    /** @throws IllegalArgumentException if a key is blank (the message names which, not its value) */
    Credentials {
        if (accessKey == null || accessKey.isBlank()) {
            throw new IllegalArgumentException("the Upbit access key is missing (access.key or UPBIT_ACCESS_KEY)");
        }
        if (secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("the Upbit secret key is missing (secret.key or UPBIT_SECRET_KEY)");
        }
    }

    @Override
    public String toString() {
        return "Credentials[access key ****, secret key ****]";
    }
}
