package org.recoveryoutcomes.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.recoveryoutcomes.server.security.SmartScope.Context;
import org.recoveryoutcomes.server.security.SmartScope.Permission;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmartScopeTest {

    @Test
    void aV1ReadScopeGrantsReadAndSearch() {
        assertThat(SmartScope.parse("patient/*.read")).contains(
                new SmartScope(Context.PATIENT, "*", EnumSet.of(Permission.R, Permission.S)));
    }

    @Test
    void aV1WriteScopeGrantsCreateUpdateAndDelete() {
        assertThat(SmartScope.parse("user/Observation.write")).contains(
                new SmartScope(Context.USER, "Observation", EnumSet.of(Permission.C, Permission.U, Permission.D)));
    }

    @Test
    void v2ScopesGrantExactlyTheirLetters() {
        assertThat(SmartScope.parse("patient/QuestionnaireResponse.rs")).contains(
                new SmartScope(Context.PATIENT, "QuestionnaireResponse", EnumSet.of(Permission.R, Permission.S)));
        assertThat(SmartScope.parse("system/*.cruds")).contains(
                new SmartScope(Context.SYSTEM, "*", EnumSet.allOf(Permission.class)));
        assertThat(SmartScope.parse("system/MeasureReport.rs").orElseThrow().permissions()).containsExactlyInAnyOrder(Permission.R, Permission.S);
    }

    @ParameterizedTest(name = "\"{0}\" grants nothing")
    @ValueSource(strings = {"openid", "fhirUser", "launch/patient", "offline_access", "patient/Observation.sr", "patient/Observation.x",
            "patient/Observation.rs?category=laboratory", "group/*.read", "patient/*.", "patient/Observation"})
    void scopesThatAreNotResourceScopesOrAreNotEnforcedGrantNothing(String scope) {
        assertThat(SmartScope.parse(scope)).isEmpty();
    }

    @Test
    void aRegisteredWildcardCoversANarrowerRequestInTheSameContextOnly() {
        List<String> registered = List.of("system/*.cruds");
        assertThat(SmartScope.covered("system/Observation.rs", registered)).isTrue();
        assertThat(SmartScope.covered("system/*.cruds", registered)).isTrue();
        assertThat(SmartScope.covered("user/Observation.rs", registered)).isFalse();
        assertThat(SmartScope.covered("openid", registered)).isFalse();
        assertThat(SmartScope.covered("system/Observation.cruds", List.of("system/Observation.rs"))).isFalse();
    }
}
