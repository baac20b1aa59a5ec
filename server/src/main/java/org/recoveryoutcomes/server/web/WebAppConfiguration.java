package org.recoveryoutcomes.server.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web pages built by the {@code web} module are static resources ({@code static/} in its jar); Spring Boot
 * serves {@code /} itself. The form filler lives in a folder, so {@code /app} and {@code /app/} need mapping
 * to its {@code index.html} (its relative links need the trailing slash).
 */
@Configuration(proxyBeanMethods = false)
class WebAppConfiguration implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/app", "/app/");
        registry.addViewController("/app/").setViewName("forward:/app/index.html");
    }
}
