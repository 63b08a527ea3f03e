package dev.postpone.retry;

import java.util.List;

/** Wraps a policy: only some exceptions are retried ({@code retryOn}), or some never are ({@code neverOn}). */
record ExceptionFilter(RetryPolicy delegate, List<Class<? extends Throwable>> types, boolean onlyThese)
        implements RetryPolicy {

    @Override
    public int maxAttempts() {
        return delegate.maxAttempts();
    }

    @Override
    public RetryDecision decide(int attempt, Throwable error) {
        boolean listed = matches(error);
        if (onlyThese && !listed) return RetryDecision.giveUp(error.getClass().getName() + " is not retried (retryOn)");
        if (!onlyThese && listed) return RetryDecision.giveUp(error.getClass().getName() + " is never retried (neverOn)");
        return delegate.decide(attempt, error);
    }

    private boolean matches(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) return true;
            }
        }
        return false;
    }
}
