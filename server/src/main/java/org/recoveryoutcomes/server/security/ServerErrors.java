package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * A 500 tells the client an incident id and nothing of the server's insides (exception names and messages stay in
 * the log). An unparsable request body that surfaces wrapped in another exception is the client's error: 400.
 */
@Component
@Interceptor
class ServerErrors implements FhirInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ServerErrors.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException hideInternals(RequestDetails request, Throwable exception) {
        if (exception instanceof DataFormatException
                || exception instanceof BaseServerResponseException e && e.getStatusCode() != 500) {
            return null; // HAPI's own answer: 400 for a parse error, the exception's status otherwise
        }
        DataFormatException unparsable = cause(exception, DataFormatException.class);
        if (unparsable != null) {
            return new InvalidRequestException(unparsable.getMessage());
        }
        String incident = UUID.randomUUID().toString();
        log.error("Internal error, incident {}: {} {}", incident, request.getRequestType(), request.getRequestPath(), exception);
        return new InternalErrorException("Internal error, incident " + incident + " (the details are in the server log)");
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
