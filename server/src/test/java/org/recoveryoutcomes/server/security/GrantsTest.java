package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.security.SmartScope.Permission;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class GrantsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static Grants grants(String patient, String organization, String... scopes) {
        return new Grants(FHIR, new SmartAccess("iss", "client", "sub", patient, organization, null, Set.of(scopes)));
    }

    @Test
    void aPatientScopeReachesOnlyThatPatientsCompartment() {
        Grants g = grants("p1", null, "patient/*.rs");
        assertThat(g.reaches("Observation", Permission.R)).containsExactly(Reach.patient("p1"));
        assertThat(g.reaches("Patient", Permission.S)).containsExactly(Reach.patient("p1"));
        assertThat(g.reaches("Observation", Permission.C)).isEmpty();
    }

    @Test
    void aPatientScopeWithoutAPatientInContextReachesNoPersonLevelData() {
        assertThat(grants(null, null, "patient/*.rs").readReaches("Observation")).isEmpty();
    }

    @Test
    void sharedContentIsReadableByAnyScopeThatNamesItButWritableOnlyByUnboundClients() {
        assertThat(grants("p1", null, "patient/*.rs").readReaches("Questionnaire")).containsExactly(Reach.ALL);
        assertThat(grants(null, "o1", "system/*.cruds").reaches("Questionnaire", Permission.U)).isEmpty();
        assertThat(grants(null, null, "system/*.cruds").reaches("Questionnaire", Permission.U)).containsExactly(Reach.ALL);
    }

    @Test
    void anOrganisationBoundClientReachesTheCompartmentsOfItsPatientsOnly() {
        Grants g = grants(null, "o1", "system/*.cruds");
        assertThat(g.reaches("Observation", Permission.R)).containsExactly(Reach.organization("o1"));
        assertThat(g.reaches("Patient", Permission.C)).containsExactly(Reach.organization("o1"));
        assertThat(g.readReaches("Medication")).as("not in a patient compartment").isEmpty();
    }

    @Test
    void auditEventsNeedAnExplicitUnboundScopeAndCanNeverBeChangedOrDeleted() {
        assertThat(grants(null, null, "system/*.cruds").readReaches("AuditEvent")).isEmpty();
        Grants auditor = grants(null, null, "system/AuditEvent.cruds");
        assertThat(auditor.readReaches("AuditEvent")).containsExactly(Reach.ALL);
        assertThat(auditor.reaches("AuditEvent", Permission.U)).isEmpty();
        assertThat(auditor.reaches("AuditEvent", Permission.D)).isEmpty();
        assertThat(grants(null, "o1", "system/AuditEvent.rs").readReaches("AuditEvent")).isEmpty();
    }

    @Test
    void theHubScopeReachesNoStoredResourceButTheAggregates() {
        Grants hub = grants(null, null, "system/MeasureReport.rs");
        assertThat(hub.readReaches("MeasureReport")).isEmpty();
        assertThat(hub.readReaches("Observation")).isEmpty();
        assertThat(hub.readReaches("Patient")).isEmpty();
        assertThat(hub.aggregates()).isTrue();
        assertThat(grants("p1", null, "patient/*.rs").aggregates()).isFalse();
    }

    @Test
    void onlyAnUnboundSystemClientWithEveryPermissionAdministers() {
        assertThat(grants(null, null, "system/*.cruds").administers()).isTrue();
        assertThat(grants(null, "o1", "system/*.cruds").administers()).isFalse();
        assertThat(grants(null, null, "system/*.rs").administers()).isFalse();
        assertThat(grants(null, null, "user/*.cruds").administers()).isFalse();
    }
}
