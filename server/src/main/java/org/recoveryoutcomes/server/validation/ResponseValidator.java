package org.recoveryoutcomes.server.validation;

import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.Type;
import org.hl7.fhir.r4.model.UriType;
import org.recoveryoutcomes.server.scoring.Enablement;
import org.recoveryoutcomes.server.scoring.Evaluation;
import org.recoveryoutcomes.server.scoring.SdcForm;
import org.recoveryoutcomes.server.scoring.SdcItem;
import org.recoveryoutcomes.server.scoring.SdcOption;
import org.recoveryoutcomes.server.scoring.Terminology;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Checks a completed response against its Questionnaire by the SDC 4.0 / R4 rules, walking both trees once: linkIds
 * exist and nest as in the Questionnaire, non-repeating items occur and are answered once, answers have the item's
 * type and are among its options or in its ValueSet, min/max value and length, decimal places, regex, required items
 * are answered and disabled items are not. Each problem names the response node it is about (a FHIRPath into the
 * response); a missing item is reported on the node it is missing from.
 */
@Component
class ResponseValidator {

    /** One problem: where (FHIRPath into the response) and why. */
    record Issue(IssueType type, String expression, String message) {
    }

    private final Terminology terminology;
    private final Enablement enablement;

    ResponseValidator(Terminology terminology, Enablement enablement) {
        this.terminology = terminology;
        this.enablement = enablement;
    }

    List<Issue> validate(SdcForm form, QuestionnaireResponse response) {
        List<Issue> issues = new ArrayList<>();
        Walk walk = new Walk(form, new Evaluation(form, response), issues);
        walk.level(form.items(), response.getItem(), "QuestionnaireResponse", new ArrayList<>(List.of(response)));
        return issues;
    }

    private final class Walk {
        private final SdcForm form;
        private final Evaluation ev;
        private final List<Issue> issues;

        Walk(SdcForm form, Evaluation ev, List<Issue> issues) {
            this.form = form;
            this.ev = ev;
            this.issues = issues;
        }

        /** The response items under one node against the Questionnaire items allowed there. */
        void level(List<SdcItem> allowed, List<QuestionnaireResponseItemComponent> items, String path, List<Base> lineage) {
            Map<String, SdcItem> byLinkId = allowed.stream().collect(Collectors.toMap(SdcItem::linkId, i -> i, (a, b) -> a));
            Map<String, Integer> occurrences = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                QuestionnaireResponseItemComponent r = items.get(i);
                String here = path + ".item[" + i + "]";
                SdcItem q = byLinkId.get(r.getLinkId());
                if (q == null) {
                    issues.add(new Issue(IssueType.STRUCTURE, here, unknown(r.getLinkId(), allowed)));
                    continue;
                }
                int n = occurrences.merge(q.linkId(), 1, Integer::sum);
                if (n > 1 && !q.repeats()) {
                    issues.add(new Issue(IssueType.STRUCTURE, here, "item '" + q.linkId() + "' does not repeat but occurs " + n + " times here"));
                    continue;
                }
                if (!enablement.enabled(q, lineage, r, ev)) {
                    if (hasContent(r)) {
                        issues.add(new Issue(IssueType.BUSINESSRULE, here, "item '" + q.linkId() + "' is disabled by its "
                                + (q.definition().hasEnableWhen() ? "enableWhen conditions" : "enableWhenExpression")
                                + " for these answers and must not be answered"));
                    }
                    continue;
                }
                item(q, r, here, lineage);
            }
            for (SdcItem q : allowed) {
                if (!q.required() || q.isDisplay() || q.calculated() != null || occurrences.containsKey(q.linkId())) {
                    continue;
                }
                if (enablement.enabled(q, lineage, null, ev)) {
                    issues.add(new Issue(IssueType.REQUIRED, path, "the required item '" + q.linkId() + "'" + label(q) + " is missing"));
                }
            }
        }

