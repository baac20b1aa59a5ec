package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A person's use of services (Domain 6) as service-use-encounter Encounters: community contacts with their team, more
 * often when they are unwell; crises (crisis team contacts), likelier the lower their level; some crises end in an
 * inpatient admission, some admissions under a Mental Health Act detention (its own Encounter, partOf the admission).
 * An admission still open at the end of the period stays in-progress without an end.
 */
final class ServiceUse {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private final Person person;
    private final Instruments instruments;
    private final Dice dice;
    private final LocalDate end;
    private final List<Encounter> encounters = new ArrayList<>();

    private ServiceUse(Person person, Instruments instruments, Dice dice, LocalDate end) {
        this.person = person;
        this.instruments = instruments;
        this.dice = dice;
        this.end = end;
    }

    static List<Encounter> of(Person person, Instruments instruments, Dice dice, LocalDate end) {
        ServiceUse use = new ServiceUse(person, instruments, dice, end);
        use.simulate();
        return use.encounters;
    }

    private void simulate() {
        LocalDate day = person.referral();
        community(day);
        while (true) {
            double level = person.trajectory().level(day);
            long gap = Math.max(7, Math.min(120, Math.round(35 * StrictMath.exp(0.25 * level) * (0.6 + 0.8 * dice.uniform()))));
            double crisesPerYear = 0.5 * StrictMath.exp(-0.9 * level);
            if (dice.chance(1 - StrictMath.exp(-crisesPerYear * gap / 365.0))) {
                LocalDate crisis = day.plusDays(dice.between(1, (int) gap));
                if (crisis.isAfter(end)) {
                    return;
                }
                day = crisis(crisis, level);
                if (day == null) {
                    return;
                }
            } else {
                day = day.plusDays(gap);
                if (day.isAfter(end)) {
                    return;
                }
                community(day);
            }
        }
    }

    /** @return the day care in the community resumes, or null when it does not before the end of the period */
    private LocalDate crisis(LocalDate day, double level) {
        boolean admit = dice.chance(Math.min(0.7, 0.3 * StrictMath.exp(-0.5 * level)));
        int admitAfter = admit ? dice.between(0, 2) : 0;
        // the crisis team sees the person until they are admitted (the last contact is the day of admission)
        int contacts = admit ? admitAfter + 1 : dice.between(1, 4);
        Organisations.Team crisisTeam = person.trust().team(Organisations.TeamKind.CRISIS);
        int lastContactEnd = 0;
        for (int i = 0; i < contacts && !day.plusDays(i).isAfter(end); i++) {
            int minute = i == 0 ? dice.between(0, 24 * 4 - 8) * 15 : Synthetic.workingMinute(dice);
            lastContactEnd = minute + 30 + 15 * dice.between(0, 4);
            encounter("crisis-contact", i == 0 ? "EMER" : "HH", crisisTeam, day.plusDays(i), minute,
                    day.plusDays(i), lastContactEnd, true);
        }
        if (!admit) {
            return day.plusDays(contacts);
        }
        LocalDate admitted = day.plusDays(admitAfter);
        if (admitted.isAfter(end)) {
            return null;
        }
        long stay = Math.max(2, Math.min(240, Math.round(StrictMath.exp(StrictMath.log(24) + 0.7 * dice.normal()))));
        LocalDate discharged = admitted.plusDays(stay);
        Organisations.Team ward = person.trust().team(Organisations.TeamKind.INPATIENT);
        int inMinute = Math.min(24 * 60 - 15, lastContactEnd + 15 * dice.between(2, 12));
        int outMinute = Synthetic.workingMinute(dice);
        boolean finished = !discharged.isAfter(end);
        Encounter admission = encounter("inpatient-admission", "IMP", ward, admitted, inMinute, discharged, outMinute, finished);
        if (dice.chance(0.35)) {
            // section 2 (up to 28 days) or section 3 (longer stays): detention ends at discharge at the latest
            LocalDate detentionEnd = stay <= 28 || dice.chance(0.4) ? admitted.plusDays(Math.min(stay, 28)) : discharged;
            boolean detentionFinished = !detentionEnd.isAfter(end);
            Encounter detention = encounter("mha-detention", "IMP", ward, admitted, inMinute, detentionEnd,
                    detentionEnd.equals(discharged) ? outMinute : inMinute, detentionFinished);
            detention.setPartOf(new Reference("Encounter/" + admission.getIdPart()));
        }
        if (!finished) {
            return null;
        }
        LocalDate followUp = discharged.plusDays(dice.between(1, 3));
        if (followUp.isAfter(end)) {
            return null;
        }
        community(followUp);
        return followUp;
    }

    private void community(LocalDate day) {
        int minute = Synthetic.workingMinute(dice);
        encounter("community-contact", dice.chance(0.3) ? "HH" : "AMB", person.team(), day, minute, day,
                minute + 30 + 15 * dice.between(0, 2), true);
    }

    private Encounter encounter(String type, String encounterClass, Organisations.Team team, LocalDate from, int fromMinute,
            LocalDate to, int toMinute, boolean finished) {
        Encounter e = Synthetic.mark(new Encounter(), person.id() + "-e" + (encounters.size() + 1), "service-use-encounter");
        e.setStatus(finished ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS);
        e.setClass_(new Coding(ACT_CODE, encounterClass, switch (encounterClass) {
            case "IMP" -> "inpatient encounter";
            case "EMER" -> "emergency";
            case "HH" -> "home health";
            default -> "ambulatory";
        }));
        e.addType(new CodeableConcept(instruments.coding("service-use-type", type)));
        e.setSubject(new Reference(person.reference()));
        Period period = new Period().setStartElement(Synthetic.at(from, fromMinute));
        if (finished) {
            period.setEndElement(Synthetic.at(to, Math.min(toMinute, 24 * 60 - 1)));
        }
        e.setPeriod(period);
        e.setServiceProvider(new Reference("Organization/" + team.id()));
        if (!type.equals("mha-detention")) {
            Organisations.Practitioner who = dice.pick(team.practitioners());
            e.addParticipant().setIndividual(new Reference("Practitioner/" + who.id()));
        }
        if (type.equals("inpatient-admission") && finished) {
            e.getLength().setValue(ChronoUnit.DAYS.between(from, to)).setUnit("days").setSystem("http://unitsofmeasure.org").setCode("d");
        }
        encounters.add(e);
        return e;
    }
}
