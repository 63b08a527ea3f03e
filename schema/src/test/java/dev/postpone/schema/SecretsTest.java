package dev.postpone.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void passwordParametersOfJdbcUrlsAreMasked() {
        assertThat(Secrets.redact("jdbc:postgresql://db:5432/app?user=app&password=s3cr%26t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=app&password=***&ssl=true");
        assertThat(Secrets.redact("jdbc:postgresql://db/app?PASSWORD=x;sslpassword=key-pass"))
                .isEqualTo("jdbc:postgresql://db/app?PASSWORD=***;sslpassword=***");
        assertThat(Secrets.redact("jdbc:pgsql://db/app?password=pw")).isEqualTo("jdbc:pgsql://db/app?password=***");
    }

    @Test
    void userInfoOfUrlsIsMaskedEvenWithAnAtSignInThePassword() {
        assertThat(Secrets.redact("postgresql://app:s3cret@db:5432/app")).isEqualTo("postgresql://app:***@db:5432/app");
        assertThat(Secrets.redact("cannot parse jdbc:postgresql://app:p@ss@db/app now"))
                .isEqualTo("cannot parse jdbc:postgresql://app:***@db/app now");
        assertThat(Secrets.redact("postgres://app@db/app")).isEqualTo("postgres://app@db/app");
        assertThat(Secrets.redact("http://127.0.0.1:9400/metrics")).isEqualTo("http://127.0.0.1:9400/metrics");
    }

    @Test
    void libpqKeyValueStringsQuotedOrNotAreMasked() {
        assertThat(Secrets.redact("host=db user=app password=s3cret dbname=app"))
                .isEqualTo("host=db user=app password=*** dbname=app");
        assertThat(Secrets.redact("host=db password = 'with space\\'s' dbname=app"))
                .isEqualTo("host=db password = *** dbname=app");
    }

    @Test
    void aJsonEscapedQuoteDoesNotEndThePasswordEarly() {
        assertThat(Secrets.redact("{\"msg\":\"URL invalid jdbc:postgresql://x/db?password=ab\\\"cd&user=u\"}"))
                .isEqualTo("{\"msg\":\"URL invalid jdbc:postgresql://x/db?password=***&user=u\"}");
    }

    @Test
    void wordsThatMerelyEndInPasswordAndTextWithoutSecretsAreLeftAlone() {
        assertThat(Secrets.redact("no_password=1 reset_password_token")).isEqualTo("no_password=1 reset_password_token");
        assertThat(Secrets.redact("worker.started worker=w1 queues=all")).isEqualTo("worker.started worker=w1 queues=all");
        assertThat(Secrets.redact(null)).isNull();
    }

    @Test
    void stackTracesAreRedactedThroughTheirCauses() {
        Exception e = new IllegalStateException("wrapper", new IllegalArgumentException("URL invalid jdbc:postgresql://h/db?password=hunter2"));
        String trace = Secrets.stackTrace(e);
        assertThat(trace).contains("Caused by: java.lang.IllegalArgumentException: URL invalid jdbc:postgresql://h/db?password=***")
                .doesNotContain("hunter2");
    }
}
