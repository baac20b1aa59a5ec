package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportSupport;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.partition.IRequestPartitionHelperSvc;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.recoveryoutcomes.server.security.SmartScope.Context;
import org.recoveryoutcomes.server.security.SmartScope.Permission;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.recoveryoutcomes.server.security.OperationPolicy.denied;

/**
 * FHIR Bulk Data export ({@code $export} at system, Group and Patient level) within the caller's scopes and
 * organisation. Only {@code user/} and {@code system/} scopes count (a {@code patient/} app reads through the API).
 * <ul>
 * <li>Types: every type of {@code _type} must be readable by the caller; without {@code _type} the export has every
 * type the caller may read (HAPI would otherwise export every type).</li>
 * <li>A client bound to an organisation exports the data of the patients that organisation manages, and nothing else:
 * the export becomes a Patient-level export of those patients (at kick-off; of a Group, the members the organisation
 * manages), with person-level types only. Every exported resource is checked once more against that list
 * ({@link BulkExportInclusion}).</li>
 * <li>The job and its files belong to the caller that started it: HAPI marks the files ({@code Binary.securityContext})
 * with a digest of the caller's identity and rights, and only the same caller may poll the job
 * ({@link BulkExportPolls}) or read its files ({@link FhirAuthorization}).</li>
 * </ul>
 * Storage hooks only, so that this is registered with the storage layer: the inclusion hook runs in HAPI's batch
 * workers, outside any request.
 */
@Component
@ConditionalOnProperty(name = "recovery.security.enabled", havingValue = "true", matchIfMissing = true)
@Interceptor
class BulkExportAuthorization implements FhirInterceptor {

    /** The identifier system that marks export jobs and files with their owner. */
    static final String OWNER_SYSTEM = "https://w3id.org/recovery-outcomes/fhir/sid/bulk-export-owner";

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final Visibility visibility;
    private final BulkDataExportSupport hapiExport;

