package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.FlushModeType;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * The Observations a scored response produces (SDC observation-based extraction of the items marked
 * observationExtract that have a code and a value). For this project's instruments they follow the
 * recovery-score-observation profile: score code plus the standard code the ConceptMap gives as equivalent,
 * category survey plus the recovery outcome domain, value as Quantity {score}, integer or boolean.
 */
@Component
class ScoreObservations {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final String SCORE_SYSTEM = CANON + "/CodeSystem/recovery-score";
    static final String PROFILE = CANON + "/StructureDefinition/recovery-score-observation";
    static final String STANDARD_CODES = CANON + "/ConceptMap/recovery-score-to-standard";
    private static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    private static final String UCUM = "http://unitsofmeasure.org";

    private final CanonicalResources canonicals;
    private final DaoRegistry daoRegistry;
    private final EntityManagerFactory entityManagerFactory;

    ScoreObservations(CanonicalResources canonicals, DaoRegistry daoRegistry, EntityManagerFactory entityManagerFactory) {
        this.canonicals = canonicals;
        this.daoRegistry = daoRegistry;
        this.entityManagerFactory = entityManagerFactory;
    }

    /**
     * @param response the response as stored (its id, subject and authored are copied)
     * @param request  used to read the subject Patient for its managing organisation
     */
    List<Observation> build(ResponseScoring.Scored scored, QuestionnaireResponse response, RequestDetails request) {
        return build(scored, response, request, null);
    }

    /** @param transaction the write's transaction, when the response is being stored (its subject is resolved there) */
    List<Observation> build(ResponseScoring.Scored scored, QuestionnaireResponse response, RequestDetails request,
            TransactionDetails transaction) {
        List<Observation> out = new ArrayList<>();
        Reference performer = null;
        boolean performerLooked = false;
        for (ResponseScoring.Score score : scored.scores()) {
            SdcItem item = score.item();
            if (!score.hasValue() || !item.observationExtract() || item.code() == null) {
                continue;
            }
            if (!performerLooked) {
                performer = performer(response, request, transaction);
                performerLooked = true;
            }
            for (Type value : score.values()) {
                out.add(observation(scored.form(), item, value, response, performer));
            }
        }
        return out;
    }

    private Observation observation(SdcForm form, SdcItem item, Type value, QuestionnaireResponse response, Reference performer) {
        Observation o = new Observation();
        boolean ours = item.definition().getCode().stream().anyMatch(c -> SCORE_SYSTEM.equals(c.getSystem()));
        if (ours) {
            o.getMeta().addProfile(PROFILE);
        }
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(new CodeableConcept(new Coding(CATEGORY_SYSTEM, "survey", "Survey")));
        if (form.domain() != null) {
            o.addCategory(new CodeableConcept(form.domain().copy()));
        }
        for (CodeableConcept c : item.extractCategories()) {
            if (c.getCoding().stream().noneMatch(x -> CATEGORY_SYSTEM.equals(x.getSystem()) && "survey".equals(x.getCode()))) {
                o.addCategory(c.copy());
            }
        }
        CodeableConcept code = new CodeableConcept();
        for (Coding c : item.definition().getCode()) {
            code.addCoding(c.copy());
        }
        if (ours) {
            standardCodings(item.code().getCode()).forEach(code::addCoding);
        }
        o.setCode(code);
        if (response.hasSubject()) {
            o.setSubject(response.getSubject().copy());
        }
        if (response.hasAuthored()) {
            o.setEffective(response.getAuthoredElement().copy());
        }
        if (response.getIdElement().hasIdPart()) {
            o.addDerivedFrom(new Reference("QuestionnaireResponse/" + response.getIdElement().getIdPart()));
        }
        if (performer != null) {
            o.addPerformer(performer.copy());
        }
        o.setValue(value(item, value));
        return o;
    }

    private static Type value(SdcItem item, Type value) {
        if (value instanceof DecimalType d) {
            Coding unit = item.unit();
            Quantity q = new Quantity().setValue(d.getValue());
            if (unit != null && unit.hasCode()) {
                q.setUnit(unit.hasDisplay() ? unit.getDisplay() : unit.getCode()).setSystem(unit.getSystem()).setCode(unit.getCode());
            } else {
                q.setUnit("{score}").setSystem(UCUM).setCode("{score}");
            }
            return q;
        }
        if (value instanceof IntegerType || value instanceof BooleanType || value instanceof Quantity) {
            return value.copy();
        }
        if (value instanceof Coding c) {
            return new CodeableConcept(c.copy());
        }
        if (value instanceof PrimitiveType<?> p) {
            return new StringType(p.getValueAsString());
        }
        return value.copy();
    }

