package org.recoveryoutcomes.server.profile;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.StringType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Domain 6 figures from the person's service-use Encounters (profile service-use-encounter: a type coded with
 * {canon}/CodeSystem/service-use-type, status not cancelled or entered-in-error, period.start), counted the way that
 * profile documents, for two windows of whole days [start, end]:
 * <ul>
 * <li>{@code before-first-measure}: the N months before the day of the person's first outcome measure F,
 * i.e. [F − N months, F − 1 day] (absent while the person has no outcome measure);</li>
 * <li>{@code latest}: the latest N months up to the as-of day D, i.e. [D − N months + 1 day, D].</li>
 * </ul>
 * inpatient-admissions: inpatient-admission Encounters starting in the window; bed-days: over inpatient-admission
 * Encounters, the midnights between max(period.start, window start 00:00) and min(period.end, the day after the
 * window 00:00), an open stay running to the end of the window (a stay admitted on the 3rd and discharged on the 17th
 * is 14 bed days); community-contacts and crisis-contacts: community-contact / crisis-contact Encounters with status
 * finished starting in the window; mha-detentions: mha-detention Encounters starting in the window. Days and
 * midnights are read in the profile's zone. These are figures only: less service use is not always better, so no
 * direction or reliable change is given.
 */
final class ServiceUse {

    static final String TYPE_SYSTEM = ScoreCatalogue.CANON + "/CodeSystem/service-use-type";
    static final String NOTE = "Figures only: less use of formal mental health services is not always better (ImROC Box 3 "
            + "domain 6: an appropriate reduction, 'but beware!'); read them alongside the other domains. No direction or "
            + "reliable change is given.";

    record Use(String type, Encounter encounter, Instant start, Instant end) {
    }

    private ServiceUse() {
    }

    /** The Encounters that count, with their service-use type, started on or before the as-of day. */
    static List<Use> uses(List<Encounter> encounters, LocalDate asOf, ZoneId zone) {
        List<Use> uses = new ArrayList<>();
        for (Encounter e : encounters) {
            if (e.getStatus() == Encounter.EncounterStatus.CANCELLED || e.getStatus() == Encounter.EncounterStatus.ENTEREDINERROR
                    || !e.hasPeriod() || !e.getPeriod().hasStart()) {
                continue;
            }
            Optional<String> type = e.getType().stream().flatMap(t -> t.getCoding().stream())
                    .filter(c -> TYPE_SYSTEM.equals(c.getSystem()) && c.getCode() != null).map(Coding::getCode).findFirst();
            if (type.isEmpty() || Days.day(e.getPeriod().getStartElement(), zone).isAfter(asOf)) {
                continue;
            }
            Instant end = e.getPeriod().hasEnd() ? Days.instant(e.getPeriod().getEndElement(), zone) : null;
            uses.add(new Use(type.get(), e, Days.instant(e.getPeriod().getStartElement(), zone), end));
        }
        return uses;
    }

    /** The domain 6 parts: the windows' figures and the note; nothing when the person has no service-use Encounter. */
    static List<ParametersParameterComponent> parts(List<Use> uses, Optional<LocalDate> firstMeasure, LocalDate asOf, int months,
            ZoneId zone) {
        List<ParametersParameterComponent> out = new ArrayList<>();
        if (uses.isEmpty()) {
            return out;
        }
        firstMeasure.ifPresent(f -> out.add(window("before-first-measure", f.minusMonths(months), f.minusDays(1), uses, zone)));
        out.add(window("latest", asOf.minusMonths(months).plusDays(1), asOf, uses, zone));
        out.add(new ParametersParameterComponent().setName("note").setValue(new StringType(NOTE)));
        return out;
    }

    private static ParametersParameterComponent window(String name, LocalDate start, LocalDate end, List<Use> uses, ZoneId zone) {
        Instant from = start.atStartOfDay(zone).toInstant();
        Instant until = end.plusDays(1).atStartOfDay(zone).toInstant();
        int admissions = 0;
        long bedDays = 0;
        int community = 0;
        int crisis = 0;
        int detentions = 0;
        for (Use u : uses) {
            LocalDate startDay = u.start().atZone(zone).toLocalDate();
            boolean startsInWindow = !startDay.isBefore(start) && !startDay.isAfter(end);
            boolean finished = u.encounter().getStatus() == Encounter.EncounterStatus.FINISHED;
            switch (u.type()) {
                case "inpatient-admission" -> {
                    if (startsInWindow) {
                        admissions++;
                    }
                    Instant a = u.start().isAfter(from) ? u.start() : from;
                    Instant b = u.end() != null && u.end().isBefore(until) ? u.end() : until;
                    if (b.isAfter(a)) {
                        bedDays += ChronoUnit.DAYS.between(a.atZone(zone).toLocalDate(), b.atZone(zone).toLocalDate());
                    }
                }
                case "community-contact" -> community += startsInWindow && finished ? 1 : 0;
                case "crisis-contact" -> crisis += startsInWindow && finished ? 1 : 0;
                case "mha-detention" -> detentions += startsInWindow ? 1 : 0;
                default -> {
                }
            }
        }
        ParametersParameterComponent w = new ParametersParameterComponent().setName("service-use");
        w.addPart().setName("window").setValue(new CodeType(name));
        w.addPart().setName("period").setValue(new Period().setStartElement(new DateTimeType(start.toString()))
                .setEndElement(new DateTimeType(end.toString())));
        w.addPart().setName("inpatient-admissions").setValue(new IntegerType(admissions));
        w.addPart().setName("bed-days").setValue(new IntegerType(Math.toIntExact(bedDays)));
        w.addPart().setName("community-contacts").setValue(new IntegerType(community));
        w.addPart().setName("crisis-contacts").setValue(new IntegerType(crisis));
        w.addPart().setName("mha-detentions").setValue(new IntegerType(detentions));
        return w;
    }
}
