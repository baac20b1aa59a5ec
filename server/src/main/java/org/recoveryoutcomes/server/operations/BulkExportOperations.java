package org.recoveryoutcomes.server.operations;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import org.recoveryoutcomes.server.fhir.OperationProvider;
import org.springframework.stereotype.Component;

/**
 * FHIR Bulk Data export ({@code $export} at system, Group and Patient level, and the poll endpoint
 * {@code $export-poll-status}), answered by HAPI's provider and run as a HAPI batch job.
 */
@Component
class BulkExportOperations extends BulkDataExportProvider implements OperationProvider {

    BulkExportOperations(JpaStorageSettings storageSettings) {
        // HAPI would answer a repeated identical kick-off with the files of the earlier, completed job: a client
        // exporting the same Group every night would get the first night's data until those files expire
        storageSettings.setEnableBulkExportJobReuse(false);
    }
}
