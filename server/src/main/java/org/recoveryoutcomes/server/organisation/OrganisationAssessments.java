package org.recoveryoutcomes.server.organisation;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
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
import java.util.Set;
import java.util.TreeSet;

/**
 * An organisation's assessments: its completed (or amended) QuestionnaireResponses of the organisational-indicators
 * and key-challenges Questionnaires (subject = the Organization), newest first by {@code authored}.
 *
 * <p>Reads with internal requests: the caller was allowed the operation (a regional hub's token reaches no stored
 * resource, and a token bound to an organisation reaches only its patients' responses, not organisations' own), and
 * the operation returns only coded answers, never the responses themselves.
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
    Map<String, List<Assessment>> of(String organizationId) {
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        map.add(QuestionnaireResponse.SP_SUBJECT, new ReferenceParam("Organization/" + organizationId));
        IFhirResourceDao<QuestionnaireResponse> dao = daoRegistry.getResourceDao(QuestionnaireResponse.class);
        Map<String, List<Assessment>> out = new LinkedHashMap<>();
        out.put(BOX2, new ArrayList<>());
        out.put(KEY_CHALLENGES, new ArrayList<>());
        for (IBaseResource r : dao.search(map, new SystemRequestDetails()).getAllResources()) {
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
                .thenComparing(a -> a.response().getMeta().getLastUpdated(), Comparator.nullsLast(Comparator.reverseOrder()));
        out.values().forEach(l -> l.sort(newestFirst));
        return out;
    }

    /** Ids of the Organizations that are the subject of at least one QuestionnaireResponse. */
    List<String> assessedOrganisations() {
        IFhirResourceDao<Organization> dao = daoRegistry.getResourceDao(Organization.class);
        Set<String> ids = new TreeSet<>();
        for (String status : List.of("completed", "amended")) {
            SearchParameterMap map = SearchParameterMap.newSynchronous();
            map.add("_has", new HasParam("QuestionnaireResponse", "subject", "status", status));
            dao.search(map, new SystemRequestDetails()).getAllResources().forEach(r -> ids.add(r.getIdElement().getIdPart()));
        }
        return List.copyOf(ids);
    }

    /** Throws ResourceNotFoundException (404) or ResourceGoneException (410) for an unknown or deleted Organization. */
    void requireOrganisation(String id) {
        daoRegistry.getResourceDao(Organization.class).read(new IdType("Organization", id), new SystemRequestDetails());
    }

    private static void collect(List<QuestionnaireResponse.QuestionnaireResponseItemComponent> items, Map<String, Coding> out) {
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent i : items) {
            i.getAnswer().stream().filter(a -> a.hasValueCoding()).findFirst().ifPresent(a -> out.put(i.getLinkId(), a.getValueCoding()));
            collect(i.getItem(), out);
            i.getAnswer().forEach(a -> collect(a.getItem(), out));
        }
    }
}