        private void item(SdcItem q, QuestionnaireResponseItemComponent r, String path, List<Base> lineage) {
            List<Base> deeper = new ArrayList<>(lineage);
            deeper.add(r);
            if (q.isGroup() || q.isDisplay()) {
                if (r.hasAnswer()) {
                    issues.add(new Issue(IssueType.STRUCTURE, path + ".answer[0]", "item '" + q.linkId() + "' is a " + q.type().toCode()
                            + " item and cannot have answers"));
                }
                if (q.isGroup()) {
                    if (q.required() && !hasContent(r)) {
                        issues.add(new Issue(IssueType.REQUIRED, path, "the required group '" + q.linkId() + "'" + label(q) + " has no answers"));
                    }
                    level(q.children(), r.getItem(), path, deeper);
                } else if (r.hasItem()) {
                    issues.add(new Issue(IssueType.STRUCTURE, path + ".item[0]", "display item '" + q.linkId() + "' cannot contain items"));
                }
                return;
            }
            List<QuestionnaireResponseItemAnswerComponent> answers = r.getAnswer();
            if (answers.size() > 1 && !q.repeats()) {
                issues.add(new Issue(IssueType.STRUCTURE, path, "item '" + q.linkId() + "' does not repeat but has " + answers.size() + " answers"));
            }
            boolean answered = answers.stream().anyMatch(QuestionnaireResponseItemAnswerComponent::hasValue);
            if (q.required() && !answered && q.calculated() == null) {
                issues.add(new Issue(IssueType.REQUIRED, path, "the required item '" + q.linkId() + "'" + label(q) + " has no answer"));
            }
            boolean answerItems = false;
            for (int j = 0; j < answers.size(); j++) {
                QuestionnaireResponseItemAnswerComponent a = answers.get(j);
                String here = path + ".answer[" + j + "]";
                if (!a.hasValue()) {
                    issues.add(new Issue(IssueType.REQUIRED, here, "the answer has no value"));
                } else {
                    value(q, a.getValue(), here);
                }
                if (a.hasItem()) {
                    answerItems = true;
                    level(q.children(), a.getItem(), here, deeper);
                }
            }
            if (r.hasItem()) {
                level(q.children(), r.getItem(), path, deeper);
            } else if (!answerItems && answered && !q.children().isEmpty()) {
                level(q.children(), List.of(), path + ".answer[0]", deeper);
            }
        }

        private void value(SdcItem q, Type v, String path) {
            String expected = expectedTypes(q);
            if (expected != null && !expected.contains(" " + v.fhirType() + " ")) {
                issues.add(new Issue(IssueType.INVALID, path, "item '" + q.linkId() + "' is a " + q.type().toCode() + " item: an answer must be "
                        + expected.trim().replace(" ", " or ").replace("(", "").replace(")", "") + ", not " + v.fhirType()));
                return;
            }
            boolean choice = q.type() == org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType.CHOICE;
            boolean openChoice = q.type() == org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType.OPENCHOICE;
            if (choice && !q.options().isEmpty() && q.option(v) == null) {
                issues.add(new Issue(IssueType.CODEINVALID, path, "item '" + q.linkId() + "' is answered with " + show(v)
                        + ", which is not one of its answerOptions (" + options(q) + ")"));
                return;
            }
            if (q.answerValueSet() != null && v instanceof Coding c && (choice || openChoice && c.hasSystem())) {
                Optional<Terminology.AnswerSet> answers = terminology.answers(form, q.answerValueSet());
                if (answers.isPresent() && answers.get().complete() && answers.get().find(c.getSystem(), c.getCode()) == null) {
                    issues.add(new Issue(IssueType.CODEINVALID, path, "item '" + q.linkId() + "' is answered with " + show(v)
                            + ", which is not in its answerValueSet " + q.answerValueSet()));
                    return;
                }
            }
            range(q, v, path);
            text(q, v, path);
        }

        private void range(SdcItem q, Type v, String path) {
            Integer below = compare(v, q.minValue());
            if (below != null && below < 0) {
                issues.add(new Issue(IssueType.VALUE, path, "item '" + q.linkId() + "': " + show(v) + " is below its minValue " + show(q.minValue())));
            }
            Integer above = compare(v, q.maxValue());
            if (above != null && above > 0) {
                issues.add(new Issue(IssueType.VALUE, path, "item '" + q.linkId() + "': " + show(v) + " is above its maxValue " + show(q.maxValue())));
            }
            if (v instanceof DecimalType d && q.maxDecimalPlaces() != null && d.getValue() != null
                    && d.getValue().stripTrailingZeros().scale() > q.maxDecimalPlaces()) {
                issues.add(new Issue(IssueType.VALUE, path, "item '" + q.linkId() + "': " + show(v) + " has more than "
                        + q.maxDecimalPlaces() + " decimal places"));
            }
        }

