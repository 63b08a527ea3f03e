package dev.postpone.cli;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/** Turns a failed connection attempt into one line that says what failed and which setting to check. */
final class ConnectionFailure {

    private ConnectionFailure() {
    }

    static CliException of(SQLException e, DatabaseTarget target) {
        String reason = reason(e);
        return new CliException(ExitCode.UNREACHABLE, "cannot connect to " + target.address() + ": " + reason
                + "; check " + hint(target), e);
    }

    private static String reason(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return "Connection refused";
            if (t instanceof UnknownHostException) return "unknown host " + t.getMessage();
            if (t instanceof NoRouteToHostException) return "no route to host";
            if (t instanceof SocketTimeoutException) return "timed out";
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = firstLine(e.getMessage());
        return state.startsWith("28") ? "authentication failed (" + message + ")" : message;
    }

    private static String hint(DatabaseTarget target) {
        String settings = "--database-url or " + DatabaseTarget.URL_VARIABLE;
        return target.source().startsWith("--") || target.source().equals(DatabaseTarget.URL_VARIABLE)
                ? settings : settings + " (now taken from " + target.source() + ")";
    }

    static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
