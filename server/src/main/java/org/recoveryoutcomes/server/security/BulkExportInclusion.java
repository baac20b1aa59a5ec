package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The last word on an export that {@link BulkExportAuthorization} restricted to an organisation's patients: a resource
 * outside their compartments is left out. A storage-layer interceptor, because HAPI's export job runs outside the HTTP
 * request that started it.
 */
@Component
@ConditionalOnProperty(name = "recovery.security.enabled", havingValue = "true", matchIfMissing = true)
@Interceptor
class BulkExportInclusion implements FhirInterceptor {

    private final Visibility visibility;

    BulkExportInclusion(Visibility visibility) {
        this.visibility = visibility;
    }

    @Hook(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION)
    public boolean include(BulkExportJobParameters parameters, IBaseResource resource) {
        if (!BulkExportAuthorization.OWNER_SYSTEM.equals(parameters.getBinarySecurityContextIdentifierSystem())
                || parameters.getExportStyle() != ExportStyle.PATIENT
                || parameters.getPatientIds() == null || parameters.getPatientIds().isEmpty()) {
            return true;
        }
        Set<String> patients = new LinkedHashSet<>();
        parameters.getPatientIds().forEach(p -> patients.add(new IdType(p).getIdPart()));
        return visibility.patientsOf(resource).stream().anyMatch(patients::contains);
    }
}
