package org.recoveryoutcomes.server.aggregate;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Reads the published figures out of a MeasureReport, in the shape of {@link ExpectedFigures}. */
final class ReportFigures {

    static final String DAR = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    static final String STATISTIC = "https://w3id.org/recovery-outcomes/fhir/StructureDefinition/aggregate-statistic";

    private ReportFigures() {
    }

    static MeasureReport.MeasureReportGroupComponent group(MeasureReport mr, String code) {
        return mr.getGroup().stream().filter(g -> g.getCode().getCodingFirstRep().getCode().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no group " + code));
    }

    /** Figures by stratum label; "" for the group itself when dimensions is empty. */
    static Map<String, Map<String, String>> of(MeasureReport mr, String code, List<String> dimensions) {
        MeasureReport.MeasureReportGroupComponent g = group(mr, code);
        Map<String, Map<String, String>> out = new TreeMap<>();
        if (dimensions.isEmpty()) {
            Map<String, String> f = new LinkedHashMap<>();
            g.getPopulation().forEach(p -> f.put(p.getCode().getCodingFirstRep().getCode(), value(p.getCountElement())));
            f.put("mean", score(g.getMeasureScore()));
            statistics(g, f);
            out.put("", f);
            return out;
        }
        MeasureReport.MeasureReportGroupStratifierComponent s = g.getStratifier().stream()
                .filter(x -> x.getCode().size() == 1 && (dimensions.size() == 1
                        ? dimensions.get(0).equals(x.getCodeFirstRep().getCodingFirstRep().getCode())
                        : String.join("+", dimensions).equals(x.getCodeFirstRep().getText())))
                .findFirst().orElseThrow(() -> new AssertionError("no stratifier " + dimensions));
        for (MeasureReport.StratifierGroupComponent st : s.getStratum()) {
            String label = st.hasValue() ? st.getValue().getText()
                    : st.getComponent().stream().map(c -> c.getValue().getText()).collect(Collectors.joining(" | "));
            Map<String, String> f = new LinkedHashMap<>();
            st.getPopulation().forEach(p -> f.put(p.getCode().getCodingFirstRep().getCode(), value(p.getCountElement())));
            f.put("mean", score(st.getMeasureScore()));
            statistics(st, f);
            if (out.put(label, f) != null) {
                throw new AssertionError("stratum " + label + " twice");
            }
        }
        return out;
    }

    private static void statistics(Element e, Map<String, String> f) {
        for (Extension x : e.getExtensionsByUrl(STATISTIC)) {
            String code = ((Coding) x.getExtensionByUrl("statistic").getValue()).getCode();
            f.put(code, value((PrimitiveType<?>) x.getExtensionByUrl("value").getValue()));
        }
    }

    private static String value(PrimitiveType<?> p) {
        if (p.getValue() != null) {
            return p instanceof IntegerType i ? String.valueOf(i.getValue()) : ((BigDecimal) p.getValue()).toPlainString();
        }
        return p.getExtensionByUrl(DAR).getValue().primitiveValue();
    }

    private static String score(Quantity q) {
        if (q.hasValue()) {
            return q.getValue().toPlainString();
        }
        return q.getExtensionByUrl(DAR).getValue().primitiveValue();
    }

    static String text(CodeableConcept c) {
        return c.getText();
    }
}
