package org.recoveryoutcomes.server.goals;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.stereotype.Component;

import java.util.List;

/** Reads a person's Goals, GAS ratings and gas-t-score Observations through the HAPI DAOs. */
@Component
class GasRecords {

    private final DaoRegistry daoRegistry;
    private final jakarta.persistence.EntityManager entityManager;

    GasRecords(DaoRegistry daoRegistry, jakarta.persistence.EntityManagerFactory entityManagerFactory) {
        this.daoRegistry = daoRegistry;
        this.entityManager = org.springframework.orm.jpa.SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
    }

    List<Goal> goals(String patientId) {
        return search(Goal.class, goalsOf(patientId));
    }

    List<Observation> ratings(String patientId) {
        return search(Observation.class, observationsOf(patientId, Gas.ATTAINMENT));
    }

    /**
     * The same reads inside a write transaction. A search that loads resources written earlier in the same database
     * transaction trips Hibernate 6.6 (an assertion in its persistence context), so only ids are searched here and
     * each resource is read by id, except those the caller already holds ({@code known}: id part → resource).
     */
    <T extends org.hl7.fhir.instance.model.api.IBaseResource> List<T> inTransaction(Class<T> type, SearchParameterMap map,
            java.util.Map<String, T> known) {
        IFhirResourceDao<T> dao = daoRegistry.getResourceDao(type);
        SystemRequestDetails request = new SystemRequestDetails();
        // HAPI searches with native SQL, which does not flush what this transaction wrote so far
        entityManager.flush();
        List<T> out = new java.util.ArrayList<>();
        for (org.hl7.fhir.instance.model.api.IIdType id : dao.searchForResourceIds(map, request)) {
            T held = known.get(id.getIdPart());
            out.add(held != null ? held : dao.read(id.toUnqualifiedVersionless(), request));
        }
        return out;
    }

    static SearchParameterMap goalsOf(String patientId) {
        return SearchParameterMap.newSynchronous().add(Goal.SP_SUBJECT, new ReferenceParam("Patient/" + patientId));
    }

    static SearchParameterMap observationsOf(String patientId, String code) {
        return SearchParameterMap.newSynchronous()
                .add(Observation.SP_SUBJECT, new ReferenceParam("Patient/" + patientId))
                .add(Observation.SP_CODE, new TokenParam(Gas.SCORE_SYSTEM, code));
    }

    static boolean isKeptTScore(Observation o) {
        return o.getIdentifier().stream().anyMatch(i -> Gas.T_SCORE_IDENTIFIER.equals(i.getSystem()));
    }

    Goal readGoal(String id) {
        return daoRegistry.getResourceDao(Goal.class).read(new org.hl7.fhir.r4.model.IdType("Goal", id), new SystemRequestDetails());
    }

    IFhirResourceDao<Observation> observationDao() {
        return daoRegistry.getResourceDao(Observation.class);
    }

    private <T extends org.hl7.fhir.instance.model.api.IBaseResource> List<T> search(Class<T> type, SearchParameterMap map) {
        return daoRegistry.getResourceDao(type).search(map, new SystemRequestDetails()).getAllResources().stream()
                .map(type::cast).toList();
    }
}