        private void text(SdcItem q, Type v, String path) {
            if (!(v instanceof StringType || v instanceof UriType) || !((PrimitiveType<?>) v).hasValue()) {
                return;
            }
            String s = ((PrimitiveType<?>) v).getValueAsString();
            if (q.maxLength() != null && s.length() > q.maxLength()) {
                issues.add(new Issue(IssueType.TOOLONG, path, "item '" + q.linkId() + "': the answer has " + s.length()
                        + " characters, more than its maxLength " + q.maxLength()));
            }
            if (q.minLength() != null && s.length() < q.minLength()) {
                issues.add(new Issue(IssueType.VALUE, path, "item '" + q.linkId() + "': the answer has " + s.length()
                        + " characters, fewer than its minLength " + q.minLength()));
            }
            if (q.regex() != null) {
                try {
                    if (!Pattern.compile(q.regex()).matcher(s).matches()) {
                        issues.add(new Issue(IssueType.VALUE, path, "item '" + q.linkId() + "': the answer does not match the pattern " + q.regex()));
                    }
                } catch (PatternSyntaxException e) {
                    // a pattern Java cannot read is not the response's fault
                }
            }
        }
    }

    /** The value[x] types an item's answers may have (space-separated FHIR type names), or null when any is allowed. */
    private static String expectedTypes(SdcItem q) {
        return switch (q.type()) {
            case BOOLEAN -> " boolean ";
            case DECIMAL -> " decimal ";
            case INTEGER -> " integer ";
            case DATE -> " date ";
            case DATETIME -> " dateTime ";
            case TIME -> " time ";
            case STRING, TEXT -> " string ";
            case URL -> " uri ";
            case ATTACHMENT -> " Attachment ";
            case REFERENCE -> " Reference ";
            case QUANTITY -> " Quantity ";
            case CHOICE -> optionTypes(q, false);
            case OPENCHOICE -> optionTypes(q, true);
            default -> null;
        };
    }

    /** R4: a choice answer has the type of the item's options (Coding when they come from a ValueSet); open-choice also string. */
    private static String optionTypes(SdcItem q, boolean open) {
        StringBuilder sb = new StringBuilder(" ");
        if (q.options().isEmpty()) {
            sb.append("Coding ");
        }
        for (SdcOption o : q.options()) {
            if (o.value() != null && sb.indexOf(" " + o.value().fhirType() + " ") < 0) {
                sb.append(o.value().fhirType()).append(' ');
            }
        }
        if (open && sb.indexOf(" string ") < 0) {
            sb.append("string ");
        }
        return sb.toString();
    }

    private static Integer compare(Type v, Type limit) {
        if (limit == null || v == null) {
            return null;
        }
        BigDecimal x = number(v);
        BigDecimal y = number(limit);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        if (v instanceof BaseDateTimeType a && limit instanceof BaseDateTimeType b && a.getValue() != null && b.getValue() != null) {
            return a.getValue().compareTo(b.getValue());
        }
        if (v instanceof TimeType a && limit instanceof TimeType b && a.hasValue() && b.hasValue()) {
            return a.getValue().compareTo(b.getValue());
        }
        return null;
    }

    private static BigDecimal number(Type t) {
        if (t instanceof IntegerType i && i.getValue() != null) {
            return BigDecimal.valueOf(i.getValue());
        }
        if (t instanceof DecimalType d) {
            return d.getValue();
        }
        if (t instanceof Quantity q) {
            return q.getValue();
        }
        return null;
    }

    private static boolean hasContent(QuestionnaireResponseItemComponent r) {
        for (QuestionnaireResponseItemAnswerComponent a : r.getAnswer()) {
            if (a.hasValue() || a.hasItem()) {
                return true;
            }
        }
        for (QuestionnaireResponseItemComponent c : r.getItem()) {
            if (hasContent(c)) {
                return true;
            }
        }
        return false;
    }

    private String unknown(String linkId, List<SdcItem> allowed) {
        return "there is no item with linkId '" + linkId + "' here"
                + (allowed.isEmpty() ? "" : " (the items here are " + allowed.stream().map(SdcItem::linkId).limit(30).collect(Collectors.joining(", ")) + ")");
    }

    private static String label(SdcItem q) {
        String text = q.definition().getText();
        return text == null ? "" : " (" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + ")";
    }

    private static String options(SdcItem q) {
        return q.options().stream().map(o -> o.value() instanceof Coding c ? c.getCode() : show(o.value())).limit(12)
                .collect(Collectors.joining(", "));
    }

    private static String show(Type v) {
        if (v instanceof Coding c) {
            return "code '" + c.getCode() + "'" + (c.hasSystem() ? " of " + c.getSystem() : "");
        }
        if (v instanceof Quantity q) {
            return q.getValue() + " " + q.getUnit();
        }
        if (v instanceof Reference r) {
            return r.getReference();
        }
        if (v instanceof Attachment) {
            return "an attachment";
        }
        if (v instanceof PrimitiveType<?> p) {
            return p.getValueAsString();
        }
        return String.valueOf(v);
    }
}
