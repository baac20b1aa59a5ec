package org.recoveryoutcomes.server.database;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;

/**
 * Puts {@link ReplicaRoutingDataSource} in place of the application's DataSource when
 * {@code recovery.database.replica.url} is set, so that HAPI's JPA layer and the project's JDBC code read from the
 * replica in routed requests without knowing of it.
 */
@Configuration(proxyBeanMethods = false)
class ReadReplicaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReadReplicaConfiguration.class);

    /** Static and bound from the Environment: a post-processor is made before the configuration properties beans. */
    @Bean
    static BeanPostProcessor replicaRouting(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!"dataSource".equals(name) || !(bean instanceof DataSource primary) || bean instanceof ReplicaRoutingDataSource) {
                    return bean;
                }
                DatabaseSettings.Replica replica = Binder.get(environment)
                        .bind("recovery.database.replica", DatabaseSettings.Replica.class).orElse(null);
                if (replica == null || !replica.enabled()) {
                    return bean;
                }
                log.info("Read replica {}: routes {}", replica.url(), replica.routes());
                return new ReplicaRoutingDataSource(primary, pool(replica, environment));
            }
        };
    }

    private static HikariDataSource pool(DatabaseSettings.Replica replica, Environment environment) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("replica");
        pool.setJdbcUrl(replica.url());
        pool.setUsername(replica.username());
        pool.setPassword(replica.password());
        pool.setMaximumPoolSize(replica.maximumPoolSize());
        pool.setMinimumIdle(Math.min(2, replica.maximumPoolSize()));
        pool.setConnectionTimeout(replica.connectionTimeout().toMillis());
        pool.setReadOnly(true);
        // the replica must not hold the node's start-up (a node starts and serves from the primary while it is away)
        pool.setInitializationFailTimeout(-1);
        // the primary's driver options (statement timeout, keep-alive) apply to the replica as well
        Binder.get(environment).bind("spring.datasource.hikari.data-source-properties", java.util.Properties.class)
                .ifBound(pool::setDataSourceProperties);
        return pool;
    }
}
