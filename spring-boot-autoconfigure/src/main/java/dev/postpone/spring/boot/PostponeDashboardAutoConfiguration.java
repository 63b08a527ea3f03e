package dev.postpone.spring.boot;

import dev.postpone.Postpone;
import dev.postpone.dashboard.Authenticator;
import dev.postpone.dashboard.Dashboard;
import dev.postpone.dashboard.DashboardRequest;
import dev.postpone.dashboard.SecretFields;
import jakarta.servlet.http.HttpServlet;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The web dashboard at {@code postpone.dashboard.path}, served by a servlet: requests pass the
 * application's filters first (Spring Security's among them), and the dashboard's user is the one they
 * authenticated. Without an authenticated user the dashboard answers 401, unless
 * {@code postpone.dashboard.allow-anonymous} says the path is protected some other way.
 */
@AutoConfiguration(after = PostponeAutoConfiguration.class)
@ConditionalOnClass({Dashboard.class, HttpServlet.class, ServletRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Postpone.class)
@ConditionalOnProperty("postpone.dashboard.path")
public class PostponeDashboardAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Dashboard postponeDashboard(Postpone postpone, PostponeProperties properties, Environment environment,
                                ObjectProvider<PostponeDashboardCustomizer> customizers) {
        PostponeProperties.Dashboard settings = properties.getDashboard();
        Dashboard.Builder builder = Dashboard.builder(postpone)
                .authenticator(settings.isAllowAnonymous() ? PostponeDashboardAutoConfiguration::userOrAnonymous
                        : Authenticator.hostUser())
                .readOnly(settings.isReadOnly())
                .database(environment.getProperty("spring.datasource.url", ""));
        if (settings.getSecretFields() != null) {
            builder.secretFields(settings.getSecretFields().isBlank() ? SecretFields.none()
                    : SecretFields.matching(Pattern.compile(settings.getSecretFields())));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    private static Optional<String> userOrAnonymous(DashboardRequest request) {
        return Optional.of(request.hostUser() != null ? request.hostUser() : "anonymous");
    }

    @Bean
    @ConditionalOnMissingBean(name = "postponeDashboardServlet")
    ServletRegistrationBean<PostponeDashboardServlet> postponeDashboardServlet(Dashboard dashboard, PostponeProperties properties) {
        String mount = PostponeDashboardServlet.normalize(properties.getDashboard().getPath());
        ServletRegistrationBean<PostponeDashboardServlet> registration =
                new ServletRegistrationBean<>(new PostponeDashboardServlet(dashboard, mount), mount + "/*");
        registration.setName("postponeDashboard");
        return registration;
    }
}
