package org.recoveryoutcomes.server.database;

import org.springframework.boot.autoconfigure.orm.jpa.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.stereotype.Component;

/** Makes Hibernate start after HAPI's schema migration (the way Boot orders Flyway before JPA). */
@Component
class MigrateBeforeHibernate extends EntityManagerFactoryDependsOnPostProcessor {

    MigrateBeforeHibernate() {
        super(HapiSchemaMigration.class);
    }
}