    /** Codes the project's ConceptMap gives as equivalent to a score code: carried as additional codings. */
    private List<Coding> standardCodings(String scoreCode) {
        List<Coding> out = new ArrayList<>();
        ConceptMap map = canonicals.find(ConceptMap.class, STANDARD_CODES).orElse(null);
        if (map == null) {
            return out;
        }
        for (ConceptMap.ConceptMapGroupComponent g : map.getGroup()) {
            if (!SCORE_SYSTEM.equals(g.getSource())) {
                continue;
            }
            for (ConceptMap.SourceElementComponent e : g.getElement()) {
                if (!scoreCode.equals(e.getCode())) {
                    continue;
                }
                for (ConceptMap.TargetElementComponent t : e.getTarget()) {
                    if (t.getEquivalence() == ConceptMapEquivalence.EQUIVALENT || t.getEquivalence() == ConceptMapEquivalence.EQUAL) {
                        out.add(new Coding(g.getTarget(), t.getCode(), t.getDisplay()));
                    }
                }
            }
        }
        return out;
    }

    /** The response's author when it is an Organization, else the subject Patient's managing organisation, else none. */
    private Reference performer(QuestionnaireResponse response, RequestDetails request, TransactionDetails transaction) {
        Reference author = response.getAuthor();
        if (author != null && isType(author, "Organization")) {
            return new Reference(author.getReference()).setDisplay(author.getDisplay());
        }
        Reference subject = response.getSubject();
        if (subject == null || !isType(subject, "Patient") || subject.getReference() == null) {
            return null;
        }
        IdType id = new IdType(subject.getReference());
        if (id.hasBaseUrl() || !id.hasIdPart()) {
            return null;
        }
        Patient stored = subjectResolvedIn(transaction, id);
        if (stored != null) {
            return stored.hasManagingOrganization() ? stored.getManagingOrganization().copy() : null;
        }
        // a search, not a read: a read that fails inside the write's transaction would mark it rollback-only
        SearchParameterMap byId = SearchParameterMap.newSynchronous("_id", new TokenParam(id.getIdPart()));
        for (var r : daoRegistry.getResourceDao("Patient").search(byId, request).getAllResources()) {
            Patient p = (Patient) r;
            return p.hasManagingOrganization() ? p.getManagingOrganization().copy() : null;
        }
        return null;
    }

    /**
     * The subject as the write resolved it: written earlier in the same transaction Bundle, or found (so it exists)
     * when the response's references were checked, then read by its key. A search instead costs about as much as
     * storing the score Observation itself (it also flushes the session); the bench measured it at a fifth of the
     * pipeline's CPU time.
     */
    private Patient subjectResolvedIn(TransactionDetails transaction, IdType subject) {
        if (transaction == null) {
            return null;
        }
        IdType id = subject.toUnqualifiedVersionless();
        IBaseResource written = transaction.getResolvedResource(id);
        if (written instanceof Patient p) {
            return p;
        }
        IResourcePersistentId<?> key = transaction.getResolvedResourceId(id);
        if (key == null || key.getId() == null) {
            return null;
        }
        return readWithoutFlush(key);
    }

    /**
     * Reads the stored Patient without first flushing the write's pending inserts (Hibernate's auto-flush before a
     * query): the Patient is not changed by this transaction (one written in it was returned above), so its rows need
     * nothing from the session, and the inserts are flushed at commit anyway. Flushing here too cost about half of the
     * read (bench, JFR).
     */
    private Patient readWithoutFlush(IResourcePersistentId<?> key) {
        EntityManager em = EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagerFactory);
        if (em == null) {
            return daoRegistry.getResourceDao(Patient.class).readByPid(key, true);
        }
        FlushModeType mode = em.getFlushMode();
        em.setFlushMode(FlushModeType.COMMIT);
        try {
            return daoRegistry.getResourceDao(Patient.class).readByPid(key, true);
        } finally {
            em.setFlushMode(mode);
        }
    }

    private static boolean isType(Reference r, String type) {
        if (r.hasType()) {
            return type.equals(r.getType());
        }
        String ref = r.getReference();
        return ref != null && (ref.startsWith(type + "/") || ref.contains("/" + type + "/"));
    }
}
