package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.recoveryoutcomes.server.fhir.OperationProvider;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;

/**
 * {@code GET /fhir/Observation/$aggregate} (contract §4; OperationDefinition aggregate) and the administrative
 * {@code POST /fhir/$rebuild-score-facts} (OperationDefinition rebuild-score-facts).
 */
@Component
class AggregateOperations implements OperationProvider {

    private static final Set<String> PARAMETERS = Set.of("code", "date", "organization", "group-by");

    private final AggregateService service;
    private final MeasureReportWriter writer;
    private final ScoreCodes codes;
    private final ScoreFactRebuilder rebuilder;

    AggregateOperations(AggregateService service, MeasureReportWriter writer, ScoreCodes codes, ScoreFactRebuilder rebuilder) {
        this.service = service;
        this.writer = writer;
        this.codes = codes;
        this.rebuilder = rebuilder;
    }

    @Operation(name = "$aggregate", type = Observation.class, idempotent = true)
    public MeasureReport aggregate(
            @OperationParam(name = "code", max = OperationParam.MAX_UNLIMITED) List<StringType> code,
            @OperationParam(name = "date", max = OperationParam.MAX_UNLIMITED) List<StringType> date,
            @OperationParam(name = "organization", max = OperationParam.MAX_UNLIMITED) List<StringType> organization,
            @OperationParam(name = "group-by", max = OperationParam.MAX_UNLIMITED) List<StringType> groupBy,
            RequestDetails request) {
        if (request.getParameters() != null) {
            for (String name : request.getParameters().keySet()) {
                if (!name.startsWith("_") && !PARAMETERS.contains(name)) {
                    throw new InvalidRequestException("Unknown parameter '" + name + "': $aggregate takes code, date, organization"
                            + " and group-by");
                }
            }
        }
        AggregateRequest r = AggregateRequest.parse(strings(code), strings(date), strings(organization), strings(groupBy), codes);
        return writer.write(r, service.compute(r));
    }

    @Operation(name = "$rebuild-score-facts", idempotent = false)
    public Parameters rebuildScoreFacts() {
        ScoreFactRebuilder.Result r = rebuilder.rebuild();
        Parameters out = new Parameters();
        out.addParameter().setName("observations").setValue(new IntegerType(r.observations()));
        out.addParameter().setName("facts").setValue(new IntegerType(r.facts()));
        out.addParameter().setName("people").setValue(new IntegerType(r.people()));
        out.addParameter().setName("milliseconds").setValue(new IntegerType((int) Math.min(Integer.MAX_VALUE, r.millis())));
        return out;
    }

    private static List<String> strings(List<StringType> values) {
        return values == null ? List.of() : values.stream().map(StringType::getValue).toList();
    }
}
