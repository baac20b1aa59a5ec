package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Expression;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One Questionnaire item, with what validation and scoring need read out of its extensions once. */
public final class SdcItem {

    static final String CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression";
    static final String ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";
    static final String VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable";
    static final String OBSERVATION_EXTRACT = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observationExtract";
    static final String EXTRACT_CATEGORY = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-observation-extract-category";
    static final String MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue";
    static final String MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue";
    static final String MIN_LENGTH = "http://hl7.org/fhir/StructureDefinition/minLength";
    static final String MAX_DECIMAL_PLACES = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces";
    static final String REGEX = "http://hl7.org/fhir/StructureDefinition/regex";
    static final String UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit";

    private final QuestionnaireItemComponent item;
    private final SdcItem parent;
    private final int index;
    private final List<SdcItem> children = new ArrayList<>();
    private final List<SdcOption> options;
    private final List<SdcExpression> variables;
    private final SdcExpression calculated;
    private final SdcExpression enableWhenExpression;
    private final boolean observationExtract;
    private final List<CodeableConcept> extractCategories;

    SdcItem(QuestionnaireItemComponent item, SdcItem parent, int index, SdcFhirPath fhirPath, boolean extractInherited,
            List<CodeableConcept> categoriesInherited) {
        this.item = item;
        this.parent = parent;
        this.index = index;
        List<SdcOption> opts = new ArrayList<>();
        for (QuestionnaireItemAnswerOptionComponent o : item.getAnswerOption()) {
            BigDecimal w = Weights.extension(o);
            if (w == null && o.getValue() instanceof Coding c) {
                w = Weights.extension(c);
            }
            opts.add(new SdcOption(o.getValue(), w));
        }
        this.options = List.copyOf(opts);
        List<SdcExpression> vars = new ArrayList<>();
        SdcExpression calc = null;
        SdcExpression enable = null;
        Boolean extract = null;
        List<CodeableConcept> categories = new ArrayList<>();
        for (Extension e : item.getExtension()) {
            switch (e.getUrl()) {
                case VARIABLE -> {
                    if (e.getValue() instanceof Expression x) {
                        vars.add(SdcExpression.compile(x, fhirPath));
                    }
                }
                case CALCULATED -> {
                    if (e.getValue() instanceof Expression x) {
                        calc = SdcExpression.compile(x, fhirPath);
                    }
                }
                case ENABLE_WHEN_EXPRESSION -> {
                    if (e.getValue() instanceof Expression x) {
                        enable = SdcExpression.compile(x, fhirPath);
                    }
                }
                case OBSERVATION_EXTRACT -> {
                    if (e.getValue() instanceof BooleanType b) {
                        extract = b.booleanValue();
                    }
                }
                case EXTRACT_CATEGORY -> {
                    if (e.getValue() instanceof CodeableConcept cc) {
                        categories.add(cc);
                    }
                }
                default -> {
                }
            }
        }
        this.variables = List.copyOf(vars);
        this.calculated = calc;
        this.enableWhenExpression = enable;
        // SDC: observationExtract on a group or the Questionnaire applies to the items below it
        this.observationExtract = extract != null ? extract : extractInherited;
        this.extractCategories = categories.isEmpty() ? categoriesInherited : List.copyOf(categories);
        for (QuestionnaireItemComponent child : item.getItem()) {
            children.add(new SdcItem(child, this, children.size(), fhirPath, observationExtract, extractCategories));
        }
    }

    public QuestionnaireItemComponent definition() {
        return item;
    }

    public String linkId() {
        return item.getLinkId();
    }

    public QuestionnaireItemType type() {
        return item.getType();
    }

    public boolean isGroup() {
        return item.getType() == QuestionnaireItemType.GROUP;
    }

    public boolean isDisplay() {
        return item.getType() == QuestionnaireItemType.DISPLAY;
    }

    public boolean required() {
        return item.getRequired();
    }

    public boolean repeats() {
        return item.getRepeats();
    }

    public SdcItem parent() {
        return parent;
    }

    /** Position among the siblings in the Questionnaire. */
    public int index() {
        return index;
    }

    public List<SdcItem> children() {
        return Collections.unmodifiableList(children);
    }

    public List<SdcOption> options() {
        return options;
    }

    public String answerValueSet() {
        return item.hasAnswerValueSet() ? item.getAnswerValueSet() : null;
    }

    public List<SdcExpression> variables() {
        return variables;
    }

    /** The calculatedExpression, or null. */
    public SdcExpression calculated() {
        return calculated;
    }

    public SdcExpression enableWhenExpression() {
        return enableWhenExpression;
    }

    public boolean observationExtract() {
        return observationExtract;
    }

    public List<CodeableConcept> extractCategories() {
        return extractCategories;
    }

    /** The first item.code, or null. */
    public Coding code() {
        return item.hasCode() ? item.getCodeFirstRep() : null;
    }

    public Coding unit() {
        Extension e = extension(UNIT);
        return e != null && e.getValue() instanceof Coding c ? c : null;
    }

    public Type minValue() {
        Extension e = extension(MIN_VALUE);
        return e == null ? null : e.getValue();
    }

    public Type maxValue() {
        Extension e = extension(MAX_VALUE);
        return e == null ? null : e.getValue();
    }

    public Integer minLength() {
        Extension e = extension(MIN_LENGTH);
        return e != null && e.getValue() instanceof IntegerType i ? i.getValue() : null;
    }

    public Integer maxLength() {
        return item.hasMaxLength() ? item.getMaxLength() : null;
    }

    public Integer maxDecimalPlaces() {
        Extension e = extension(MAX_DECIMAL_PLACES);
        return e != null && e.getValue() instanceof IntegerType i ? i.getValue() : null;
    }

    public String regex() {
        Extension e = extension(REGEX);
        return e != null && e.getValue() instanceof StringType s ? s.getValue() : null;
    }

    /** The option an answer value matches, or null. */
    public SdcOption option(Type answer) {
        for (SdcOption o : options) {
            if (o.matches(answer)) {
                return o;
            }
        }
        return null;
    }

    /** This item and its ancestors, outermost first. */
    public List<SdcItem> path() {
        List<SdcItem> path = new ArrayList<>();
        for (SdcItem i = this; i != null; i = i.parent) {
            path.add(0, i);
        }
        return path;
    }

    private Extension extension(String url) {
        for (Extension e : item.getExtension()) {
            if (url.equals(e.getUrl())) {
                return e;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return linkId();
    }
}
