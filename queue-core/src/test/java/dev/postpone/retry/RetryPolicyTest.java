package dev.postpone.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final RuntimeException BOOM = new IllegalStateException("boom");

    @Test
    void noneAllowsOneAttemptAndGivesUp() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().decide(1, BOOM)).isInstanceOf(RetryDecision.GiveUp.class);
    }

    @Test
    void fixedDelayRetriesWithTheSameDelayUntilAttemptsRunOut() {
        RetryPolicy p = RetryPolicy.fixed(Duration.ofSeconds(5), 3);
        assertThat(p.decide(1, BOOM)).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(5)));
        assertThat(p.decide(2, BOOM)).isEqualTo(RetryDecision.retryAfter(Duration.ofSeconds(5)));
        assertThat(p.decide(3, BOOM)).isInstanceOf(RetryDecision.GiveUp.class);
    }

    @Test
    void exponentialBackoffDoublesUpToTheCap() {
        RetryPolicy p = RetryPolicy.exponential(Duration.ofSeconds(1), 10).withCap(Duration.ofSeconds(10));
        assertThat(delays(p, 6)).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L);
    }

    @Test
    void exponentialBackoffWithCustomMultiplier() {
        RetryPolicy p = RetryPolicy.exponential(Duration.ofMillis(100), 5).withMultiplier(3);
        assertThat(delays(p, 4)).containsExactly(100L, 300L, 900L, 2_700L);
    }

    @Test
    void jitterStaysWithinTheFractionAndIsReproducibleWithASeed() {
        ExponentialBackoff p = RetryPolicy.exponential(Duration.ofSeconds(10), 100).withCap(Duration.ofHours(1))
                .withJitter(0.2).withRandom(new SplittableRandom(7));
        long[] first = delays(p.withRandom(new SplittableRandom(7)), 1);
        long[] again = delays(p.withRandom(new SplittableRandom(7)), 1);
        assertThat(first).isEqualTo(again);
        for (int i = 0; i < 200; i++) {
            long d = ((RetryDecision.RetryAfter) p.decide(1, BOOM)).delay().toMillis();
            assertThat(d).isBetween(8_000L, 12_000L);
        }
    }

    @Test
    void jitterNeverExceedsTheCap() {
        ExponentialBackoff p = RetryPolicy.exponential(Duration.ofSeconds(10), 100).withCap(Duration.ofSeconds(10))
                .withJitter(0.5).withRandom(new SplittableRandom(1));
        for (int i = 0; i < 200; i++) {
            assertThat(((RetryDecision.RetryAfter) p.decide(5, BOOM)).delay()).isLessThanOrEqualTo(Duration.ofSeconds(10));
        }
    }

    @Test
    void retryOnRetriesOnlyListedExceptionsIncludingCauses() {
        RetryPolicy p = RetryPolicy.fixed(Duration.ofSeconds(1), 5).retryOn(IOException.class);
        assertThat(p.decide(1, new IOException("io"))).isInstanceOf(RetryDecision.RetryAfter.class);
        assertThat(p.decide(1, new UncheckedIOException(new IOException("wrapped")))).isInstanceOf(RetryDecision.RetryAfter.class);
        assertThat(p.decide(1, BOOM)).isInstanceOf(RetryDecision.GiveUp.class);
        assertThat(p.maxAttempts()).isEqualTo(5);
    }

    @Test
    void neverOnGivesUpOnListedExceptions() {
        RetryPolicy p = RetryPolicy.fixed(Duration.ofSeconds(1), 5).neverOn(IllegalArgumentException.class);
        assertThat(p.decide(1, new IllegalArgumentException("bad input"))).isInstanceOf(RetryDecision.GiveUp.class);
        assertThat(p.decide(1, BOOM)).isInstanceOf(RetryDecision.RetryAfter.class);
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> RetryPolicy.fixed(Duration.ofSeconds(-1), 2)).hasMessageContaining("negative");
        assertThatThrownBy(() -> RetryPolicy.fixed(Duration.ZERO, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ofSeconds(1), 3).withJitter(1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ofSeconds(1), 3).withMultiplier(0.5)).hasMessageContaining("multiplier");
    }

    private static long[] delays(RetryPolicy p, int attempts) {
        long[] d = new long[attempts];
        for (int i = 0; i < attempts; i++) d[i] = ((RetryDecision.RetryAfter) p.decide(i + 1, BOOM)).delay().toMillis();
        return d;
    }
}
