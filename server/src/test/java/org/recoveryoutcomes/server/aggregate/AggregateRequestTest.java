package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregateRequestTest {

    static final ScoreCodes CODES = new ScoreCodes(FhirContext.forR4Cached(), DisclosureControlProperties.DEFAULTS);

    static AggregateRequest parse(List<String> code, List<String> date, List<String> org, List<String> groupBy) {
        return AggregateRequest.parse(code, date, org, groupBy, CODES);
    }

    @Test
    void dates_of_a_year_or_a_month_with_any_prefix_become_whole_months() {
        assertThat(AggregateRequest.monthRange("ge2024")).containsExactly(2024 * 12, Integer.MAX_VALUE);
        assertThat(AggregateRequest.monthRange("lt2024-04")).containsExactly(Integer.MIN_VALUE, 2024 * 12 + 3);
        assertThat(AggregateRequest.monthRange("ge2024-04-01")).containsExactly(2024 * 12 + 3, Integer.MAX_VALUE);
        assertThat(AggregateRequest.monthRange("gt2024-03-31")).containsExactly(2024 * 12 + 3, Integer.MAX_VALUE);
        assertThat(AggregateRequest.monthRange("le2024-02-29")).containsExactly(Integer.MIN_VALUE, 2024 * 12 + 2);
        assertThat(AggregateRequest.monthRange("gt2024")).containsExactly(2025 * 12, Integer.MAX_VALUE);
        assertThat(AggregateRequest.monthRange("le2024-06")).containsExactly(Integer.MIN_VALUE, 2024 * 12 + 6);
        assertThat(AggregateRequest.monthRange("2024-06")).containsExactly(2024 * 12 + 5, 2024 * 12 + 6);
        assertThat(AggregateRequest.monthRange("eq2024")).containsExactly(2024 * 12, 2025 * 12);
    }

    @Test
    void several_dates_intersect_and_an_empty_period_is_refused() {
        AggregateRequest r = parse(List.of("wemwbs-total"), List.of("ge2023", "ge2024-04", "lt2025", "lt2026"), null, null);
        assertThat(r.fromMonth()).isEqualTo(2024 * 12 + 3);
        assertThat(r.toMonth()).isEqualTo(2025 * 12);
        assertThatThrownBy(() -> parse(List.of("wemwbs-total"), List.of("ge2025", "lt2025"), null, null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("empty");
    }

    @Test
    void days_other_than_month_boundaries_are_refused() {
        for (String d : List.of("ge2024-04-02", "lt2024-04-15", "gt2024-04-01", "le2024-04-29", "2024-04-01", "ge2024-02-30")) {
            assertThatThrownBy(() -> AggregateRequest.monthRange(d)).as(d).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void codes_organisations_and_dimensions_are_normalised() {
        AggregateRequest r = parse(List.of("https://w3id.org/recovery-outcomes/fhir/CodeSystem/recovery-score|wemwbs-total,|swemwbs-metric",
                        "wemwbs-total"), null,
                List.of("Organization/a1", "b2,https://example.org/fhir/Organization/c3"), List.of("month,organization", "year"));
        assertThat(r.codes()).containsExactly("wemwbs-total", "swemwbs-metric");
        assertThat(r.organizations()).isEqualTo(Set.of("a1", "b2", "c3"));
        assertThat(r.groupBy()).containsExactly("organization", "year", "month");
        assertThat(r.fromMonth()).isNull();
    }

    @Test
    void every_combination_of_the_dimensions_is_a_stratifier_and_the_group_comes_first() {
        assertThat(AggregateService.subsets(List.of("organization", "quarter"))).containsExactly(List.of(), List.of("organization"),
                List.of("quarter"), List.of("organization", "quarter"));
        assertThat(AggregateService.subsets(List.of("organization", "year", "quarter", "month"))).hasSize(16);
    }
}
