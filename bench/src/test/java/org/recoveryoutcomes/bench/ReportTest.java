package org.recoveryoutcomes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** results.json has exactly the keys of issue 9 and of the soak (issue 10), unmeasured ones as null. */
class ReportTest {

    @Test
    void resultsJsonHasExactlyTheKeys() throws Exception {
        Results r = new Results();
        r.put("ingest_ratio", 0.8123);
        r.put("score_p50_ms", 0.04567);
        JsonNode json = FhirClient.JSON.readTree(Report.json(r));
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(Results.KEYS);
        assertThat(json.get("ingest_ratio").asDouble()).isEqualTo(0.812);
        assertThat(json.get("score_p50_ms").asDouble()).isEqualTo(0.046);
        assertThat(json.get("rss_mb").isNull()).isTrue();
    }

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000};
        assertThat(Results.percentileMs(nanos, 50)).isEqualTo(3.0);
        assertThat(Results.percentileMs(nanos, 90)).isEqualTo(5.0);
    }
}
