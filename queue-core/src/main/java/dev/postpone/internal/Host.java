package dev.postpone.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's name, as the workers and clients tables record it. */
public final class Host {

    private Host() {
    }

    public static String name() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
