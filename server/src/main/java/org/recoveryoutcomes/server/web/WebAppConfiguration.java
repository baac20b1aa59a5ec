package org.recoveryoutcomes.server.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web pages built by the {@code web} module are static resources ({@code static/} in its jar); Spring Boot
 * serves {@code /} itself. The clinician app and the hub dashboard live in folders, so {@code /app}, {@code /app/},
 * {@code /hub} and {@code /hub/} need mapping to their {@code index.html} (their relative links need the trailing slash).
 */
@Configuration(proxyBeanMethods = false)
class WebAppConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        for (String app : new String[] {"/app", "/hub"}) {
            registry.addRedirectViewController(app, app + "/");
            registry.addViewController(app + "/").setViewName("forward:" + app + "/index.html");
        }
        // browsers ask for /favicon.ico on pages that name none (the issuer's login page)
        registry.addRedirectViewController("/favicon.ico", "/favicon.svg");
    }
}
