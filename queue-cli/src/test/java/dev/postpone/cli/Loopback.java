package dev.postpone.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;

/** Whether a port is reachable from this host's loopback address only, as endpoints are by default. */
final class Loopback {

    private Loopback() {
    }

    static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** An IPv4 address of this machine other than loopback, or null when it has none. */
    static String nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && a instanceof Inet4Address)
                .map(InetAddress::getHostAddress).findFirst().orElse(null);
    }
}
