package org.recoveryoutcomes.server.scoring;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state one FHIRPath evaluation sees: the Questionnaire ({@code %questionnaire}), the response ({@code %resource}),
 * the variables in scope and the item being evaluated ({@code %qitem}). Not thread-safe: one per request.
 */
public final class Evaluation {

    private final SdcForm form;
    private final QuestionnaireResponse response;
    private final Map<String, List<Base>> variables = new HashMap<>();
    private SdcItem qitem;
    private IdentityHashMap<Base, QuestionnaireResponseItemComponent> owners;

    public Evaluation(SdcForm form, QuestionnaireResponse response) {
        this.form = form;
        this.response = response;
    }

    public SdcForm form() {
        return form;
    }

    public QuestionnaireResponse response() {
        return response;
    }

    SdcItem qitem() {
        return qitem;
    }

    void qitem(SdcItem item) {
        this.qitem = item;
    }

    List<Base> variable(String name) {
        return variables.get(name);
    }

    void define(String name, List<Base> value) {
        variables.put(name, value);
    }

    void undefine(String name) {
        variables.remove(name);
    }

    void clearVariables() {
        variables.clear();
    }

    /** The response item an answer (or an answer's value) belongs to, or null when it is not part of the response. */
    QuestionnaireResponseItemComponent ownerOf(Base node) {
        if (owners == null) {
            owners = new IdentityHashMap<>();
            index(response.getItem());
        }
        return owners.get(node);
    }

    /** Call after answers of the response were replaced. */
    void responseChanged() {
        owners = null;
    }

    private void index(List<QuestionnaireResponseItemComponent> items) {
        for (QuestionnaireResponseItemComponent item : items) {
            for (QuestionnaireResponseItemAnswerComponent a : item.getAnswer()) {
                owners.put(a, item);
                if (a.getValue() != null) {
                    owners.put(a.getValue(), item);
                }
                index(a.getItem());
            }
            index(item.getItem());
        }
    }
}
