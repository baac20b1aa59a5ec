package org.recoveryoutcomes.server.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * HAPI's CapabilityStatement provider also answers {@code GET OperationDefinition/{id}}, with the definitions it
 * generates only, which hides the stored ones: the project's OperationDefinitions (installed at start-up with
 * server id = id, contract §2) then read as 404. This provider serves the stored OperationDefinition first and
 * falls back to HAPI's generated one.
 */
class StoredOperationDefinitionsCapabilityProvider extends JpaCapabilityStatementProvider {

    private final IFhirResourceDao<?> operationDefinitions;

    StoredOperationDefinitionsCapabilityProvider(RestfulServer server, IFhirSystemDao<?, ?> systemDao, JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry, IValidationSupport validationSupport, IFhirResourceDao<?> operationDefinitions) {
        super(server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        this.operationDefinitions = operationDefinitions;
    }

    @Override
    @Read(typeName = "OperationDefinition")
    public IBaseResource readOperationDefinition(@IdParam IIdType id, RequestDetails request) {
        if (operationDefinitions != null && id != null && id.hasIdPart()) {
            try {
                return operationDefinitions.read(id.toUnqualifiedVersionless(), request);
            } catch (ResourceNotFoundException | ResourceGoneException notStored) {
                // not one of ours: perhaps a definition HAPI generates for an operation
            }
        }
        return super.readOperationDefinition(id, request);
    }
}
