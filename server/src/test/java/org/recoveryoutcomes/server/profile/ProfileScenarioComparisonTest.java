package org.recoveryoutcomes.server.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The golden comparison itself catches what it should (no server needed). */
class ProfileScenarioComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> differences(String expected, String actual) throws Exception {
        List<String> out = new ArrayList<>();
        ProfileScenario.compare("Parameters", JSON.readTree(expected), JSON.readTree(actual), out);
        return out;
    }

    @Test
    void equalNumbersWrittenDifferentlyMatch() throws Exception {
        assertThat(differences("{\"v\": 60.0}", "{\"v\": 60}")).isEmpty();
        assertThat(differences("{\"v\": 45.983903}", "{\"v\": 45.9839033}")).isEmpty();
    }

    @Test
    void aWrongFigureAMissingOrExtraPartAndAnotherOrderAreAllCaught() throws Exception {
        assertThat(differences("{\"v\": 17}", "{\"v\": 18}")).hasSize(1);
        assertThat(differences("{\"p\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", "{\"p\": [{\"name\": \"a\"}]}")).isNotEmpty();
        assertThat(differences("{\"p\": [{\"name\": \"a\"}]}", "{\"p\": [{\"name\": \"a\", \"x\": 1}]}")).hasSize(1);
        assertThat(differences("{\"p\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}", "{\"p\": [{\"name\": \"b\"}, {\"name\": \"a\"}]}")).hasSize(2);
    }

    @Test
    void anyMatchesOnlyInsideTheRestOfTheString() throws Exception {
        assertThat(differences("{\"r\": \"Observation/{{any}}\"}", "{\"r\": \"Observation/123\"}")).isEmpty();
        assertThat(differences("{\"r\": \"Observation/{{any}}\"}", "{\"r\": \"Goal/123\"}")).hasSize(1);
    }
}
