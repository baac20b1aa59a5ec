package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.dao.ISearchBuilder;
import ca.uhn.fhir.jpa.dao.SearchBuilderFactory;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import ca.uhn.fhir.rest.param.TokenParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rebuilds the read model from the stored Observations ($rebuild-score-facts, and at start-up when the settings the
 * facts were built with changed): in one transaction, deletes every fact, reads every Observation with a recovery-score
 * code and writes its fact, then rebuilds baselines and the cube. On PostgreSQL the person table is locked meanwhile,
 * so Observations written concurrently wait and are then applied on top of the rebuilt model; on the embedded H2
 * database run it while no scores are being written.
 */
@Component
class ScoreFactRebuilder {

    static final String FACT_SIGNATURE = "fact-signature";
    private static final Logger log = LoggerFactory.getLogger(ScoreFactRebuilder.class);
    private static final int BATCH = 500;

    record Result(int observations, int facts, int people, long millis) {
    }

    private final DaoRegistry daoRegistry;
    private final SearchBuilderFactory<?> searchBuilders;
    private final TransactionTemplate tx;
    private final FactStore store;
    private final CubeMaintenance cube;
    private final ScoreFactMapper mapper;

    ScoreFactRebuilder(DaoRegistry daoRegistry, SearchBuilderFactory<?> searchBuilders, PlatformTransactionManager transactionManager,
            FactStore store, CubeMaintenance cube, ScoreFactMapper mapper) {
        this.daoRegistry = daoRegistry;
        this.searchBuilders = searchBuilders;
        this.tx = new TransactionTemplate(transactionManager);
        this.store = store;
        this.cube = cube;
        this.mapper = mapper;
    }

    Result rebuild() {
        long start = System.currentTimeMillis();
        Result r = tx.execute(status -> {
            if (store.database() == Database.POSTGRESQL) {
                store.jdbc().execute("LOCK TABLE recovery_score_person IN EXCLUSIVE MODE");
            }
            store.jdbc().update("DELETE FROM recovery_score_fact");
            store.jdbc().update("DELETE FROM recovery_score_person");
            int[] counts = load();
            cube.rebuild();
            store.putState(FACT_SIGNATURE, mapper.signature());
            return new Result(counts[0], counts[1], counts[2], 0);
        });
        Result done = new Result(r.observations(), r.facts(), r.people(), System.currentTimeMillis() - start);
        log.info("Rebuilt the score facts: {} Observations, {} facts, {} people in {} ms", done.observations(), done.facts(),
                done.people(), done.millis());
        return done;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private int[] load() {
        IFhirResourceDao<Observation> dao = daoRegistry.getResourceDao(Observation.class);
        ISearchBuilder builder = searchBuilders.newSearchBuilder("Observation", Observation.class);
        SearchParameterMap map = new SearchParameterMap();
        map.add(Observation.SP_CODE, new TokenParam(ScoreCodes.SYSTEM, null));
        SystemRequestDetails request = new SystemRequestDetails();
        int[] counts = new int[3];
        Set<String> people = new LinkedHashSet<>();
        List<IResourcePersistentId> batch = new ArrayList<>(BATCH);
        Runnable flush = () -> {
            if (batch.isEmpty()) {
                return;
            }
            List<IBaseResource> resources = builder.loadResourcesByPid(new ArrayList<>(batch), request);
            batch.clear();
            List<ScoreFact> facts = new ArrayList<>();
            List<Object[]> persons = new ArrayList<>();
            for (IBaseResource resource : resources) {
                counts[0]++;
                mapper.toFact((Observation) resource).ifPresent(f -> {
                    facts.add(f);
                    if (people.add(f.code() + "|" + f.personKey())) {
                        persons.add(new Object[]{f.code(), f.personKey()});
                    }
                });
            }
            store.insertAll(facts);
            store.insertPeopleIfAbsent(persons);
            counts[1] += facts.size();
        };
        try (Stream<IResourcePersistentId> ids = (Stream) dao.searchForIdStream(map, request, null)) {
            ids.forEach(id -> {
                batch.add(id);
                if (batch.size() == BATCH) {
                    flush.run();
                }
            });
        }
        flush.run();
        counts[2] = people.size();
        return counts;
    }
}
