package dev.postpone.spring.boot;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.postpone.JobContext;
import dev.postpone.Task;
import dev.postpone.retry.RetryPolicy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * One {@link PostponeTask} method: checks its signature when the application starts, and turns it into
 * a {@link Task} whose handler calls the method on the bean the container holds.
 */
final class TaskMethod {

    private final Method method;
    private final String beanName;
    private final PostponeTask annotation;
    /** Index of the parameter that receives the job's arguments, or -1 when there is none. */
    private final int argsIndex;
    private final int contextIndex;

    private TaskMethod(Method method, String beanName, PostponeTask annotation, int argsIndex, int contextIndex) {
        this.method = method;
        this.beanName = beanName;
        this.annotation = annotation;
        this.argsIndex = argsIndex;
        this.contextIndex = contextIndex;
    }

    /** @throws IllegalStateException when the method cannot be a task, saying why and what to write instead */
    static TaskMethod of(Method method, String beanName, PostponeTask annotation) {
        int argsIndex = -1, contextIndex = -1;
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == JobContext.class && contextIndex < 0) {
                contextIndex = i;
            } else if (argsIndex < 0) {
                argsIndex = i;
            } else {
                throw new IllegalStateException("@PostponeTask method " + describe(method) + " has more than one argument"
                        + " parameter; put the arguments in one record (a JobContext parameter may come beside it)");
            }
        }
        return new TaskMethod(method, beanName, annotation, argsIndex, contextIndex);
    }

    String taskName() {
        return annotation.name();
    }

    String beanName() {
        return beanName;
    }

    /** {@code Task<Args>}, so the task bean can be injected with its argument type. */
    ResolvableType taskType() {
        ResolvableType args = argsIndex < 0 ? ResolvableType.forClass(JsonNode.class)
                : ResolvableType.forMethodParameter(method, argsIndex);
        return ResolvableType.forClassWithGenerics(Task.class, args);
    }

    /**
     * The task; {@code placeholders} resolves {@code ${...}} in the attributes, {@code bean} gives the
     * bean at the first job (not before: the task exists before every bean is ready).
     */
    Task<Object> toTask(Function<String, String> placeholders, Supplier<Object> bean) {
        Task.Builder<Object> b = Task.named(annotation.name(), argumentType()).aliases(annotation.aliases())
                .priority(annotation.priority());
        String queue = placeholders.apply(annotation.queue());
        if (!queue.isEmpty()) b.queue(queue);
        if (annotation.maxAttempts() > 1) {
            b.retry(RetryPolicy.exponential(duration("backoff", placeholders.apply(annotation.backoff())), annotation.maxAttempts()));
        } else if (annotation.maxAttempts() < 1) {
            throw new IllegalStateException("@PostponeTask " + describe(method) + ": maxAttempts must be at least 1");
        }
        String timeout = placeholders.apply(annotation.timeout());
        if (!timeout.isEmpty()) b.timeout(duration("timeout", timeout));
        String lock = placeholders.apply(annotation.lock());
        if (!lock.isEmpty()) b.lock(lock);
        String queueingLock = placeholders.apply(annotation.queueingLock());
        if (!queueingLock.isEmpty()) b.queueingLock(queueingLock);
        Invoker invoker = new Invoker(bean);
        return b.handler((context, args) -> invoker.invoke(context, args));
    }

    private TypeReference<Object> argumentType() {
        Type type = argsIndex < 0 ? JsonNode.class : method.getGenericParameterTypes()[argsIndex];
        return new TypeReference<>() {
            @Override
            public Type getType() {
                return type;
            }
        };
    }

    private Duration duration(String attribute, String value) {
        try {
            return DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("@PostponeTask " + describe(method) + ": " + attribute + " '" + value
                    + "' is not a duration (e.g. 500ms, 2s, 1m, PT30S)", e);
        }
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }

    /** Finds the bean and its invocable method once, at the first job, then calls it for every job. */
    private final class Invoker {
        private final Supplier<Object> beanSupplier;
        private volatile Object bean;
        private volatile Method invocable;

        Invoker(Supplier<Object> beanSupplier) {
            this.beanSupplier = beanSupplier;
        }

        Object invoke(JobContext context, Object args) throws Exception {
            if (invocable == null) {
                Object b = beanSupplier.get();
                Method m = AopUtils.selectInvocableMethod(method, b.getClass());
                ReflectionUtils.makeAccessible(m);
                bean = b;
                invocable = m;
            }
            Object[] parameters = new Object[method.getParameterCount()];
            if (argsIndex >= 0) parameters[argsIndex] = args;
            if (contextIndex >= 0) parameters[contextIndex] = context;
            try {
                return invocable.invoke(bean, parameters);
            } catch (InvocationTargetException e) {
                // The task's own exception, as the retry policy and the job's error should see it.
                Throwable cause = e.getTargetException();
                if (cause instanceof Exception ex) throw ex;
                if (cause instanceof Error err) throw err;
                throw e;
            }
        }
    }
}
