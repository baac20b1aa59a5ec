package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;

import java.time.LocalDate;

/** One synthetic person: who they are, which team looks after them, and how their recovery goes. */
record Person(int number, String id, String given, String family, AdministrativeGender gender, LocalDate birthDate,
              Organisations.Trust trust, Organisations.Team team, LocalDate referral, Trajectory trajectory) {

    int ageOn(LocalDate date) {
        return birthDate.until(date).getYears();
    }

    String reference() {
        return "Patient/" + id;
    }
}
