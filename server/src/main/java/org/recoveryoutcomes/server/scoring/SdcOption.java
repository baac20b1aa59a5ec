package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One answerOption of an item with its weight (itemWeight/ordinalValue on the option, else on its valueCoding).
 *
 * @param value  the option's value[x]
 * @param weight its weight, or null
 */
public record SdcOption(Type value, BigDecimal weight) {

    /** Whether an answer value is this option: Codings by system and code, numbers by value, others by their value. */
    public boolean matches(Type answer) {
        if (answer == null || value == null) {
            return false;
        }
        if (value instanceof Coding o) {
            return answer instanceof Coding a && Objects.equals(o.getCode(), a.getCode()) && Objects.equals(o.getSystem(), a.getSystem());
        }
        if (value instanceof Reference o) {
            return answer instanceof Reference a && Objects.equals(o.getReference(), a.getReference());
        }
        BigDecimal n = Weights.number(value);
        if (n != null) {
            BigDecimal m = Weights.number(answer);
            return m != null && n.compareTo(m) == 0;
        }
        return value instanceof PrimitiveType<?> o && answer instanceof PrimitiveType<?> a && o.fhirType().equals(a.fhirType())
                && Objects.equals(o.getValueAsString(), a.getValueAsString());
    }
}
