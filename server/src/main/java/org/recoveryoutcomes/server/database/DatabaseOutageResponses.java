package org.recoveryoutcomes.server.database;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;

/**
 * Answers a request that failed because the database could not be reached (or a statement ran into its timeout) with
 * 503 and a FHIR OperationOutcome, instead of HAPI's 500: the client may retry, nothing of the request was committed.
 */
@Component
@Interceptor
class DatabaseOutageResponses implements FhirInterceptor {

    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutageResponses.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException unavailable(Throwable error) {
        if (!isDatabaseUnavailable(error)) {
            return null;
        }
        log.warn("Database unavailable: {}", ExceptionUtils.getRootCauseMessage(error));
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.TRANSIENT)
                .setDiagnostics("The database is not available at the moment. Nothing of this request was stored; retry later.");
        BaseServerResponseException unavailable =
                new UnclassifiedServerFailureException(503, "Database unavailable", outcome);
        unavailable.addResponseHeader("Retry-After", RETRY_AFTER_SECONDS);
        return unavailable;
    }

    static boolean isDatabaseUnavailable(Throwable error) {
        for (Throwable t : ExceptionUtils.getThrowableList(error)) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SQLTimeoutException
                    || t instanceof CannotCreateTransactionException || t instanceof DataAccessResourceFailureException
                    || t instanceof QueryTimeoutException || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && isUnavailableState(sql.getSQLState())) {
                return true;
            }
            // a commit or rollback that failed in JDBC: the connection broke (e.g. Hikari's "Connection is closed",
            // which has no SQL state, when the rollback after a lost connection replaces the original error)
            if (t instanceof org.hibernate.TransactionException && ExceptionUtils.getRootCause(t) instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    /** 08: connection exception; 57P01-57P03: server shutting down or starting; 57014: statement timeout. */
    private static boolean isUnavailableState(String state) {
        return state.startsWith("08") || state.startsWith("57P") || state.equals("57014");
    }
}
