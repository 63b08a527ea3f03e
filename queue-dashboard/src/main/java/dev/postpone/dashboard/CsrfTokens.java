package dev.postpone.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF protection of actions: every form carries a token that only this dashboard instance can make
 * (an HMAC of the user's name under a key drawn at start), and a POST must bring it back in its form
 * body. Browsers that say where a request comes from (Sec-Fetch-Site, Origin) must say "this site".
 * Basic authentication is sent by the browser to any page that posts here, which is why the token
 * is needed at all.
 */
final class CsrfTokens {

    static final String FIELD = "csrf";

    private final SecretKeySpec key;

    CsrfTokens(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    String tokenFor(String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Why the POST must be refused, or empty when it is genuine. */
    Optional<String> refusal(DashboardRequest r, String user) {
        String site = r.header("sec-fetch-site").orElse(null);
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of("the action was sent from another site (Sec-Fetch-Site: " + site + ")");
        }
        Optional<String> origin = r.header("origin");
        Optional<String> host = r.header("host");
        if (origin.isPresent() && host.isPresent() && !origin.get().equals("null") && !host.get().equalsIgnoreCase(authority(origin.get()))) {
            return Optional.of("the action was sent from another origin (" + origin.get() + ")");
        }
        List<String> tokens = r.form().getOrDefault(FIELD, List.of());
        if (tokens.isEmpty()) return Optional.of("the action has no CSRF token: reload the page and try again");
        byte[] given = tokens.getFirst().getBytes(StandardCharsets.UTF_8);
        byte[] expected = tokenFor(user).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected)) {
            return Optional.of("the action's CSRF token is not valid (the dashboard restarted?): reload the page and try again");
        }
        return Optional.empty();
    }

    private static String authority(String origin) {
        try {
            return URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
