package org.recoveryoutcomes.server.goals;

import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The T-score formula on its own, with hand-calculated values (Turner-Stokes 2009, ρ = 0.3). */
class GasCalculationTest {

    private static GasCalculation.ScoredGoal g(String weight, int level) {
        return new GasCalculation.ScoredGoal(new Goal(), new BigDecimal(weight), level, new Observation());
    }

    private static BigDecimal t(GasCalculation.ScoredGoal... goals) {
        return GasCalculation.tScore(List.of(goals), new BigDecimal("0.3"));
    }

    @Test
    void theContractExampleIsSixty() {
        // Σwx = 2 + 2 - 1 = 3, Σw² = 6, (Σw)² = 16, √(4.2 + 4.8) = 3, T = 50 + 10·3/3 = 60
        assertThat(t(g("1", 2), g("2", 1), g("1", -1))).isEqualByComparingTo("60.0");
        assertThat(new DecimalType(t(g("1", 2), g("2", 1), g("1", -1))).getValueAsString()).isEqualTo("60.0");
    }

    @Test
    void goalsAttainedAsExpectedGiveFifty() {
        assertThat(t(g("1", 0), g("3", 0))).isEqualByComparingTo("50");
    }

    @Test
    void twoEqualGoalsOneLevelAboveExpectation() {
        // Σwx = 2, Σw² = 2, (Σw)² = 4, √(1.4 + 1.2) = √2.6 = 1.61245155, 10·2/1.61245155 = 12.40347346, T = 62.403473
        assertThat(t(g("1", 1), g("1", 1))).isEqualByComparingTo("62.403473");
    }

    @Test
    void decimalWeightsAndTheFloorOfTheScale() {
        // one goal, w 2.5, level -2: Σwx = -5, Σw² = 6.25, (Σw)² = 6.25, √(4.375 + 1.875) = √6.25 = 2.5, T = 50 - 20 = 30
        assertThat(t(g("2.5", -2))).isEqualByComparingTo("30.0");
    }

    @Test
    void theWeightExtensionDefaultsToOne() {
        assertThat(Gas.weight(new Goal())).isEqualByComparingTo("1");
    }
}
