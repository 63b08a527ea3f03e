package dev.postpone.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Decides, per request, who is asking: the host application's authentication. Empty means "refuse":
 * the dashboard answers 401 (with {@link #challenge()} as {@code WWW-Authenticate} when there is one).
 * The name returned is written to the action log.
 *
 * <pre>{@code
 * Authenticator sso = request -> request.header("x-forwarded-user");   // behind an authenticating proxy
 * Authenticator host = Authenticator.hostUser();                        // the server authenticated the request
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {

    Optional<String> authenticate(DashboardRequest request);

    /** The {@code WWW-Authenticate} header of a 401, or null for none. */
    default String challenge() {
        return null;
    }

    /**
     * Lets everyone in, as "anonymous": only for a dashboard bound to localhost, or behind a host
     * that authenticates before the request gets here.
     */
    static Authenticator anyone() {
        return request -> Optional.of("anonymous");
    }

    /**
     * The user the host server authenticated ({@link DashboardRequest#hostUser()}): a servlet container
     * or Spring Security in front of the dashboard, or the JDK server's own {@code Authenticator}.
     * No such user means 401.
     */
    static Authenticator hostUser() {
        return request -> Optional.ofNullable(request.hostUser());
    }

    /** HTTP basic authentication with one user name and password (compared in constant time). */
    static Authenticator basic(String user, String password) {
        if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("basic authentication needs a user name and a non-empty password");
        }
        byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return new Authenticator() {
            @Override
            public Optional<String> authenticate(DashboardRequest request) {
                Optional<String> header = request.header("authorization");
                if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(header.get().substring(6).strip());
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
                return MessageDigest.isEqual(given, expected) ? Optional.of(user) : Optional.empty();
            }

            @Override
            public String challenge() {
                return "Basic realm=\"Postpone dashboard\", charset=\"UTF-8\"";
            }
        };
    }
}
