package dev.postpone.spring.boot;

import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Registers a {@code Task} bean for every {@link PostponeTask} method of the application's beans, before
 * any bean is created: so such tasks are beans like the application's own {@code Task} beans (the same
 * duplicate-name checks, injectable by name), and a wrong signature stops the start-up, not the first job.
 */
final class TaskMethodRegistrar implements BeanDefinitionRegistryPostProcessor {

    static final String BEAN_NAME_PREFIX = "postpone.task.";

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        // Bean types are only predictable with the bean factory: in postProcessBeanFactory.
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (!(beanFactory instanceof BeanDefinitionRegistry registry)) return;
        for (String beanName : beanFactory.getBeanDefinitionNames()) {
            if (ScopedProxyUtils.isScopedTarget(beanName) || beanName.startsWith(BEAN_NAME_PREFIX)) continue;
            BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
            if (definition.isAbstract() || definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) continue;
            Class<?> type = beanFactory.getType(beanName, false);
            if (type == null || !AnnotationUtils.isCandidateClass(type, PostponeTask.class)) continue;
            Map<Method, PostponeTask> methods = MethodIntrospector.selectMethods(type,
                    (MethodIntrospector.MetadataLookup<PostponeTask>) m -> AnnotatedElementUtils.findMergedAnnotation(m, PostponeTask.class));
            methods.forEach((method, annotation) -> register(registry, beanFactory, TaskMethod.of(method, beanName, annotation)));
        }
    }

    private static void register(BeanDefinitionRegistry registry, ConfigurableListableBeanFactory beanFactory, TaskMethod method) {
        String name = BEAN_NAME_PREFIX + method.taskName();
        if (registry.containsBeanDefinition(name)) {
            throw new IllegalStateException("two @PostponeTask methods are named '" + method.taskName() + "' (one on bean '"
                    + method.beanName() + "'); task names must be unique");
        }
        RootBeanDefinition task = new RootBeanDefinition();
        task.setTargetType(method.taskType());
        task.setInstanceSupplier(() -> method.toTask(beanFactory::resolveEmbeddedValue, () -> beanFactory.getBean(method.beanName())));
        task.addQualifier(new AutowireCandidateQualifier(Qualifier.class, method.taskName()));
        task.setDescription("task '" + method.taskName() + "' of @PostponeTask method on bean '" + method.beanName() + "'");
        registry.registerBeanDefinition(name, task);
    }
}
