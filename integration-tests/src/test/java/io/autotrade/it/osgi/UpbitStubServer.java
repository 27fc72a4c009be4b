package io.autotrade.it.osgi;

import io.autotrade.testing.upbit.UpbitStub;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the loopback Upbit outside the framework (in Pax Exam's configuration step, on the class
 * path of the JVM that runs Felix) and keeps it for the JVM's life. Only JDK types cross this class's
 * methods: the probe bundle inside the framework never loads the stub's classes; it talks to the stub
 * over HTTP ({@link StubControl}).
 */
final class UpbitStubServer {
    /** The access key the runtime is configured with. */
    static final String ACCESS_KEY = "it-access-key-0123456789abcdef0123456789";
    /** The secret key: 40 characters, as Upbit's. */
    static final String SECRET_KEY = "it-secret-key-0123456789abcdef0123456789";

    private static UpbitStub stub;

    private UpbitStubServer() {
    }

    /**
     * Starts the stub (once) with real KRW-BTC minute candles (the repository's 2020-02-20 file) moved in
     * time so the last one opened three minutes ago, and 10,000,000 KRW.
     *
     * @return {@code rest}, {@code ws} and {@code control} URLs
     */
    static synchronized Map<String, String> start() {
        if (stub == null) {
            stub = new UpbitStub(ACCESS_KEY, SECRET_KEY, 1, new BigDecimal("10000000"));
            Path csv = Paths.get("..", "data", "upbit", "KRW-BTC_1m_2020-02-20.csv");
            Instant lastOpen = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));
            stub.candles("KRW-BTC", UpbitStub.retimed(UpbitStub.read(csv), lastOpen));
            Runtime.getRuntime().addShutdownHook(new Thread(stub::close));
        }
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("rest", stub.restUrl());
        urls.put("ws", stub.wsUrl());
        urls.put("control", stub.controlUrl());
        return urls;
    }
}
