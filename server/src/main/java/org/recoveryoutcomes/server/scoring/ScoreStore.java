package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a stored response's score Observations in step with it, inside the same database transaction: created with
 * a completed/amended response, replaced when it is amended (updated in place where the score code is the same),
 * removed when it is deleted or no longer completed. Scores the client submitted that differ from the recomputed
 * ones are recorded on the request for {@link ScoreWarnings}.
 */
@Component
@Interceptor
class ScoreStore implements FhirInterceptor {

    static final String MISMATCHES = ScoreStore.class.getName() + ".mismatches";

    private final ScoringSettings settings;
    private final SdcForms forms;
    private final ResponseScoring scoring;
    private final ScoreObservations observations;
    private final DaoRegistry daoRegistry;

    ScoreStore(ScoringSettings settings, SdcForms forms, ResponseScoring scoring, ScoreObservations observations, DaoRegistry daoRegistry) {
        this.settings = settings;
        this.forms = forms;
        this.scoring = scoring;
        this.observations = observations;
        this.daoRegistry = daoRegistry;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request, TransactionDetails transaction) {
        if (settings.enabled() && resource instanceof QuestionnaireResponse qr) {
            replace(qr, List.of(), request, transaction);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request, TransactionDetails transaction) {
        if (settings.enabled() && resource instanceof QuestionnaireResponse qr) {
            replace(qr, derived(qr), request, transaction);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request, TransactionDetails transaction) {
        if (settings.enabled() && resource instanceof QuestionnaireResponse qr) {
            replace(qr, derived(qr), transaction, List.of());
        }
    }

    private void replace(QuestionnaireResponse qr, List<Observation> existing, RequestDetails request, TransactionDetails transaction) {
        List<Observation> fresh = List.of();
        QuestionnaireResponseStatus status = qr.getStatus();
        if (status == QuestionnaireResponseStatus.COMPLETED || status == QuestionnaireResponseStatus.AMENDED) {
            Optional<SdcForm> form = forms.find(qr.getQuestionnaire());
            if (form.isPresent()) {
                ResponseScoring.Scored scored = scoring.score(form.get(), qr);
                fresh = observations.build(scored, qr, internal(), transaction);
                recordMismatches(scored, request);
            }
        }
        replace(qr, existing, transaction, fresh);
    }

    @SuppressWarnings("unchecked")
    private void recordMismatches(ResponseScoring.Scored scored, RequestDetails request) {
        if (request == null) {
            return;
        }
        for (ResponseScoring.Score s : scored.scores()) {
            if (s.mismatch() != null) {
                ((List<String>) request.getUserData().computeIfAbsent(MISMATCHES, k -> new ArrayList<String>()))
                        .add(s.item().linkId() + ": " + s.mismatch());
            }
        }
    }

    /**
     * The scores are the server's own writes, in the response's transaction: the client's token was checked for the
     * response, and needs no Observation scope for what the server derives from it.
     */
    private static RequestDetails internal() {
        return new SystemRequestDetails();
    }

    private void replace(QuestionnaireResponse qr, List<Observation> existing, TransactionDetails transaction, List<Observation> fresh) {
        RequestDetails request = internal();
        IFhirResourceDao<Observation> dao = daoRegistry.getResourceDao(Observation.class);
        List<Observation> unused = new ArrayList<>(existing);
        for (Observation o : fresh) {
            Observation previous = takeSameCode(unused, o);
            if (previous != null) {
                o.setId(previous.getIdElement().toUnqualifiedVersionless());
                dao.update(o, null, true, false, request, transaction);
            } else {
                dao.create(o, null, true, request, transaction);
            }
        }
        for (Observation o : unused) {
            dao.delete(o.getIdElement().toUnqualifiedVersionless(), new DeleteConflictList(), request, transaction);
        }
    }

    private static Observation takeSameCode(List<Observation> candidates, Observation o) {
        Coding code = o.getCode().getCodingFirstRep();
        for (Iterator<Observation> it = candidates.iterator(); it.hasNext(); ) {
            Observation c = it.next();
            Coding other = c.getCode().getCodingFirstRep();
            if (Objects.equals(code.getSystem(), other.getSystem()) && Objects.equals(code.getCode(), other.getCode())) {
                it.remove();
                return c;
            }
        }
        return null;
    }

    private List<Observation> derived(QuestionnaireResponse qr) {
        String id = qr.getIdElement().getIdPart();
        if (id == null) {
            return List.of();
        }
        SearchParameterMap map = SearchParameterMap.newSynchronous("derived-from", new ReferenceParam("QuestionnaireResponse/" + id));
        return daoRegistry.getResourceDao(Observation.class).search(map, internal()).getAllResources().stream()
                .map(Observation.class::cast).toList();
    }
}
