package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.recoveryoutcomes.server.security.SmartScope.Context;
import org.recoveryoutcomes.server.security.SmartScope.Permission;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one token may do, per resource type and permission, as a set of {@link Reach}es: the data a grant reaches.
 * <ul>
 * <li>Shared content (conformance resources, terminology) and directory resources (organisations, locations,
 * practitioners) are readable by any grant that names their type or {@code *}; only unbound user/system grants
 * may write them.</li>
 * <li>AuditEvent is never covered by {@code *}: reading needs an explicit, unbound {@code user/} or
 * {@code system/AuditEvent.rs}; nobody may update or delete one.</li>
 * <li>An explicit MeasureReport grant (a regional hub) reaches no stored resource, only the aggregate operations.</li>
 * <li>Everything else is person-level: a {@code patient/} grant reaches its patient's compartment, a user/system
 * grant bound to an organisation reaches the compartments of the patients that organisation manages, an unbound
 * user/system grant reaches everything.</li>
 * </ul>
 */
final class Grants {

    static final Set<String> SHARED = Set.of(
            "Questionnaire", "CodeSystem", "ValueSet", "ConceptMap", "NamingSystem", "StructureDefinition",
            "StructureMap", "SearchParameter", "OperationDefinition", "CompartmentDefinition", "CapabilityStatement",
            "ImplementationGuide", "GraphDefinition", "Measure", "Library", "ActivityDefinition", "PlanDefinition",
            "Organization", "Location", "HealthcareService", "Endpoint", "Practitioner", "PractitionerRole");
    static final String AUDIT_EVENT = "AuditEvent";
    static final String MEASURE_REPORT = "MeasureReport";
    static final String PATIENT = "Patient";

    private static final Set<Permission> READING = EnumSet.of(Permission.R, Permission.S);

    private final FhirContext fhirContext;
    private final SmartAccess access;
    private final List<SmartScope> scopes;

    Grants(FhirContext fhirContext, SmartAccess access) {
        this.fhirContext = fhirContext;
        this.access = access;
        this.scopes = access.resourceScopes();
    }

    SmartAccess access() {
        return access;
    }

    /** The data that {@code permission} on {@code type} reaches; empty when the token does not allow it at all. */
    Set<Reach> reaches(String type, Permission permission) {
        Set<Reach> out = new LinkedHashSet<>();
        for (SmartScope scope : scopes) {
            if (scope.permissions().contains(permission) && names(scope, type)) {
                Reach reach = reach(scope, type, permission);
                if (reach != null) {
                    out.add(reach);
                }
            }
        }
        return out;
    }

    /** The data the token may read or search of {@code type}. */
    Set<Reach> readReaches(String type) {
        Set<Reach> out = new LinkedHashSet<>(reaches(type, Permission.R));
        out.addAll(reaches(type, Permission.S));
        return out;
    }

    /** The data the token may write (create, update or delete) of {@code type}. */
    Set<Reach> writeReaches(String type) {
        Set<Reach> out = new LinkedHashSet<>(reaches(type, Permission.C));
        out.addAll(reaches(type, Permission.U));
        out.addAll(reaches(type, Permission.D));
        return out;
    }

    boolean unrestricted(String type, Permission permission) {
        return reaches(type, permission).contains(Reach.ALL);
    }

    /** May call the aggregate operations: a user/system grant on MeasureReport or {@code *} that can read. */
    boolean aggregates() {
        return scopes.stream().anyMatch(s -> s.context() != Context.PATIENT
                && (MEASURE_REPORT.equals(s.resourceType()) || SmartScope.ANY_TYPE.equals(s.resourceType()))
                && (s.permissions().contains(Permission.R) || s.permissions().contains(Permission.S)));
    }

    /** An unbound user/system grant on every type ({@code *}) with this permission. */
    boolean everything(Permission permission) {
        return access.organization() == null && scopes.stream().anyMatch(s -> s.context() != Context.PATIENT
                && SmartScope.ANY_TYPE.equals(s.resourceType()) && s.permissions().contains(permission));
    }

    /** An unbound system client with every permission on every type: may use the server's administrative operations. */
    boolean administers() {
        return access.organization() == null && scopes.stream().anyMatch(s -> s.context() == Context.SYSTEM
                && SmartScope.ANY_TYPE.equals(s.resourceType()) && s.permissions().containsAll(EnumSet.allOf(Permission.class)));
    }

    private static boolean names(SmartScope scope, String type) {
        if (AUDIT_EVENT.equals(type)) {
            return AUDIT_EVENT.equals(scope.resourceType());
        }
        if (MEASURE_REPORT.equals(scope.resourceType())) {
            return false;
        }
        return scope.appliesTo(type);
    }

    private Reach reach(SmartScope scope, String type, Permission permission) {
        boolean reading = READING.contains(permission);
        boolean unbound = scope.context() != Context.PATIENT && access.organization() == null;
        if (AUDIT_EVENT.equals(type)) {
            return unbound && (reading || permission == Permission.C) ? Reach.ALL : null;
        }
        if (SHARED.contains(type)) {
            return reading || unbound ? Reach.ALL : null;
        }
        if (unbound) {
            return Reach.ALL;
        }
        if (!personLevel(type)) {
            return null;
        }
        if (scope.context() == Context.PATIENT) {
            return access.patient() == null ? null : Reach.patient(access.patient());
        }
        return Reach.organization(access.organization());
    }

    /** Patient itself, or a type that belongs to a patient's compartment. */
    boolean personLevel(String type) {
        if (PATIENT.equals(type)) {
            return true;
        }
        try {
            return !fhirContext.getResourceDefinition(type).getSearchParamsForCompartmentName(PATIENT).isEmpty();
        } catch (DataFormatException unknownType) {
            return false;
        }
    }
}
