package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import jakarta.persistence.EntityManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a resource lies within a {@link Reach}: the patient compartment owners of the resource (its local
 * Patient references by the compartment definition) against the patient in context, or against the patients the
 * organisation manages. Organisations of patients are looked up once per request.
 */
@Component
class Visibility {

    private static final String ORGANISATIONS = Visibility.class.getName() + ".organisations";
    private static final int LOOKUP_CHUNK = 200;

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final EntityManager entityManager;

    Visibility(FhirContext fhirContext, DaoRegistry daoRegistry, EntityManager entityManager) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.entityManager = entityManager;
    }

    boolean admits(Collection<Reach> reaches, IBaseResource resource, RequestDetails request) {
        for (Reach reach : reaches) {
            if (admits(reach, resource, request)) {
                return true;
            }
        }
        return false;
    }

    boolean admits(Reach reach, IBaseResource resource, RequestDetails request) {
        switch (reach.kind()) {
            case ALL:
                return true;
            case PATIENT:
                return patientsOf(resource).contains(reach.id());
            case ORGANIZATION:
                if (resource instanceof Patient p) {
                    return reach.id().equals(localId(p.getManagingOrganization().getReferenceElement(), "Organization"));
                }
                Map<String, String> organisations = organisations(request, patientsOf(resource));
                return patientsOf(resource).stream().anyMatch(id -> reach.id().equals(organisations.get(id)));
            default:
                return false;
        }
    }

    /** True when the patient with this id lies within the reach (for operations on a patient). */
    boolean admitsPatient(Reach reach, String patientId, RequestDetails request) {
        return switch (reach.kind()) {
            case ALL -> true;
            case PATIENT -> reach.id().equals(patientId);
            case ORGANIZATION -> reach.id().equals(organisations(request, Set.of(patientId)).get(patientId));
        };
    }

    /** Looks up the organisations of many patients at once, before their resources are checked one by one. */
    void prefetch(Collection<? extends IBaseResource> resources, RequestDetails request) {
        Set<String> patients = new LinkedHashSet<>();
        for (IBaseResource r : resources) {
            if (r != null && !(r instanceof Patient)) {
                patients.addAll(patientsOf(r));
            }
        }
        organisations(request, patients);
    }

    /** Ids of the local patients whose compartment holds the resource (the patient itself for a Patient). */
    Set<String> patientsOf(IBaseResource resource) {
        Set<String> out = new LinkedHashSet<>();
        if (resource instanceof Patient p) {
            if (p.getIdElement().hasIdPart()) {
                out.add(p.getIdElement().getIdPart());
            }
            return out;
        }
        List<IIdType> owners = fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, (Set<String>) null);
        for (IIdType owner : owners) {
            String id = localId(owner, "Patient");
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    private static String localId(IIdType ref, String type) {
        if (ref == null || ref.isEmpty() || ref.hasBaseUrl() || ref.isLocal() || !ref.hasIdPart()) {
            return null;
        }
        return type.equals(ref.getResourceType()) ? ref.getIdPart() : null;
    }

    private Map<String, String> organisations(RequestDetails request, Collection<String> patientIds) {
        @SuppressWarnings("unchecked")
        Map<String, String> known = (Map<String, String>) request.getUserData().computeIfAbsent(ORGANISATIONS, k -> new HashMap<>());
        List<String> missing = patientIds.stream().filter(id -> !known.containsKey(id)).distinct().toList();
        if (!missing.isEmpty() && TransactionSynchronizationManager.isActualTransactionActive()) {
            // a Patient created earlier in the same transaction Bundle; HAPI's native SQL search does not flush it
            entityManager.flush();
        }
        for (int i = 0; i < missing.size(); i += LOOKUP_CHUNK) {
            List<String> chunk = missing.subList(i, Math.min(missing.size(), i + LOOKUP_CHUNK));
            chunk.forEach(id -> known.put(id, ""));
            TokenOrListParam ids = new TokenOrListParam();
            chunk.forEach(id -> ids.add(new TokenParam(id)));
            SearchParameterMap byId = SearchParameterMap.newSynchronous().add("_id", ids);
            for (IBaseResource r : daoRegistry.getResourceDao(Patient.class).search(byId, new SystemRequestDetails()).getAllResources()) {
                Patient p = (Patient) r;
                String org = localId(p.getManagingOrganization().getReferenceElement(), "Organization");
                known.put(p.getIdElement().getIdPart(), org == null ? "" : org);
            }
        }
        return known;
    }
}
