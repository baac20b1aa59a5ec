package org.recoveryoutcomes.server.scoring;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.recoveryoutcomes.server.fhir.OperationProvider;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * {@code QuestionnaireResponse/$score} (this project's operation) and SDC {@code QuestionnaireResponse/$extract}
 * (observation-based), at type level (POST: the response as body, or Parameters) and instance level (stored response).
 */
@Component
class ScoreOperations implements OperationProvider {

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final SdcForms forms;
    private final ResponseScoring scoring;
    private final ScoreObservations observations;

    ScoreOperations(FhirContext fhirContext, DaoRegistry daoRegistry, SdcForms forms, ResponseScoring scoring,
            ScoreObservations observations) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.forms = forms;
        this.scoring = scoring;
        this.observations = observations;
    }

    @Operation(name = "$score", type = QuestionnaireResponse.class, idempotent = false, manualRequest = true)
    public Parameters score(RequestDetails request) {
        Input in = input(request, "response");
        return parameters(scoring.score(in.form(), in.response()));
    }

    @Operation(name = "$score", type = QuestionnaireResponse.class, idempotent = true)
    public Parameters scoreStored(@IdParam IdType id, RequestDetails request) {
        QuestionnaireResponse response = read(id, request);
        return parameters(scoring.score(form(response, null), response));
    }

    @Operation(name = "$extract", type = QuestionnaireResponse.class, idempotent = false, manualRequest = true)
    public Bundle extract(RequestDetails request) {
        Input in = input(request, "questionnaire-response");
        return bundle(observations.build(scoring.score(in.form(), in.response()), in.response(), request));
    }

    @Operation(name = "$extract", type = QuestionnaireResponse.class, idempotent = true)
    public Bundle extractStored(@IdParam IdType id, RequestDetails request) {
        QuestionnaireResponse response = read(id, request);
        return bundle(observations.build(scoring.score(form(response, null), response), response, request));
    }

    private record Input(QuestionnaireResponse response, SdcForm form) {
    }

    private Input input(RequestDetails request, String responseParameter) {
        IBaseResource body = parseBody(request);
        QuestionnaireResponse response;
        Questionnaire questionnaire = null;
        if (body instanceof QuestionnaireResponse qr) {
            response = qr;
        } else if (body instanceof Parameters p) {
            response = resourceParameter(p, responseParameter, QuestionnaireResponse.class);
            if (response == null && !responseParameter.equals("response")) {
                response = resourceParameter(p, "response", QuestionnaireResponse.class);
            }
            if (response == null) {
                throw new InvalidRequestException("Parameters must contain a QuestionnaireResponse in parameter '" + responseParameter + "'");
            }
            questionnaire = resourceParameter(p, "questionnaire", Questionnaire.class);
        } else {
            throw new InvalidRequestException("The body must be a QuestionnaireResponse or Parameters, not " + body.fhirType());
        }
        return new Input(response, form(response, questionnaire));
    }

    private IBaseResource parseBody(RequestDetails request) {
        byte[] bytes = request.loadRequestContents();
        if (bytes == null || bytes.length == 0) {
            throw new InvalidRequestException("A QuestionnaireResponse or Parameters body is required");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        EncodingEnum encoding = EncodingEnum.forContentType(request.getHeader("Content-Type"));
        if (encoding == null) {
            encoding = text.stripLeading().startsWith("<") ? EncodingEnum.XML : EncodingEnum.JSON;
        }
        IParser parser = encoding.newParser(fhirContext);
        try {
            return parser.parseResource(text);
        } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
            String why = String.valueOf(e.getMessage()).replaceAll("([a-z0-9_]+\\.)+[A-Z]\\w*(Exception|Error):?\\s*", "");
            throw new InvalidRequestException("The body is not a valid FHIR resource in " + encoding.name() + ": "
                    + (why.length() > 300 ? why.substring(0, 300) + "..." : why));
        }
    }

    private static <T> T resourceParameter(Parameters p, String name, Class<T> type) {
        for (ParametersParameterComponent pp : p.getParameter()) {
            if (name.equals(pp.getName())) {
                if (!type.isInstance(pp.getResource())) {
                    throw new InvalidRequestException("Parameter '" + name + "' must be a " + type.getSimpleName());
                }
                return type.cast(pp.getResource());
            }
        }
        return null;
    }

    private SdcForm form(QuestionnaireResponse response, Questionnaire given) {
        if (given != null) {
            return forms.compile(given);
        }
        String canonical = response.getQuestionnaire();
        if (canonical == null || canonical.isBlank()) {
            throw new UnprocessableEntityException(fhirContext, outcome(IssueType.REQUIRED,
                    "The QuestionnaireResponse names no questionnaire; send the Questionnaire as parameter 'questionnaire'",
                    "QuestionnaireResponse.questionnaire"));
        }
        return forms.find(canonical).orElseThrow(() -> new UnprocessableEntityException(fhirContext, outcome(IssueType.NOTFOUND,
                "The Questionnaire " + canonical + " is not known to this server; send it as parameter 'questionnaire'",
                "QuestionnaireResponse.questionnaire")));
    }

    private QuestionnaireResponse read(IdType id, RequestDetails request) {
        return (QuestionnaireResponse) daoRegistry.getResourceDao(QuestionnaireResponse.class).read(id.toUnqualifiedVersionless(), request);
    }

    private static OperationOutcome outcome(IssueType type, String text, String expression) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(text).addExpression(expression);
        return oo;
    }

    private static Parameters parameters(ResponseScoring.Scored scored) {
        Parameters out = new Parameters();
        for (ResponseScoring.Score score : scored.scores()) {
            SdcItem item = score.item();
            for (Type value : score.values()) {
                ParametersParameterComponent p = out.addParameter().setName("score");
                p.addPart().setName("linkId").setValue(new StringType(item.linkId()));
                if (item.code() != null) {
                    p.addPart().setName("code").setValue(item.code().copy());
                }
                p.addPart().setName("value").setValue(value.copy());
                if (scored.form().domain() != null) {
                    p.addPart().setName("domain").setValue(scored.form().domain().copy());
                }
            }
            if (!score.hasValue()) {
                out.addParameter().setName("issue").setResource(issue(IssueSeverity.WARNING,
                        score.why().startsWith("needs every") ? IssueType.INCOMPLETE
                                : score.why().startsWith("could not") ? IssueType.PROCESSING : IssueType.BUSINESSRULE,
                        item, score.why()));
            }
            if (score.mismatch() != null) {
                out.addParameter().setName("issue").setResource(issue(IssueSeverity.WARNING, IssueType.VALUE, item, score.mismatch()));
            }
        }
        if (scored.problem() != null) {
            OperationOutcome oo = new OperationOutcome();
            oo.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.PROCESSING).setDiagnostics(scored.problem());
            out.addParameter().setName("issue").setResource(oo);
        }
        return out;
    }

    private static OperationOutcome issue(IssueSeverity severity, IssueType type, SdcItem item, String text) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(severity).setCode(type).setDiagnostics(item.linkId() + ": " + text)
                .addExpression("QuestionnaireResponse.descendants().where(linkId = '" + item.linkId() + "')");
        return oo;
    }

    private static Bundle bundle(List<Observation> extracted) {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Observation o : extracted) {
            b.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(o)
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }
        return b;
    }
}
