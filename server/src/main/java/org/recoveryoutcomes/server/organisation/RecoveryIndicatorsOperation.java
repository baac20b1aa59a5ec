package org.recoveryoutcomes.server.organisation;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.recoveryoutcomes.server.fhir.OperationProvider;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET Organization/{id}/$recovery-indicators} — the organisation's latest Box 2 answers and key-challenge
 * ratings with the previous assessment's (contract §4) — and {@code GET Organization/$recovery-indicators}: across
 * organisations (or those named), how many have each Box 2 development and how their key-challenge ratings are spread,
 * from each organisation's latest assessment. OperationDefinition recovery-indicators describes the output.
 *
 * <p>No disclosure control: these are counts of organisations and their self-assessments, not of people
 * (docs/disclosure-control.md).
 */
@Component
class RecoveryIndicatorsOperation implements OperationProvider {

    private static final Pattern ORGANIZATION = Pattern.compile("(?:.*/)?(?:Organization/)?([A-Za-z0-9\\-.]{1,64})");

    private final OrganisationAssessments assessments;
    private final IndicatorTerminology terminology;

    RecoveryIndicatorsOperation(OrganisationAssessments assessments, IndicatorTerminology terminology) {
        this.assessments = assessments;
        this.terminology = terminology;
    }

    @Operation(name = "$recovery-indicators", type = Organization.class, idempotent = true)
    public Parameters organisation(@IdParam IdType id, RequestDetails request) {
        refuseUnknownParameters(request, Set.of());
        assessments.requireOrganisation(id.getIdPart());
        Map<String, List<OrganisationAssessments.Assessment>> all = assessments.of(id.getIdPart());
        Parameters out = new Parameters();
        out.addParameter().setName("organization").setValue(new Reference("Organization/" + id.getIdPart()));
        List<OrganisationAssessments.Assessment> box2 = all.get(OrganisationAssessments.BOX2);
        ParametersParameterComponent indicators = section(out, "organisational-indicators", box2);
        for (Coding indicator : terminology.indicators()) {
            ParametersParameterComponent p = indicators.addPart().setName("indicator");
            p.addPart().setName("code").setValue(indicator);
            Coding latest = answer(box2, 0, indicator.getCode());
            Coding previous = answer(box2, 1, indicator.getCode());
            if (latest != null) {
                p.addPart().setName("latest").setValue(latest.copy());
            }
            if (previous != null) {
                p.addPart().setName("previous").setValue(previous.copy());
            }
            if (latest != null && previous != null) {
                p.addPart().setName("changed").setValue(new BooleanType(!latest.getCode().equals(previous.getCode())));
            }
        }
        List<OrganisationAssessments.Assessment> kc = all.get(OrganisationAssessments.KEY_CHALLENGES);
        ParametersParameterComponent challenges = section(out, "key-challenges", kc);
        for (Coding challenge : terminology.challenges()) {
            ParametersParameterComponent p = challenges.addPart().setName("challenge");
            p.addPart().setName("code").setValue(challenge);
            IndicatorTerminology.Level latest = level(kc, 0, challenge.getCode());
            IndicatorTerminology.Level previous = level(kc, 1, challenge.getCode());
            if (latest != null) {
                p.addPart().setName("latest").setValue(latest.coding().copy());
                p.addPart().setName("latest-level").setValue(new IntegerType(latest.weight()));
            }
            if (previous != null) {
                p.addPart().setName("previous").setValue(previous.coding().copy());
                p.addPart().setName("previous-level").setValue(new IntegerType(previous.weight()));
            }
            if (latest != null && previous != null) {
                p.addPart().setName("change").setValue(new IntegerType(latest.weight() - previous.weight()));
            }
        }
        return out;
    }

