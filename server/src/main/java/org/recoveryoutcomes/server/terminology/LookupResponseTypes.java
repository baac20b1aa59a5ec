package org.recoveryoutcomes.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;

/** Gives {@code $lookup} property values of the project's CodeSystems the type their CodeSystem declares. */
@Interceptor
class LookupResponseTypes implements FhirInterceptor {

    private final IValidationSupport validationSupport;

    LookupResponseTypes(IValidationSupport validationSupport) {
        this.validationSupport = validationSupport;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean retype(RequestDetails request, IBaseResource response) {
        if (!"$lookup".equals(request.getOperation()) || !(response instanceof Parameters out)) {
            return true;
        }
        String system = request.getParameters().containsKey("system") ? request.getParameters().get("system")[0] : null;
        if (system == null && request.getResource() instanceof Parameters in) {
            system = in.getParameter("system") != null ? in.getParameter("system").getValue().primitiveValue()
                    : in.getParameter("coding") != null ? ((org.hl7.fhir.r4.model.Coding) in.getParameter("coding").getValue()).getSystem() : null;
        }
        if (system == null || !system.startsWith(ProjectCodeSystemLookup.PREFIX)
                || !(validationSupport.fetchCodeSystem(system) instanceof CodeSystem cs)) {
            return true;
        }
        for (Parameters.ParametersParameterComponent p : out.getParameter()) {
            if (!p.getName().equals("property")) {
                continue;
            }
            String code = p.getPart().stream().filter(x -> x.getName().equals("code")).findFirst()
                    .map(x -> x.getValue().primitiveValue()).orElse(null);
            CodeSystem.PropertyType type = cs.getProperty().stream().filter(d -> d.getCode().equals(code)).findFirst()
                    .map(CodeSystem.PropertyComponent::getType).orElse(null);
            p.getPart().stream().filter(x -> x.getName().equals("value") && x.getValue() instanceof StringType).forEach(x -> {
                String v = x.getValue().primitiveValue();
                Type typed = type == null ? null : switch (type) {
                    case DECIMAL -> new DecimalType(v);
                    case INTEGER -> new IntegerType(v);
                    case CODE -> new CodeType(v);
                    default -> null;
                };
                if (typed != null) {
                    x.setValue(typed);
                }
            });
        }
        return true;
    }
}
