package org.recoveryoutcomes.server.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.Locale;

/**
 * Sizes H2's per-connection cache of parsed statements ({@link DatabaseSettings#h2QueryCacheSize}) on the application's
 * pool when it connects to H2, unless its URL sets QUERY_CACHE_SIZE itself.
 */
@Configuration(proxyBeanMethods = false)
class H2StatementCache {

    static final String SETTING = "QUERY_CACHE_SIZE";

    /** Static and bound from the Environment: a post-processor is made before the configuration properties beans. */
    @Bean
    static BeanPostProcessor h2StatementCacheSize(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && applies(pool.getJdbcUrl())) {
                    int size = Binder.get(environment).bindOrCreate("recovery.database", DatabaseSettings.class).h2QueryCacheSize();
                    pool.addDataSourceProperty(SETTING, String.valueOf(size));
                }
                return bean;
            }
        };
    }

    static boolean applies(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.toUpperCase(Locale.ROOT).contains(SETTING);
    }
}
