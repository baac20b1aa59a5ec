package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The region's trusts (Organization) and their teams (Organization, partOf the trust), the teams' practitioners
 * (Practitioner with a PractitionerRole at the team), and each trust's yearly Box 2 self-assessments
 * (organisational-indicators and key-challenges, subject and author the trust), which improve with its maturity.
 */
final class OrganisationGenerator {

    private static final String ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type";

    private final RegionSettings settings;
    private final List<Organisations.Trust> trusts;
    private final Responses responses;

    OrganisationGenerator(RegionSettings settings, List<Organisations.Trust> trusts, Instruments instruments) {
        this.settings = settings;
        this.trusts = trusts;
        this.responses = new Responses(instruments);
    }

    List<Resource> generate() {
        List<Resource> out = new ArrayList<>();
        for (Organisations.Trust trust : trusts) {
            out.add(organization(trust.id(), trust.name(), new Coding(ORGANIZATION_TYPE, "prov", "Healthcare Provider"), null));
            for (Organisations.Team team : trust.teams()) {
                out.add(organization(team.id(), team.name(), new Coding(ORGANIZATION_TYPE, "dept", "Hospital Department"), trust.id()));
                for (Organisations.Practitioner p : team.practitioners()) {
                    out.add(practitioner(p));
                    out.add(role(p, team));
                }
            }
            out.addAll(selfAssessments(trust));
        }
        return out;
    }

    private List<Resource> selfAssessments(Organisations.Trust trust) {
        Dice dice = Dice.of(settings.seed(), "trust-assessments", trust.number());
        List<Resource> out = new ArrayList<>();
        String self = "Organization/" + trust.id();
        for (int year = 1; year <= settings.years(); year++) {
            LocalDate day = settings.start().plusYears(year - 1).plusDays(dice.between(20, 60));
            double maturity = Math.max(0.05, Math.min(0.95, trust.maturity() + 0.12 * (year - 1) + 0.05 * dice.normal()));
            int minute = Synthetic.workingMinute(dice);
            for (String questionnaire : List.of("organisational-indicators", "key-challenges")) {
                out.add(responses.completed(trust.id() + "-" + questionnaire + "-" + year, questionnaire, self, self, null, day,
                        minute, new OrganisationAnswers(dice, maturity, day, year)));
            }
        }
        return out;
    }

    private Organization organization(String id, String name, Coding type, String partOf) {
        Organization o = Synthetic.mark(new Organization(), id, null);
        o.addIdentifier(Synthetic.identifier(Synthetic.ORGANISATION_SYSTEM, id));
        o.setActive(true);
        o.addType(new CodeableConcept(type));
        o.setName(name);
        if (partOf != null) {
            o.setPartOf(new Reference("Organization/" + partOf));
        }
        return o;
    }

    private Practitioner practitioner(Organisations.Practitioner p) {
        Practitioner r = Synthetic.mark(new Practitioner(), p.id(), null);
        r.addIdentifier(Synthetic.identifier(Synthetic.PRACTITIONER_SYSTEM, p.id()));
        r.setActive(true);
        r.addName(new HumanName().setFamily(p.family()).addGiven(p.given()));
        return r;
    }

    private PractitionerRole role(Organisations.Practitioner p, Organisations.Team team) {
        PractitionerRole r = Synthetic.mark(new PractitionerRole(), p.id() + "-role", null);
        r.setActive(true);
        r.setPractitioner(new Reference("Practitioner/" + p.id()));
        r.setOrganization(new Reference("Organization/" + team.id()));
        return r;
    }
}
