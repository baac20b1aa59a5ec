package org.recoveryoutcomes.testdata.region;

import java.util.ArrayList;
import java.util.List;

/**
 * The provider organisations of a region: trusts, each with two community recovery teams (one using the long forms
 * of the measures, one the short forms, so every instrument is in use), a crisis team and an inpatient ward.
 */
final class Organisations {

    enum TeamKind {
        COMMUNITY_LONG_FORMS("Community Recovery Team A"),
        COMMUNITY_SHORT_FORMS("Community Recovery Team B"),
        CRISIS("Crisis Resolution and Home Treatment Team"),
        INPATIENT("Acute Inpatient Ward");

        final String label;

        TeamKind(String label) {
            this.label = label;
        }
    }

    record Trust(int number, String id, String name, double maturity, List<Team> teams) {

        Team team(TeamKind kind) {
            return teams.stream().filter(t -> t.kind() == kind).findFirst().orElseThrow();
        }
    }

    /** @param practiceQuality share of Box 1 practices the team has in place at the start (0–1) */
    record Team(String id, String name, TeamKind kind, double practiceQuality, List<Practitioner> practitioners) {
    }

    record Practitioner(String id, String given, String family) {
    }

    static final int PRACTITIONERS_PER_TEAM = 3;

    private Organisations() {
    }

    static List<Trust> of(RegionSettings settings) {
        List<Trust> trusts = new ArrayList<>();
        for (int n = 1; n <= settings.organisations(); n++) {
            Dice dice = Dice.of(settings.seed(), "trust", n);
            String trustId = settings.prefix() + "-t" + n;
            String place = Names.place(n - 1);
            List<Team> teams = new ArrayList<>();
            int k = 1;
            for (TeamKind kind : TeamKind.values()) {
                String teamId = trustId + "-team" + k++;
                List<Practitioner> staff = new ArrayList<>();
                for (int p = 1; p <= PRACTITIONERS_PER_TEAM; p++) {
                    staff.add(new Practitioner(teamId + "-pr" + p, dice.pick(Names.GIVEN), dice.pick(Names.FAMILY)));
                }
                teams.add(new Team(teamId, place + " " + kind.label + " (synthetic)", kind,
                        0.4 + 0.35 * dice.uniform(), staff));
            }
            trusts.add(new Trust(n, trustId, place + " Synthetic Mental Health Trust", 0.15 + 0.3 * dice.uniform(), teams));
        }
        return trusts;
    }
}
