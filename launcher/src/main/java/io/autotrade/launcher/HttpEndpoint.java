package io.autotrade.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the dashboard and REST API of a {@code paper} or {@code upbit-live} runtime listen: {@code --http [HOST:]PORT}
 * (default {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}) or {@code --http off}. A host that is not a loopback
 * address opens the API to the network and needs {@code --http-public} as well (and the launcher warns).
 *
 * @param host    the address to bind, e.g. {@code 127.0.0.1}; null when off
 * @param port    the TCP port, 1..65535; 0 when off
 * @param enabled whether the HTTP runtime listens at all
 */
record HttpEndpoint(String host, int port, boolean enabled) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8181;

    /** The default: loopback, port {@value #DEFAULT_PORT}. */
    static final HttpEndpoint DEFAULT = new HttpEndpoint(DEFAULT_HOST, DEFAULT_PORT, true);

    /**
     * @param value {@code PORT}, {@code HOST:PORT} or {@code off}
     * @return the endpoint
     * @throws IllegalArgumentException naming {@code --http} when the value is malformed
     */
    static HttpEndpoint parse(String value) {
        if (value.equals("off")) {
            return new HttpEndpoint(null, 0, false);
        }
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? DEFAULT_HOST : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String portText = colon < 0 ? value : value.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--http takes [HOST:]PORT or off, e.g. 8181 or 127.0.0.1:8181; '" + portText
                    + "' is not a port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--http port must be 1..65535, was " + port);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("--http " + value + ": the host before ':' is empty");
        }
        return new HttpEndpoint(host, port, true);
    }

    /** @return whether the host is a loopback address (only this machine can connect) */
    boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--http host '" + host + "' is not a known host or address");
        }
    }

    /**
     * Checks the port is free now, so a user learns it before the runtime starts rather than from Jetty's log.
     *
     * @throws IllegalArgumentException naming the address when it is taken or cannot be bound
     */
    void checkFree() {
        if (!enabled) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "): another program (another autotrade?) uses it; choose another with --http PORT, or --http off");
        }
    }

    /** @return the framework properties of Felix HTTP Jetty that make it listen here (or not at all) */
    Map<String, String> frameworkProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("org.apache.felix.http.enable", Boolean.toString(enabled));
        if (enabled) {
            p.put("org.apache.felix.http.host", host);
            p.put("org.osgi.service.http.port", Integer.toString(port));
        }
        return p;
    }
}
