package org.recoveryoutcomes.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;

/**
 * Fills the request's {@link AuditRecord} from inside HAPI: the interaction, and every patient and resource the
 * request shows or writes (after the authorisation, so what it withheld is not listed).
 */
@Component
@Interceptor(order = 1000)
class AuditTrail implements FhirInterceptor {

    private static final Set<String> PATIENT_PARAMETERS = Set.of("patient", "subject", "subject:Patient", "patient:Patient");

    private final FhirContext fhirContext;

    AuditTrail(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void interaction(RequestDetails request) {
        AuditRecord record = record(request);
        if (record == null || request.getRestOperationType() == null) {
            return;
        }
        record.interaction = request.getRestOperationType().name();
        record.resourceType = request.getResourceName();
        record.operation = request.getOperation();
        IIdType id = request.getId();
        if (id != null && id.hasIdPart() && request.getResourceName() != null) {
            record.resourceId = id.getIdPart();
            record.resource(request.getResourceName() + "/" + id.getIdPart());
            if ("Patient".equals(request.getResourceName())) {
                record.patient(id.getIdPart());
            }
        }
        for (Map.Entry<String, String[]> p : request.getParameters().entrySet()) {
            if (PATIENT_PARAMETERS.contains(p.getKey())) {
                for (String value : p.getValue()) {
                    for (String one : value.split(",")) {
                        String v = one.trim();
                        if (v.startsWith("Patient/")) {
                            record.patient(v.substring("Patient/".length()));
                        } else if ("patient".equals(p.getKey()) && v.matches("[A-Za-z0-9\\-.]{1,64}")) {
                            record.patient(v);
                        }
                    }
                }
            }
        }
    }

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void shown(RequestDetails request, IPreResourceShowDetails details) {
        AuditRecord record = record(request);
        if (record != null) {
            for (IBaseResource resource : details) {
                touched(record, resource);
            }
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(RequestDetails request, IBaseResource resource) {
        AuditRecord record = record(request);
        if (record != null) {
            touched(record, resource);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(RequestDetails request, IBaseResource previous, IBaseResource resource) {
        AuditRecord record = record(request);
        if (record != null) {
            touched(record, previous);
            touched(record, resource);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(RequestDetails request, IBaseResource resource) {
        AuditRecord record = record(request);
        if (record != null) {
            touched(record, resource);
        }
    }

    private void touched(AuditRecord record, IBaseResource resource) {
        if (resource == null) {
            return;
        }
        String type = fhirContext.getResourceType(resource);
        IIdType id = resource.getIdElement();
        if (id != null && id.hasIdPart()) {
            record.resource(type + "/" + id.getIdPart());
            if ("Patient".equals(type)) {
                record.patient(id.getIdPart());
                return;
            }
        }
        if (fhirContext.getResourceDefinition(type).getSearchParamsForCompartmentName("Patient").isEmpty()) {
            return;
        }
        for (IIdType owner : fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, (Set<String>) null)) {
            if (!owner.hasBaseUrl() && "Patient".equals(owner.getResourceType()) && owner.hasIdPart()) {
                record.patient(owner.getIdPart());
            }
        }
    }

    private static AuditRecord record(RequestDetails request) {
        return request instanceof ServletRequestDetails s && s.getServletRequest() != null ? AuditRecord.of(s.getServletRequest()) : null;
    }
}
