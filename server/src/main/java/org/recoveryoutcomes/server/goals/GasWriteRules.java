package org.recoveryoutcomes.server.goals;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Enforces the gas-goal and gas-rating-observation profiles when a Goal or a GAS rating is created or updated, by REST
 * or inside a batch/transaction: 422 with one OperationOutcome issue per problem (with its FHIRPath expression), and
 * nothing is stored. A Goal is checked when it claims the gas-goal profile or carries any gas-* extension; an
 * Observation when its code has recovery-score#gas-attainment or it claims the gas-rating-observation profile.
 * Whether the rated Goal exists and belongs to the same person is checked once references are resolved
 * ({@link GasTScoreKeeper}).
 */
@Component
@Interceptor
class GasWriteRules implements FhirInterceptor {

    private final FhirContext fhirContext;

    GasWriteRules(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    private void check(IBaseResource resource) {
        OperationOutcome problems = new OperationOutcome();
        if (resource instanceof Goal goal && Gas.isGasGoal(goal)) {
            checkGoal(goal, problems);
        } else if (resource instanceof Observation o && (Gas.isRating(o) || claims(o, Gas.RATING_PROFILE))) {
            checkRating(o, problems);
        }
        if (problems.hasIssue()) {
            throw new UnprocessableEntityException(fhirContext, problems);
        }
    }

    static void checkGoal(Goal goal, OperationOutcome problems) {
        if (!goal.hasSubject() || !goal.getSubject().hasReference()) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, "Goal.subject",
                    "A GAS goal needs a subject (the Patient whose goal it is)");
        } else if (!refersTo(goal.getSubject(), "Patient")) {
            issue(problems, OperationOutcome.IssueType.VALUE, "Goal.subject",
                    "The subject of a GAS goal must be a Patient, not '" + goal.getSubject().getReference() + "'");
        }
        List<Extension> extensions = goal.getExtension();
        int weights = 0;
        int baselines = 0;
        int descriptions = 0;
        Map<Integer, Integer> levelAt = new HashMap<>();
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            String at = "Goal.extension[" + i + "]";
            if (Gas.WEIGHT.equals(e.getUrl())) {
                weights++;
                if (!(e.getValue() instanceof DecimalType d) || d.getValue() == null) {
                    issue(problems, OperationOutcome.IssueType.VALUE, at + ".value",
                            "The GAS weight (gas-weight) must be a valueDecimal greater than 0");
                } else if (d.getValue().compareTo(BigDecimal.ZERO) <= 0) {
                    issue(problems, OperationOutcome.IssueType.VALUE, at + ".value.ofType(decimal)",
                            "The GAS weight must be greater than 0, not " + d.getValue().toPlainString());
                }
                if (weights == 2) {
                    issue(problems, OperationOutcome.IssueType.STRUCTURE, at, "A GAS goal has at most one gas-weight extension");
                }
            } else if (Gas.BASELINE.equals(e.getUrl())) {
                baselines++;
                if (!(e.getValue() instanceof IntegerType v) || v.getValue() == null) {
                    issue(problems, OperationOutcome.IssueType.VALUE, at + ".value",
                            "The GAS baseline level (gas-baseline-level) must be a valueInteger, -1 or -2");
                } else if (v.getValue() != -1 && v.getValue() != -2) {
                    issue(problems, OperationOutcome.IssueType.VALUE, at + ".value.ofType(integer)",
                            "The GAS baseline level must be -1 (some ability) or -2 (none at all), not " + v.getValue());
                }
                if (baselines == 2) {
                    issue(problems, OperationOutcome.IssueType.STRUCTURE, at, "A GAS goal has exactly one gas-baseline-level extension");
                }
            } else if (Gas.LEVEL_DESCRIPTION.equals(e.getUrl())) {
                descriptions++;
                checkLevelDescription(e, at, levelAt, i, problems);
            }
        }
        if (baselines == 0) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, "Goal.extension",
                    "A GAS goal needs its baseline level: one gas-baseline-level extension (-1 or -2)");
        }
        if (descriptions != 5) {
            issue(problems, OperationOutcome.IssueType.STRUCTURE, "Goal.extension",
                    "A GAS goal needs five gas-level-description extensions, one for each level -2, -1, 0, +1, +2; it has "
                            + descriptions);
        }
    }

    private static void checkLevelDescription(Extension e, String at, Map<Integer, Integer> levelAt, int index,
            OperationOutcome problems) {
        if (e.hasValue()) {
            issue(problems, OperationOutcome.IssueType.STRUCTURE, at + ".value",
                    "A gas-level-description has no value of its own, only the level and description extensions");
        }
        List<Extension> levels = e.getExtensionsByUrl("level");
        List<Extension> texts = e.getExtensionsByUrl("description");
        int levelIndex = e.getExtension().indexOf(levels.isEmpty() ? null : levels.get(0));
        if (levels.size() != 1) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, at,
                    "A gas-level-description needs exactly one 'level' extension (valueInteger -2 … +2); it has " + levels.size());
        } else if (!(levels.get(0).getValue() instanceof IntegerType v) || v.getValue() == null) {
            issue(problems, OperationOutcome.IssueType.VALUE, at + ".extension[" + levelIndex + "].value",
                    "The level of a gas-level-description must be a valueInteger -2 … +2");
        } else if (v.getValue() < -2 || v.getValue() > 2) {
            issue(problems, OperationOutcome.IssueType.VALUE, at + ".extension[" + levelIndex + "].value.ofType(integer)",
                    "The level of a gas-level-description must be between -2 and +2, not " + v.getValue());
        } else if (levelAt.containsKey(v.getValue())) {
            issue(problems, OperationOutcome.IssueType.BUSINESSRULE, at + ".extension[" + levelIndex + "].value.ofType(integer)",
                    "Level " + signed(v.getValue()) + " is described twice (also in Goal.extension[" + levelAt.get(v.getValue())
                            + "]); the five level descriptions must have the distinct levels -2, -1, 0, +1, +2");
        } else {
            levelAt.put(v.getValue(), index);
        }
        int textIndex = e.getExtension().indexOf(texts.isEmpty() ? null : texts.get(0));
        if (texts.size() != 1) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, at,
                    "A gas-level-description needs exactly one 'description' extension (valueString); it has " + texts.size());
        } else if (!(texts.get(0).getValue() instanceof StringType s) || s.getValue() == null || s.getValue().isBlank()) {
            issue(problems, OperationOutcome.IssueType.VALUE, at + ".extension[" + textIndex + "].value",
                    "The description of a GAS level must be a non-empty valueString");
        }
    }

    static void checkRating(Observation o, OperationOutcome problems) {
        if (!Gas.isRating(o)) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, "Observation.code",
                    "A GAS rating has the code " + Gas.SCORE_SYSTEM + "#" + Gas.ATTAINMENT);
        }
        List<Coding> codings = o.getCode().getCoding();
        for (int i = 0; i < codings.size(); i++) {
            Coding c = codings.get(i);
            if (Gas.LOINC.equals(c.getSystem()) && (c.getCode() == null || !Gas.LOINC_RATING_CODES.contains(c.getCode()))) {
                issue(problems, OperationOutcome.IssueType.CODEINVALID, "Observation.code.coding[" + i + "]",
                        "A GAS rating's LOINC code is 107333-7 (practitioner rating) or 107334-5 (patient rating), not '"
                                + c.getCode() + "'");
            }
        }
        if (!o.hasSubject() || !o.getSubject().hasReference()) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, "Observation.subject", "A GAS rating needs a subject (the Patient)");
        } else if (!refersTo(o.getSubject(), "Patient")) {
            issue(problems, OperationOutcome.IssueType.VALUE, "Observation.subject",
                    "The subject of a GAS rating must be a Patient, not '" + o.getSubject().getReference() + "'");
        }
        if (!o.hasFocus()) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, "Observation.focus", "A GAS rating needs focus = the Goal rated");
        } else if (o.getFocus().size() > 1) {
            issue(problems, OperationOutcome.IssueType.STRUCTURE, "Observation.focus",
                    "A GAS rating rates one Goal: focus has " + o.getFocus().size() + " references");
        } else if (!o.getFocusFirstRep().hasReference() || !refersTo(o.getFocusFirstRep(), "Goal")) {
            issue(problems, OperationOutcome.IssueType.VALUE, "Observation.focus[0]",
                    "The focus of a GAS rating must reference a Goal, not '" + o.getFocusFirstRep().getReference() + "'");
        }
        if (!o.hasEffectiveDateTimeType() || !o.getEffectiveDateTimeType().hasValue()) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, "Observation.effective",
                    "A GAS rating needs effectiveDateTime (when the goal was rated)");
        }
        if (!o.hasValue()) {
            issue(problems, OperationOutcome.IssueType.REQUIRED, "Observation.value",
                    "A GAS rating needs a value: valueInteger -2 … +2 or valueCodeableConcept with a LOINC answer LA34484-8 … LA34479-8");
        } else if (o.getValue() instanceof IntegerType v) {
            if (v.getValue() == null || v.getValue() < -2 || v.getValue() > 2) {
                issue(problems, OperationOutcome.IssueType.VALUE, "Observation.value.ofType(integer)",
                        "A GAS level is between -2 and +2, not " + v.getValueAsString());
            }
        } else if (o.getValue() instanceof CodeableConcept cc) {
            checkAnswer(cc, problems);
        } else {
            issue(problems, OperationOutcome.IssueType.VALUE, "Observation.value",
                    "A GAS rating's value is valueInteger or valueCodeableConcept, not value" + capitalised(o.getValue().fhirType()));
        }
    }

    private static void checkAnswer(CodeableConcept cc, OperationOutcome problems) {
        List<Coding> codings = cc.getCoding();
        Integer level = null;
        for (int i = 0; i < codings.size(); i++) {
            Coding c = codings.get(i);
            if (!Gas.LOINC.equals(c.getSystem())) {
                continue;
            }
            Integer l = Gas.LOINC_LEVELS.get(c.getCode());
            String at = "Observation.value.ofType(CodeableConcept).coding[" + i + "]";
            if (l == null) {
                issue(problems, OperationOutcome.IssueType.CODEINVALID, at, "Unknown GAS answer '" + c.getCode()
                        + "': the LOINC answers are LA34484-8 (-2), LA34483-0 (-1), LA34481-4 (0), LA34480-6 (+1), LA34479-8 (+2)");
                return;
            }
            if (level != null && !level.equals(l)) {
                issue(problems, OperationOutcome.IssueType.BUSINESSRULE, at, "The LOINC answers of one GAS rating disagree ("
                        + signed(level) + " and " + signed(l) + ")");
                return;
            }
            level = l;
        }
        if (level == null) {
            issue(problems, OperationOutcome.IssueType.CODEINVALID, "Observation.value.ofType(CodeableConcept)",
                    "A GAS answer is one of the LOINC answers LA34484-8 (-2), LA34483-0 (-1), LA34481-4 (0), LA34480-6 (+1), "
                            + "LA34479-8 (+2) (system http://loinc.org)");
        }
    }

    private static boolean claims(Observation o, String profile) {
        return o.getMeta().getProfile().stream().anyMatch(p -> p.getValue() != null && p.getValue().split("\\|")[0].equals(profile));
    }

    /** Literal references must name the type; placeholders (urn:uuid, urn:oid) of a transaction are resolved later. */
    private static boolean refersTo(Reference ref, String type) {
        String r = ref.getReference();
        if (r == null) {
            return false;
        }
        if (r.startsWith("urn:uuid:") || r.startsWith("urn:oid:")) {
            return true;
        }
        IdType id = new IdType(r);
        return type.equals(id.getResourceType()) && id.hasIdPart();
    }

    static void issue(OperationOutcome oo, OperationOutcome.IssueType type, String expression, String message) {
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(message)
                .addExpression(expression);
    }

    private static String signed(int level) {
        return level > 0 ? "+" + level : Integer.toString(level);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
