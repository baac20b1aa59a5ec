package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.recoveryoutcomes.server.security.SmartScope.Permission;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which FHIR operations a token may call. Every operation is listed by what it reveals: a patient's data, one stored
 * resource, aggregates, terminology, or the whole server. An operation not listed here is open only to an unbound
 * system client with every permission; operations that delete or import data around the storage checks are open to
 * nobody.
 */
final class OperationPolicy {

    /** Operations on one patient, with the types of that patient's data they read besides the Patient. */
    private static final Map<String, List<String>> PATIENT_DATA = Map.of("$everything", List.of(),
            "$summary", List.of(), "$recovery-profile", List.of("Observation"), "$goal-attainment", List.of("Goal", "Observation"));
    private static final Set<String> RESPONSE_SCORING = Set.of("$score", "$extract");
    /** The population operations, each on the one resource type it is defined on (issue #6: a hub may call these only). */
    private static final Map<String, String> AGGREGATES = Map.of("$aggregate", "Observation", "$recovery-indicators", "Organization");
    private static final Set<String> TERMINOLOGY = Set.of("$lookup", "$expand", "$validate-code", "$subsumes", "$translate");
    private static final Set<String> EXPORT = Set.of("$export", "$export-poll-status");
    private static final Set<String> NEVER = Set.of("$expunge", "$delete-expunge", "$import", "$import-poll-status",
            "$replace-references", "$merge", "$meta-delete", "$binary-access-write", "$hapi.fhir.undo-replace-references");

    private final DaoRegistry daoRegistry;
    private final Visibility visibility;

    OperationPolicy(DaoRegistry daoRegistry, Visibility visibility) {
        this.daoRegistry = daoRegistry;
        this.visibility = visibility;
    }

    void authorize(Grants grants, RequestDetails request) {
        String name = request.getOperation();
        String type = request.getResourceName();
        IIdType id = request.getId() != null && request.getId().hasIdPart() ? request.getId() : null;
        if (NEVER.contains(name)) {
            throw denied(name, "is not available through the API");
        }
        if (AGGREGATES.containsKey(name) && AGGREGATES.get(name).equals(type)) {
            if (!grants.aggregates()) {
                throw denied(name, "needs user/ or system/ MeasureReport.rs (or *.rs)");
            }
            return;
        }
        if (TERMINOLOGY.contains(name)) {
            if (grants.readReaches("CodeSystem").isEmpty() && grants.readReaches("ValueSet").isEmpty()
                    && grants.readReaches("ConceptMap").isEmpty()) {
                throw denied(name, "needs read access to CodeSystem, ValueSet or ConceptMap");
            }
            return;
        }
        if (PATIENT_DATA.containsKey(name) && Grants.PATIENT.equals(type)) {
            if (id == null) {
                requireUnrestricted(grants, type, name);
                return;
            }
            requirePatient(grants, id.getIdPart(), name, request, Grants.PATIENT);
            for (String dataType : PATIENT_DATA.get(name)) {
                requirePatient(grants, id.getIdPart(), name, request, dataType);
            }
            return;
        }
        if (RESPONSE_SCORING.contains(name) && "QuestionnaireResponse".equals(type)) {
            if (id != null) {
                requireStored(grants, type, id, name, request);
            } else if (grants.readReaches(type).isEmpty() && grants.writeReaches(type).isEmpty()) {
                throw denied(name, "needs a scope on QuestionnaireResponse");
            }
            return;
        }
        if ("$validate".equals(name) && type != null) {
            if (id != null) {
                requireStored(grants, type, id, name, request);
            } else if (grants.writeReaches(type).isEmpty()) {
                throw denied(name, "needs write access to " + type);
            }
            return;
        }
        if (("$meta".equals(name) || "$diff".equals(name)) && type != null && id != null) {
            requireStored(grants, type, id, name, request);
            return;
        }
        if (EXPORT.contains(name)) {
            // which types and whose data: BulkExportAuthorization, when HAPI starts the job; the poll: only the owner
            if ("$export".equals(name) && grants.access().resourceScopes().stream().noneMatch(s -> s.context() != SmartScope.Context.PATIENT
                    && (s.permissions().contains(Permission.R) || s.permissions().contains(Permission.S)))) {
                throw denied(name, "needs a user/ or system/ scope that reads");
            }
            return;
        }
        if (!grants.administers()) {
            throw denied(name, "is an administrative operation (unbound system/*.cruds)");
        }
    }

    private void requireUnrestricted(Grants grants, String type, String name) {
        if (!grants.unrestricted(type, Permission.R)) {
            throw denied(name, "at type level needs unrestricted read access to " + type);
        }
    }

    private void requirePatient(Grants grants, String patientId, String name, RequestDetails request, String dataType) {
        for (Reach reach : grants.reaches(dataType, Permission.R)) {
            if (visibility.admitsPatient(reach, patientId, request)) {
                return;
            }
        }
        throw denied(name, "needs read access to " + dataType + " of Patient/" + patientId);
    }

    private void requireStored(Grants grants, String type, IIdType id, String name, RequestDetails request) {
        Set<Reach> reaches = grants.reaches(type, Permission.R);
        if (reaches.isEmpty()) {
            throw denied(name, "needs read access to " + type);
        }
        IBaseResource stored = daoRegistry.getResourceDao(type).read(id.toUnqualifiedVersionless(), new SystemRequestDetails());
        if (!visibility.admits(reaches, stored, request)) {
            throw denied(name, "is not allowed on " + type + "/" + id.getIdPart());
        }
    }

    static ForbiddenOperationException denied(String what, String why) {
        return new ForbiddenOperationException("Access denied: " + what + " " + why);
    }
}
