package org.recoveryoutcomes.server.goals;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.recoveryoutcomes.server.fhir.OperationProvider;
import org.springframework.stereotype.Component;

import java.time.LocalDate;

/**
 * {@code GET Patient/{id}/$goal-attainment[?date=]}: the person's GAS T-score as of a day (default today), with the
 * goals scored and the active GAS goals not yet rated (OperationDefinition goal-attainment).
 */
@Component
class GoalAttainmentOperation implements OperationProvider {

    private final DaoRegistry daoRegistry;
    private final GoalAttainment goalAttainment;
    private final GoalSettings settings;

    GoalAttainmentOperation(DaoRegistry daoRegistry, GoalAttainment goalAttainment, GoalSettings settings) {
        this.daoRegistry = daoRegistry;
        this.goalAttainment = goalAttainment;
        this.settings = settings;
    }

    @Operation(name = "$goal-attainment", idempotent = true, typeName = "Patient")
    public Parameters goalAttainment(@IdParam IdType patient, @OperationParam(name = "date", min = 0, max = 1) DateTimeType date,
            RequestDetails request) {
        // 404 for an unknown person, 410 for a deleted one
        daoRegistry.getResourceDao(Patient.class).read(patient.toUnqualifiedVersionless(), request);
        LocalDate asOf = AsOf.day(date, settings.timeZone());
        GasCalculation.Outcome outcome = goalAttainment.evaluate(patient.getIdPart(), asOf);

        Parameters out = new Parameters();
        out.addParameter().setName("date").setValue(new DateType(asOf.toString()));
        outcome.t().ifPresent(t -> out.addParameter().setName("t-score").setValue(new DecimalType(t)));
        GoalAttainment.goalParts(outcome).forEach(out::addParameter);
        if (outcome.t().isEmpty()) {
            out.addParameter().setName("issue").setResource(GoalAttainment.nothingToScore(outcome, asOf));
        }
        return out;
    }
}
