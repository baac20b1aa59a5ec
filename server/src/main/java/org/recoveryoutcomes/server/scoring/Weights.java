package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Type;

import java.math.BigDecimal;
import java.util.List;

/** Where SDC keeps the numeric value of an answer: the itemWeight / ordinalValue extensions and the itemWeight concept property. */
final class Weights {

    static final String ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight";
    static final String ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
    static final String ITEM_WEIGHT_PROPERTY = "http://hl7.org/fhir/concept-properties#itemWeight";

    private Weights() {
    }

    /** The value of the first itemWeight/ordinalValue extension of the element, or null. */
    static BigDecimal extension(Element e) {
        if (e == null || !e.hasExtension()) {
            return null;
        }
        for (Extension x : e.getExtension()) {
            if (ITEM_WEIGHT.equals(x.getUrl()) || ORDINAL_VALUE.equals(x.getUrl())) {
                return number(x.getValue());
            }
        }
        return null;
    }

    static BigDecimal number(Type t) {
        if (t instanceof DecimalType d && d.getValue() != null) {
            return d.getValue();
        }
        if (t instanceof IntegerType i && i.getValue() != null) {
            return BigDecimal.valueOf(i.getValue());
        }
        return null;
    }

    /** A CodeSystem concept's weight: its extension, else its itemWeight property. */
    static BigDecimal concept(CodeSystem cs, CodeSystem.ConceptDefinitionComponent c) {
        BigDecimal ext = extension(c);
        if (ext != null) {
            return ext;
        }
        String code = itemWeightPropertyCode(cs.getProperty());
        for (CodeSystem.ConceptPropertyComponent p : c.getProperty()) {
            if (p.getCode() != null && (p.getCode().equals(code) || p.getCode().equals("itemWeight"))) {
                BigDecimal v = number(p.getValue());
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    private static String itemWeightPropertyCode(List<CodeSystem.PropertyComponent> properties) {
        for (CodeSystem.PropertyComponent p : properties) {
            if (ITEM_WEIGHT_PROPERTY.equals(p.getUri())) {
                return p.getCode();
            }
        }
        return "itemWeight";
    }

}
