package org.recoveryoutcomes.server.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Points every operation of the CapabilityStatement that the project defines at the project's own
 * OperationDefinition (shipped in the {@code recovery-outcomes.server} package and installed at start-up),
 * instead of the definition HAPI generates and cannot serve.
 */
@Component
@Interceptor
class OperationDefinitionLinker implements FhirInterceptor {

    private final List<OperationDefinition> definitions;

    OperationDefinitionLinker(FhirContext fhirContext, ContentSettings settings) {
        this.definitions = FhirPackages.load(fhirContext, settings.packages()).stream()
                .map(FhirPackages.PackagedResource::resource)
                .filter(OperationDefinition.class::isInstance).map(OperationDefinition.class::cast).toList();
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void link(IBaseConformance conformance) {
        CapabilityStatement cs = (CapabilityStatement) conformance;
        for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
            for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                for (CapabilityStatement.CapabilityStatementRestResourceOperationComponent op : resource.getOperation()) {
                    definitions.stream()
                            .filter(d -> d.getCode().equals(op.getName()) && (d.getType() || d.getInstance())
                                    && d.getResource().stream().map(CodeType::getValue).anyMatch(resource.getType()::equals))
                            .findFirst().ifPresent(d -> op.setDefinition(d.getUrl()));
                }
            }
            for (CapabilityStatement.CapabilityStatementRestResourceOperationComponent op : rest.getOperation()) {
                definitions.stream().filter(d -> d.getCode().equals(op.getName()) && d.getSystem())
                        .findFirst().ifPresent(d -> op.setDefinition(d.getUrl()));
            }
        }
    }
}
