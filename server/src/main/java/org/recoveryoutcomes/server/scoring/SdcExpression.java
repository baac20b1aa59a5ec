package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Expression;

/** One SDC expression ({@code valueExpression}) of a Questionnaire, parsed once when the Questionnaire is compiled. */
public final class SdcExpression {

    private final String name;
    private final String text;
    private final ExpressionNode node;
    private final String problem;

    private SdcExpression(String name, String text, ExpressionNode node, String problem) {
        this.name = name;
        this.text = text;
        this.node = node;
        this.problem = problem;
    }

    static SdcExpression compile(Expression e, SdcFhirPath fhirPath) {
        String language = e.getLanguage();
        String text = e.getExpression();
        if (text == null || text.isBlank()) {
            return new SdcExpression(e.getName(), text, null, "the expression is empty");
        }
        // SDC: a missing language is read as FHIRPath, as the reference engine does
        if (language != null && !language.equals("text/fhirpath")) {
            return new SdcExpression(e.getName(), text, null, "expression language " + language + " is not supported");
        }
        try {
            return new SdcExpression(e.getName(), text, fhirPath.parse(text), null);
        } catch (RuntimeException ex) {
            return new SdcExpression(e.getName(), text, null, "the FHIRPath expression does not parse: " + ex.getMessage());
        }
    }

    /** The variable name ({@code Expression.name}), or null. */
    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    ExpressionNode node() {
        return node;
    }

    /** Why the expression cannot be evaluated, or null when it can. */
    public String problem() {
        return problem;
    }
}
