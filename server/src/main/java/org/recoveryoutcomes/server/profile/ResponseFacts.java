package org.recoveryoutcomes.server.profile;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the profile reads straight from the person's QuestionnaireResponses (status completed or amended, authored on
 * or before the as-of day): domain 2's latest recovery-narrative response, and domain 4's employment and
 * accommodation status from the social-inclusion answers (linkIds {@code employment-status},
 * {@code accommodation-status}, {@code settled-accommodation}).
 */
final class ResponseFacts {

    static final String NARRATIVE = ScoreCatalogue.CANON + "/Questionnaire/recovery-narrative";
    static final String SOCIAL_INCLUSION = ScoreCatalogue.CANON + "/Questionnaire/social-inclusion";
    static final List<String> STATUS_ITEMS = List.of("employment-status", "accommodation-status", "settled-accommodation");

    record Response(QuestionnaireResponse resource, String questionnaire, Instant at, LocalDate day) {
    }

    private ResponseFacts() {
    }

    static List<Response> responses(List<QuestionnaireResponse> all, LocalDate asOf, ZoneId zone) {
        List<Response> out = new ArrayList<>();
        for (QuestionnaireResponse r : all) {
            boolean done = r.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED
                    || r.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED;
            if (!done || !r.hasAuthored() || !r.hasQuestionnaire()) {
                continue;
            }
            LocalDate day = Days.day(r.getAuthoredElement(), zone);
            if (!day.isAfter(asOf)) {
                out.add(new Response(r, r.getQuestionnaire().split("\\|")[0], Days.instant(r.getAuthoredElement(), zone), day));
            }
        }
        out.sort(Comparator.comparing(Response::at)
                .thenComparing(x -> x.resource().getMeta().getLastUpdated(), Comparator.nullsFirst(Comparator.naturalOrder())));
        return out;
    }

    /** Domain 2: the latest narrative account (reference and date) and how many there are. */
    static Optional<ParametersParameterComponent> narrative(List<Response> responses) {
        List<Response> narratives = responses.stream().filter(r -> NARRATIVE.equals(r.questionnaire())).toList();
        if (narratives.isEmpty()) {
            return Optional.empty();
        }
        Response latest = narratives.get(narratives.size() - 1);
        ParametersParameterComponent p = new ParametersParameterComponent().setName("narrative");
        p.addPart().setName("response").setValue(reference(latest));
        p.addPart().setName("date").setValue(latest.resource().getAuthoredElement().copy());
        p.addPart().setName("count").setValue(new IntegerType(narratives.size()));
        return Optional.of(p);
    }

    /** Domain 4: per status item answered, the baseline (first) and latest answer and whether it changed. */
    static List<ParametersParameterComponent> statuses(List<Response> responses) {
        List<ParametersParameterComponent> out = new ArrayList<>();
        List<Response> social = responses.stream().filter(r -> SOCIAL_INCLUSION.equals(r.questionnaire())).toList();
        for (String linkId : STATUS_ITEMS) {
            List<Response> answered = new ArrayList<>();
            List<Coding> answers = new ArrayList<>();
            for (Response r : social) {
                answer(r.resource().getItem(), linkId).ifPresent(c -> {
                    answered.add(r);
                    answers.add(c);
                });
            }
            if (answered.isEmpty()) {
                continue;
            }
            ParametersParameterComponent p = new ParametersParameterComponent().setName("status");
            p.addPart().setName("item").setValue(new StringType(linkId));
            p.addPart(point("latest", answered.get(answered.size() - 1), answers.get(answers.size() - 1)));
            p.addPart(point("baseline", answered.get(0), answers.get(0)));
            Coding first = answers.get(0);
            Coding last = answers.get(answers.size() - 1);
            boolean same = Objects.equals(first.getSystem(), last.getSystem()) && Objects.equals(first.getCode(), last.getCode());
            p.addPart().setName("changed").setValue(new BooleanType(!same));
            p.addPart().setName("count").setValue(new IntegerType(answered.size()));
            out.add(p);
        }
        return out;
    }

    private static ParametersParameterComponent point(String name, Response r, Coding answer) {
        ParametersParameterComponent p = new ParametersParameterComponent().setName(name);
        p.addPart().setName("value").setValue(answer.copy());
        p.addPart().setName("date").setValue(r.resource().getAuthoredElement().copy());
        p.addPart().setName("response").setValue(reference(r));
        return p;
    }

    private static Optional<Coding> answer(List<QuestionnaireResponseItemComponent> items, String linkId) {
        for (QuestionnaireResponseItemComponent i : items) {
            if (linkId.equals(i.getLinkId())) {
                return i.getAnswer().stream().filter(a -> a.hasValueCoding()).map(a -> a.getValueCoding()).findFirst();
            }
            Optional<Coding> nested = answer(i.getItem(), linkId);
            if (nested.isPresent()) {
                return nested;
            }
            for (QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent a : i.getAnswer()) {
                Optional<Coding> below = answer(a.getItem(), linkId);
                if (below.isPresent()) {
                    return below;
                }
            }
        }
        return Optional.empty();
    }

    private static Reference reference(Response r) {
        return new Reference("QuestionnaireResponse/" + r.resource().getIdElement().getIdPart());
    }
}
