package org.recoveryoutcomes.server.database;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class H2StatementCacheTest {

    @Test
    void an_h2_pool_keeps_128_parsed_statements_per_connection_by_default() {
        assertThat(cacheSizeOf("jdbc:h2:mem:cache-default", new MockEnvironment())).isEqualTo("128");
    }

    @Test
    void the_setting_sizes_the_cache() {
        MockEnvironment environment = new MockEnvironment().withProperty("recovery.database.h2-query-cache-size", "40");
        assertThat(cacheSizeOf("jdbc:h2:mem:cache-set", environment)).isEqualTo("40");
    }

    @Test
    void a_url_that_sizes_the_cache_itself_keeps_its_own_size() {
        assertThat(cacheSizeOf("jdbc:h2:mem:cache-url;query_cache_size=5", new MockEnvironment())).isEqualTo("5");
    }

    @Test
    void other_databases_get_no_h2_setting() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:postgresql://localhost/recovery");
        H2StatementCache.h2StatementCacheSize(new MockEnvironment()).postProcessBeforeInitialization(pool, "dataSource");
        assertThat(pool.getDataSourceProperties()).isEmpty();
    }

    private static String cacheSizeOf(String url, MockEnvironment environment) {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            H2StatementCache.h2StatementCacheSize(environment).postProcessBeforeInitialization(pool, "dataSource");
            return new JdbcTemplate(pool).queryForObject(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'", String.class);
        }
    }
}
