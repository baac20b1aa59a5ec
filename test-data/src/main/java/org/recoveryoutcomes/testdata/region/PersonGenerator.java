package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything about one person: the Patient, their service use, and a review every three to six months from referral to
 * the end of the period, at which they answer their team's measures; GAS goals are set at the first review and rated at
 * the later ones. Each part draws from its own random stream, so changing one part leaves the others as they were.
 */
final class PersonGenerator {

    private final RegionSettings settings;
    private final List<Organisations.Trust> trusts;
    private final Instruments instruments;
    private final Responses responses;

    PersonGenerator(RegionSettings settings, List<Organisations.Trust> trusts, Instruments instruments) {
        this.settings = settings;
        this.trusts = trusts;
        this.instruments = instruments;
        this.responses = new Responses(instruments);
    }

    List<Resource> generate(int number) {
        Person person = person(number, Dice.of(settings.seed(), "person", number));
        List<Resource> out = new ArrayList<>();
        out.add(patient(person));
        out.addAll(ServiceUse.of(person, instruments, Dice.of(settings.seed(), "service-use", number), settings.end()));
        out.addAll(reviews(person, Dice.of(settings.seed(), "reviews", number)));
        return out;
    }

    private Person person(int number, Dice dice) {
        Organisations.Trust trust = trusts.get(dice.between(0, trusts.size() - 1));
        Organisations.Team team = trust.team(dice.chance(0.5)
                ? Organisations.TeamKind.COMMUNITY_LONG_FORMS : Organisations.TeamKind.COMMUNITY_SHORT_FORMS);
        double g = dice.uniform();
        AdministrativeGender gender = g < 0.48 ? AdministrativeGender.FEMALE : g < 0.96 ? AdministrativeGender.MALE
                : g < 0.98 ? AdministrativeGender.OTHER : AdministrativeGender.UNKNOWN;
        LocalDate start = settings.start();
        LocalDate born = start.minusYears(dice.between(18, 79)).minusDays(dice.between(0, 364));
        LocalDate referral = start.plusDays(dice.between(0, 120));
        return new Person(number, settings.prefix() + "-p" + number, dice.pick(Names.GIVEN), dice.pick(Names.FAMILY), gender,
                born, trust, team, referral, Trajectory.draw(dice, referral));
    }

    private Patient patient(Person person) {
        Patient p = Synthetic.mark(new Patient(), person.id(), null);
        p.addIdentifier(Synthetic.identifier(Synthetic.PATIENT_SYSTEM, person.id()));
        p.setActive(true);
        p.addName(new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily(person.family()).addGiven(person.given()));
        p.setGender(person.gender());
        p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(person.birthDate().toString()));
        p.setManagingOrganization(new Reference("Organization/" + person.team().id()));
        return p;
    }

    private List<Resource> reviews(Person person, Dice dice) {
        List<Resource> out = new ArrayList<>();
        boolean longForms = person.team().kind() == Organisations.TeamKind.COMMUNITY_LONG_FORMS;
        SocialSituation social = null;
        GoalAttainment gas = null;
        double firstLevel = 0;
        LocalDate lastPractice = null;
        LocalDate day = person.referral().plusDays(dice.between(0, 14));
        for (int review = 1; !day.isAfter(settings.end()); review++) {
            int minute = Synthetic.workingMinute(dice);
            double level = person.trajectory().level(day) + 0.2 * dice.normal();
            if (review == 1) {
                firstLevel = level;
                social = new SocialSituation(instruments, dice, person.ageOn(day), level);
                gas = new GoalAttainment(person, instruments, dice, day);
                out.addAll(gas.goals());
            } else {
                social.review(level);
            }
            double change = level - firstLevel;
            Organisations.Practitioner worker = dice.pick(person.team().practitioners());
            String team = "Organization/" + person.team().id();
            List<String> measures = new ArrayList<>(List.of(longForms ? "wemwbs" : "swemwbs", longForms ? "qpr-22" : "qpr-15",
                    longForms ? "inspire" : "inspire-brief", "mansa", "social-inclusion"));
            if (review % 2 == 1) {
                measures.add("recovery-narrative");
            }
            for (String measure : measures) {
                // a measure is now and then missed at a later review, as in any service
                if (review > 1 && dice.chance(0.05)) {
                    continue;
                }
                ResponseFiller.Answers answers = switch (measure) {
                    case "social-inclusion" -> social.answers(level);
                    case "recovery-narrative" -> new NarrativeAnswers(instruments, dice, change, gas.descriptions());
                    default -> new MeasureAnswers(measure, level, person.team().practiceQuality(), dice);
                };
                out.add(responses.completed(person.id() + "-" + measure + "-" + review, measure, person.reference(), team,
                        person.reference(), day, minute, answers));
            }
            if (lastPractice == null || ChronoUnit.DAYS.between(lastPractice, day) >= 330) {
                double years = ChronoUnit.DAYS.between(settings.start(), day) / 365.25;
                double inPlace = Math.min(0.95, person.team().practiceQuality() + 0.05 * years);
                out.add(responses.completed(person.id() + "-recovery-practice-" + review, "recovery-practice", person.reference(),
                        team, null, day, minute, new PracticeAnswers(dice, inPlace)));
                lastPractice = day;
            }
            if (review > 1) {
                out.addAll(gas.rate(review, day, minute, change, worker));
            }
            day = day.plusDays(dice.between(90, 180));
        }
        return out;
    }
}
