package org.recoveryoutcomes.server.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.recoveryoutcomes.server.security.SmartAccess;
import org.springframework.web.util.UriComponentsBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the AuditEvent of a request, shaped after IHE Basic Audit Log Patterns (BALP) RESTful activity: type
 * {@code rest} with the FHIR interaction as subtype, action C/R/U/D/E, outcome 0/4/8, the client application and
 * the user as agents, this server as source, and the patients, resources and query it touched as entities. Never
 * holds a token, a secret or a request body.
 */
final class AuditEvents {

    static final String SERVER_NAME = "Recovery Outcomes FHIR Server";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final Set<String> SECRET_PARAMETERS = Set.of("access_token", "client_secret", "client_assertion", "code",
            "code_verifier", "password", "refresh_token", "id_token", "token");

    private AuditEvents() {
    }

    static AuditEvent build(AuditRecord record, HttpServletRequest request, int status, SmartAccess access) {
        AuditEvent event = new AuditEvent();
        event.setId(record.id);
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", subtype(record, request), null));
        event.setAction(action(record, request));
        event.setPeriod(new Period().setStart(Date.from(record.started)).setEnd(new Date()));
        event.setRecorded(new Date());
        event.setOutcome(status < 400 ? AuditEventOutcome._0 : status < 500 ? AuditEventOutcome._4 : AuditEventOutcome._8);
        event.setOutcomeDesc("HTTP " + status + " " + request.getMethod() + " " + request.getRequestURI());

        AuditEventAgentComponent client = event.addAgent()
                .setType(concept(DCM, "110150", "Application"))
                .setRequestor(access == null || access.subject() == null || access.subject().equals(access.clientId()));
        client.getNetwork().setAddress(request.getRemoteAddr()).setType(AuditEventAgentNetworkType._2);
        if (access != null) {
            client.setName(access.clientId());
            client.setWho(new Reference().setIdentifier(new Identifier().setSystem(access.issuer()).setValue(access.clientId())));
            if (access.subject() != null && !access.subject().equals(access.clientId())) {
                AuditEventAgentComponent user = event.addAgent()
                        .setType(concept("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "humanuser", "human user"))
                        .setName(access.subject()).setRequestor(true);
                Reference who = new Reference().setIdentifier(new Identifier().setSystem(access.issuer()).setValue(access.subject()));
                if (access.fhirUser() != null) {
                    who.setReference(access.fhirUser());
                }
                user.setWho(who);
            }
        } else {
            client.setName("unauthenticated");
        }
        event.addAgent().setType(concept(DCM, "110152", "Destination Role ID")).setRequestor(false)
                .setWho(new Reference().setDisplay(SERVER_NAME))
                .getNetwork().setAddress(request.getServerName()).setType(AuditEventAgentNetworkType._1);

        event.getSource().setObserver(new Reference().setDisplay(SERVER_NAME))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

        for (String patient : List.copyOf(record.patients)) {
            event.addEntity().setWhat(new Reference("Patient/" + patient))
                    .setType(new Coding(ENTITY_TYPE, "1", "Person")).setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        for (String resource : List.copyOf(record.resources)) {
            if (!resource.startsWith("Patient/") || !record.patients.contains(resource.substring("Patient/".length()))) {
                event.addEntity().setWhat(new Reference(resource))
                        .setType(new Coding(ENTITY_TYPE, "2", "System Object")).setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
            }
        }
        String query = query(request);
        if (query != null) {
            event.addEntity().setType(new Coding(ENTITY_TYPE, "2", "System Object")).setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                    .setDescription(request.getRequestURI()).setQuery(query.getBytes(StandardCharsets.UTF_8));
        }
        return event;
    }

    private static String subtype(AuditRecord record, HttpServletRequest request) {
        if (record.interaction == null) {
            return "GET".equals(request.getMethod()) ? "read" : request.getMethod().toLowerCase(Locale.ROOT);
        }
        return switch (record.interaction) {
            case "METADATA" -> "capabilities";
            case "GET_PAGE" -> "search-type";
            case "EXTENDED_OPERATION_SERVER", "EXTENDED_OPERATION_TYPE", "EXTENDED_OPERATION_INSTANCE" -> "operation";
            default -> record.interaction.toLowerCase(Locale.ROOT).replace('_', '-');
        };
    }

    private static AuditEventAction action(AuditRecord record, HttpServletRequest request) {
        if (record.interaction == null) {
            return switch (request.getMethod()) {
                case "POST" -> AuditEventAction.C;
                case "PUT", "PATCH" -> AuditEventAction.U;
                case "DELETE" -> AuditEventAction.D;
                default -> AuditEventAction.R;
            };
        }
        return switch (record.interaction) {
            case "CREATE" -> AuditEventAction.C;
            case "READ", "VREAD", "HISTORY_INSTANCE", "HISTORY_TYPE", "HISTORY_SYSTEM", "METADATA" -> AuditEventAction.R;
            case "UPDATE", "PATCH" -> AuditEventAction.U;
            case "DELETE" -> AuditEventAction.D;
            default -> AuditEventAction.E; // searches (BALP Query), operations, batches and transactions
        };
    }

    /** The query string without anything that could be a credential. */
    private static String query(HttpServletRequest request) {
        if (request.getQueryString() == null || request.getQueryString().isEmpty()) {
            return null;
        }
        UriComponentsBuilder b = UriComponentsBuilder.newInstance().query(request.getQueryString());
        var params = b.build().getQueryParams();
        UriComponentsBuilder kept = UriComponentsBuilder.newInstance();
        params.forEach((name, values) -> {
            if (!SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> kept.queryParam(name, v));
            }
        });
        String q = kept.build().getQuery();
        return q == null || q.isEmpty() ? null : q;
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }
}
