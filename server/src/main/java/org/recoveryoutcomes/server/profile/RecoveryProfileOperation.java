package org.recoveryoutcomes.server.profile;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.recoveryoutcomes.server.fhir.OperationProvider;
import org.recoveryoutcomes.server.goals.GoalAttainment;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code GET Patient/{id}/$recovery-profile[?date=]} (contract §4): for each of the six Box 3 domains, where the person
 * started, where they are now and whether the change is more than noise; domain 2 adds the GAS goals and the latest
 * narrative account, domain 4 the employment and accommodation status, domain 6 the service-use figures
 * (OperationDefinition recovery-profile). A person with no data gets the six domains with their codes only.
 */
@Component
class RecoveryProfileOperation implements OperationProvider {

    private final DaoRegistry daoRegistry;
    private final ScoreCatalogue catalogue;
    private final GoalAttainment goalAttainment;
    private final ProfileSettings settings;

    RecoveryProfileOperation(DaoRegistry daoRegistry, ScoreCatalogue catalogue, GoalAttainment goalAttainment,
            ProfileSettings settings) {
        this.daoRegistry = daoRegistry;
        this.catalogue = catalogue;
        this.goalAttainment = goalAttainment;
        this.settings = settings;
    }

    @Operation(name = "$recovery-profile", idempotent = true, typeName = "Patient")
    public Parameters recoveryProfile(@IdParam IdType patient, @OperationParam(name = "date", min = 0, max = 1) DateTimeType date,
            RequestDetails request) {
        // 404 for an unknown person, 410 for a deleted one
        daoRegistry.getResourceDao(Patient.class).read(patient.toUnqualifiedVersionless(), request);
        ZoneId zone = settings.timeZone();
        LocalDate asOf = Days.asOf(date, zone);
        String id = patient.getIdPart();

        Map<String, ScoreCatalogue.ScoreCode> codes = catalogue.scores();
        List<Observation> observations = ofPatient(Observation.class, Observation.SP_SUBJECT, id).stream()
                .filter(o -> o.getCode().getCoding().stream().anyMatch(c -> ScoreCatalogue.SCORE_SYSTEM.equals(c.getSystem())))
                .toList();
        List<ScoreMeasures.Score> scores = ScoreMeasures.scores(observations, codes, asOf, zone);
        Map<String, List<ParametersParameterComponent>> measures = ScoreMeasures.measures(scores, codes, settings);
        List<ResponseFacts.Response> responses =
                ResponseFacts.responses(ofPatient(QuestionnaireResponse.class, QuestionnaireResponse.SP_SUBJECT, id), asOf, zone);
        List<ServiceUse.Use> uses = ServiceUse.uses(ofPatient(Encounter.class, Encounter.SP_SUBJECT, id), asOf, zone);

        Parameters out = new Parameters();
        out.addParameter().setName("date").setValue(new DateType(asOf.toString()));
        for (String domain : ScoreCatalogue.DOMAINS.keySet()) {
            ParametersParameterComponent d = out.addParameter().setName("domain");
            d.addPart().setName("code").setValue(ScoreCatalogue.domainCoding(domain));
            measures.getOrDefault(domain, List.of()).forEach(d::addPart);
            switch (domain) {
                case "individual-recovery-goals" -> {
                    goalAttainment.goalParts(id, asOf).forEach(d::addPart);
                    ResponseFacts.narrative(responses).ifPresent(d::addPart);
                }
                case "socially-valued-goals" -> ResponseFacts.statuses(responses).forEach(d::addPart);
                case "service-use" -> ServiceUse.parts(uses, firstMeasure(observations, responses, asOf, zone), asOf,
                        settings.serviceUseMonths(), zone).forEach(d::addPart);
                default -> {
                }
            }
        }
        return out;
    }

    /**
     * The day of the person's first outcome measure: their earliest score Observation (any recovery-score code, GAS
     * ratings included) or completed response to one of this project's Questionnaires, on or before the as-of day.
     */
    private static Optional<LocalDate> firstMeasure(List<Observation> observations, List<ResponseFacts.Response> responses,
            LocalDate asOf, ZoneId zone) {
        Stream<LocalDate> fromScores = observations.stream()
                .filter(o -> o.getStatus() == Observation.ObservationStatus.FINAL || o.getStatus() == Observation.ObservationStatus.AMENDED
                        || o.getStatus() == Observation.ObservationStatus.CORRECTED)
                .filter(Observation::hasEffectiveDateTimeType).map(o -> Days.day(o.getEffectiveDateTimeType(), zone));
        Stream<LocalDate> fromResponses = responses.stream()
                .filter(r -> r.questionnaire().startsWith(ScoreCatalogue.CANON + "/Questionnaire/")).map(ResponseFacts.Response::day);
        return Stream.concat(fromScores, fromResponses).filter(d -> !d.isAfter(asOf)).min(LocalDate::compareTo);
    }

    private <T extends IBaseResource> List<T> ofPatient(Class<T> type, String subjectParam, String patientId) {
        SearchParameterMap map = SearchParameterMap.newSynchronous().add(subjectParam, new ReferenceParam("Patient/" + patientId));
        return daoRegistry.getResourceDao(type).search(map, new SystemRequestDetails()).getAllResources().stream()
                .map(type::cast).toList();
    }
}