    BulkExportAuthorization(FhirContext fhirContext, DaoRegistry daoRegistry, Visibility visibility, IRequestPartitionHelperSvc partitions) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.visibility = visibility;
        this.hapiExport = new BulkDataExportSupport(fhirContext, daoRegistry, partitions);
    }

    @Hook(Pointcut.STORAGE_INITIATE_BULK_EXPORT)
    public void authorizeExport(RequestDetails request, BulkExportJobParameters parameters) {
        if (!SmartAccess.external(request)) {
            return;
        }
        SmartAccess access = SmartAccess.of(request);
        if (access == null) {
            throw new AuthenticationException("A bearer token is required");
        }
        Grants grants = new Grants(fhirContext, withoutPatientScopes(access));
        boolean organisation = access.organization() != null;
        List<String> types = new ArrayList<>();
        boolean explicit = explicitTypes(request);
        for (String type : parameters.getResourceTypes()) {
            if (exportable(grants, type, organisation)) {
                types.add(type);
            } else if (explicit) {
                throw denied("exporting " + type, organisation
                        ? "is not allowed: an organisation's export holds its patients' data (Patient and their compartments)"
                        : "needs read access to " + type + " through a user/ or system/ scope");
            }
        }
        if (types.isEmpty()) {
            throw denied("$export", "needs read access through a user/ or system/ scope");
        }
        parameters.setResourceTypes(types);
        parameters.setBinarySecurityContextIdentifierSystem(OWNER_SYSTEM);
        parameters.setBinarySecurityContextIdentifierValue(owner(access));
        if (parameters.getExportStyle() == ExportStyle.GROUP) {
            requireReadable(grants, "Group", parameters.getGroupId(), request);
        }
        if (organisation) {
            restrictToOrganisation(access.organization(), parameters, request);
        }
    }

    /**
     * An organisation's export becomes a Patient-level export of its patients. Never with an empty list: HAPI reads an
     * empty patient list as every patient.
     */
    private void restrictToOrganisation(String organization, BulkExportJobParameters parameters, RequestDetails request) {
        Set<String> managed = patientsOf(organization);
        Set<String> chosen = new TreeSet<>();
        switch (parameters.getExportStyle()) {
            case SYSTEM -> chosen.addAll(managed);
            case PATIENT -> {
                if (parameters.getPatientIds() == null || parameters.getPatientIds().isEmpty()) {
                    chosen.addAll(managed);
                }
                for (String named : parameters.getPatientIds() == null ? List.<String>of() : parameters.getPatientIds()) {
                    String id = new IdType(named).getIdPart();
                    if (!managed.contains(id)) {
                        throw denied("exporting Patient/" + id, "is outside the organisation's patients");
                    }
                    chosen.add(id);
                }
            }
            case GROUP -> {
                Group group = (Group) daoRegistry.getResourceDao("Group")
                        .read(new IdType(parameters.getGroupId()).toUnqualifiedVersionless(), new SystemRequestDetails());
                for (Group.GroupMemberComponent member : group.getMember()) {
                    var ref = member.getEntity().getReferenceElement();
                    if ("Patient".equals(ref.getResourceType()) && managed.contains(ref.getIdPart()) && !member.getInactive()) {
                        chosen.add(ref.getIdPart());
                    }
                }
                parameters.setGroupId(null);
            }
        }
        if (chosen.isEmpty()) {
            throw denied("$export", "finds no patients of Organization/" + organization + " to export");
        }
        parameters.setExportStyle(ExportStyle.PATIENT);
        parameters.setPatientIds(chosen.stream().map(id -> "Patient/" + id).toList());
        parameters.setExpandMdm(false);
    }

    /** True for an export file (Binary) that HAPI wrote for a job; then only its owner may read it. */
    static boolean isExportFile(IBaseResource resource) {
        return resource instanceof Binary b && b.hasSecurityContext()
                && OWNER_SYSTEM.equals(b.getSecurityContext().getIdentifier().getSystem());
    }

    static boolean ownedBy(IBaseResource exportFile, SmartAccess access) {
        return owner(access).equals(((Binary) exportFile).getSecurityContext().getIdentifier().getValue());
    }

    /** A digest of who the caller is and what its token allows (a client with other rights is another owner). */
    static String owner(SmartAccess access) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(access.fingerprint().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean exportable(Grants grants, String type, boolean organisation) {
        Set<Reach> reaches = grants.reaches(type, Permission.R);
        if (organisation) {
            // the types HAPI can export by patient
            return !reaches.isEmpty() && hapiExport.getPatientCompartmentResources(ExportStyle.PATIENT).contains(type);
        }
        return reaches.contains(Reach.ALL);
    }

    private void requireReadable(Grants grants, String type, String id, RequestDetails request) {
        IBaseResource resource = daoRegistry.getResourceDao(type)
                .read(new IdType(id).toUnqualifiedVersionless(), new SystemRequestDetails());
        if (!visibility.admits(grants.reaches(type, Permission.R), resource, request)) {
            throw denied("exporting " + type + "/" + resource.getIdElement().getIdPart(), "is not allowed by the token's scopes");
        }
    }

    private Set<String> patientsOf(String organization) {
        SearchParameterMap byOrganisation = SearchParameterMap.newSynchronous()
                .add(Patient.SP_ORGANIZATION, new ReferenceParam("Organization/" + organization));
        Set<String> ids = new TreeSet<>();
        for (String id : daoRegistry.getResourceDao(Patient.class).search(byOrganisation, new SystemRequestDetails()).getAllResourceIds()) {
            ids.add(new IdType(id).getIdPart());
        }
        return ids;
    }

    private static SmartAccess withoutPatientScopes(SmartAccess access) {
        Set<String> scopes = new TreeSet<>();
        for (String scope : access.scopes()) {
            if (SmartScope.parse(scope).filter(s -> s.context() == Context.PATIENT).isEmpty()) {
                scopes.add(scope);
            }
        }
        return new SmartAccess(access.issuer(), access.clientId(), access.subject(), null, access.organization(),
                access.fhirUser(), scopes);
    }

    /** True when the client named the types ({@code _type} in the URL or in a POSTed Parameters resource). */
    private static boolean explicitTypes(RequestDetails request) {
        if (request.getParameters().containsKey("_type")) {
            return true;
        }
        return request.getResource() instanceof Parameters p && p.getParameter().stream().anyMatch(x -> "_type".equals(x.getName()));
    }
}
