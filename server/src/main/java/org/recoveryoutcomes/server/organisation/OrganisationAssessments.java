package org.recoveryoutcomes.server.organisation;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.HasParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An organisation's assessments: its completed (or amended) QuestionnaireResponses of the organisational-indicators
 * and key-challenges Questionnaires (subject = the Organization), newest first by {@code authored}.
 */
@Component
class OrganisationAssessments {

    static final String BOX2 = IndicatorTerminology.CANON + "/Questionnaire/organisational-indicators";
    static final String KEY_CHALLENGES = IndicatorTerminology.CANON + "/Questionnaire/key-challenges";

    /** One assessment: the response and its answers (codings) by linkId. */
    record Assessment(QuestionnaireResponse response, Date authored, Map<String, Coding> answers) {
    }

    private final DaoRegistry daoRegistry;

    OrganisationAssessments(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    /** Box 2 and key-challenge assessments of one organisation, newest first, by questionnaire. */
    Map<String, List<Assessment>> of(String organizationId, RequestDetails request) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(QuestionnaireResponse.SP_SUBJECT, new ReferenceParam("Organization/" + organizationId));
        IFhirResourceDao<QuestionnaireResponse> dao = daoRegistry.getResourceDao(QuestionnaireResponse.class);
        Map<String, List<Assessment>> out = new LinkedHashMap<>();
        out.put(BOX2, new ArrayList<>());
        out.put(KEY_CHALLENGES, new ArrayList<>());
        for (IBaseResource r : dao.search(map, request).getAllResources()) {
            QuestionnaireResponse qr = (QuestionnaireResponse) r;
            String questionnaire = qr.getQuestionnaire() == null ? "" : qr.getQuestionnaire().split("\\|")[0];
            List<Assessment> list = out.get(questionnaire);
            if (list == null || !(qr.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED
                    || qr.getStatus() == QuestionnaireResponse.QuestionnaireResponseStatus.AMENDED)) {
                continue;
            }
            Date authored = qr.hasAuthored() ? qr.getAuthored() : qr.getMeta().getLastUpdated();
            Map<String, Coding> answers = new LinkedHashMap<>();
            collect(qr.getItem(), answers);
            list.add(new Assessment(qr, authored, answers));
        }
        Comparator<Assessment> newestFirst = Comparator.comparing(Assessment::authored, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(a -> a.response().getIdElement().getIdPart(), Comparator.reverseOrder());
        out.values().forEach(l -> l.sort(newestFirst));
        return out;
    }

    /** Ids of the Organizations that are the subject of at least one QuestionnaireResponse. */
    List<String> assessedOrganisations(RequestDetails request) {
        IFhirResourceDao<Organization> dao = daoRegistry.getResourceDao(Organization.class);
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (String status : List.of("completed", "amended")) {
            SearchParameterMap map = SearchParameterMap.newSynchronous();
            map.add("_has", new HasParam("QuestionnaireResponse", "subject", "status", status));
            dao.search(map, request).getAllResources().forEach(r -> ids.add(r.getIdElement().getIdPart()));
        }
        return List.copyOf(ids);
    }

    /** Throws ResourceNotFoundException (404) or ResourceGoneException (410) for an unknown or deleted Organization. */
    void requireOrganisation(String id, RequestDetails request) {
        daoRegistry.getResourceDao(Organization.class).read(new IdType("Organization", id), request);
    }

    private static void collect(List<QuestionnaireResponse.QuestionnaireResponseItemComponent> items, Map<String, Coding> out) {
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent i : items) {
            i.getAnswer().stream().filter(a -> a.hasValueCoding()).findFirst().ifPresent(a -> out.put(i.getLinkId(), a.getValueCoding()));
            collect(i.getItem(), out);
            i.getAnswer().forEach(a -> collect(a.getItem(), out));
        }
    }
}