    @Operation(name = "$recovery-indicators", type = Organization.class, idempotent = true)
    public Parameters organisations(
            @OperationParam(name = "organization", max = OperationParam.MAX_UNLIMITED) List<StringType> organization,
            RequestDetails request) {
        refuseUnknownParameters(request, Set.of("organization"));
        Set<String> only = null;
        if (organization != null) {
            for (StringType o : organization) {
                for (String value : (o.getValue() == null ? "" : o.getValue()).split(",", -1)) {
                    Matcher m = ORGANIZATION.matcher(value.trim());
                    if (!m.matches() || (value.contains("/") && !value.contains("Organization/"))) {
                        throw new InvalidRequestException("organization: '" + value + "' is not a reference to an Organization");
                    }
                    if (only == null) {
                        only = new TreeSet<>();
                    }
                    only.add(m.group(1));
                }
            }
        }
        List<String> ids = assessments.assessedOrganisations();
        int box2Assessed = 0;
        int kcAssessed = 0;
        int[][] yesNo = new int[terminology.indicators().size()][2];
        List<IndicatorTerminology.Level> levels = terminology.levels();
        int[][] spread = new int[terminology.challenges().size()][levels.size()];
        for (String id : ids) {
            if (only != null && !only.contains(id)) {
                continue;
            }
            Map<String, List<OrganisationAssessments.Assessment>> all = assessments.of(id);
            List<OrganisationAssessments.Assessment> box2 = all.get(OrganisationAssessments.BOX2);
            if (!box2.isEmpty()) {
                box2Assessed++;
                for (int i = 0; i < yesNo.length; i++) {
                    Coding a = answer(box2, 0, terminology.indicators().get(i).getCode());
                    if (a != null && "yes".equals(a.getCode())) {
                        yesNo[i][0]++;
                    } else if (a != null && "no".equals(a.getCode())) {
                        yesNo[i][1]++;
                    }
                }
            }
            List<OrganisationAssessments.Assessment> kc = all.get(OrganisationAssessments.KEY_CHALLENGES);
            if (!kc.isEmpty()) {
                kcAssessed++;
                for (int i = 0; i < spread.length; i++) {
                    IndicatorTerminology.Level l = level(kc, 0, terminology.challenges().get(i).getCode());
                    if (l != null) {
                        spread[i][levels.indexOf(l)]++;
                    }
                }
            }
        }
        Parameters out = new Parameters();
        ParametersParameterComponent indicators = out.addParameter().setName("organisational-indicators");
        indicators.addPart().setName("organisations").setValue(new IntegerType(box2Assessed));
        for (int i = 0; i < yesNo.length; i++) {
            ParametersParameterComponent p = indicators.addPart().setName("indicator");
            p.addPart().setName("code").setValue(terminology.indicators().get(i));
            p.addPart().setName("yes").setValue(new IntegerType(yesNo[i][0]));
            p.addPart().setName("no").setValue(new IntegerType(yesNo[i][1]));
        }
        ParametersParameterComponent challenges = out.addParameter().setName("key-challenges");
        challenges.addPart().setName("organisations").setValue(new IntegerType(kcAssessed));
        for (int i = 0; i < spread.length; i++) {
            ParametersParameterComponent p = challenges.addPart().setName("challenge");
            p.addPart().setName("code").setValue(terminology.challenges().get(i));
            for (int j = 0; j < levels.size(); j++) {
                ParametersParameterComponent l = p.addPart().setName("level");
                l.addPart().setName("code").setValue(levels.get(j).coding().copy());
                l.addPart().setName("organisations").setValue(new IntegerType(spread[i][j]));
            }
        }
        return out;
    }

    /** 400 for a parameter the operation does not take (as $aggregate does), so that a misspelt filter is not ignored. */
    private static void refuseUnknownParameters(RequestDetails request, Set<String> known) {
        if (request.getParameters() == null) {
            return;
        }
        for (String name : request.getParameters().keySet()) {
            if (!name.startsWith("_") && !known.contains(name)) {
                throw new InvalidRequestException("Unknown parameter '" + name + "': $recovery-indicators takes "
                        + (known.isEmpty() ? "no parameters on one organisation" : "only " + String.join(", ", known)));
            }
        }
    }

    /** The section of one Questionnaire: which responses are the latest and the previous assessment. */
    private static ParametersParameterComponent section(Parameters out, String name, List<OrganisationAssessments.Assessment> list) {
        ParametersParameterComponent p = out.addParameter().setName(name);
        String[] which = {"latest", "previous"};
        for (int i = 0; i < 2 && i < list.size(); i++) {
            OrganisationAssessments.Assessment a = list.get(i);
            p.addPart().setName(which[i] + "-response")
                    .setValue(new Reference("QuestionnaireResponse/" + a.response().getIdElement().getIdPart()));
            if (a.authored() != null) {
                p.addPart().setName(which[i] + "-authored").setValue(new DateTimeType(a.authored()));
            }
        }
        return p;
    }

    private static Coding answer(List<OrganisationAssessments.Assessment> list, int index, String linkId) {
        return index < list.size() ? list.get(index).answers().get(linkId) : null;
    }

    private IndicatorTerminology.Level level(List<OrganisationAssessments.Assessment> list, int index, String challenge) {
        Coding c = answer(list, index, challenge + "-progress");
        return c == null ? null : terminology.level(c.getCode());
    }
}
