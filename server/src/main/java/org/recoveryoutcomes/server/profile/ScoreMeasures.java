package org.recoveryoutcomes.server.profile;

import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code measure} parts of the profile, from the person's score Observations as contract §3 shapes them
 * (code {canon}/CodeSystem/recovery-score#code, subject, effectiveDateTime, value[x], category domain).
 * <p>
 * Per score code, the Observations that count (status final, amended or corrected, a numeric or boolean value,
 * dated on or before the as-of day) are ordered by time (then by when they were stored): the first is the baseline,
 * the last the latest. change = latest − baseline (a boolean measure says became-true, became-false or unchanged).
 * reliable-change compares |change| with the code's threshold (≥ threshold is reliable) in the code's direction;
 * it is not-applicable with a single score, without a configured threshold, without an ordered direction or for a
 * boolean. GAS ratings of single goals (gas-attainment) are not person-level measures and are left out; the domain
 * of a score is its Observation's recovery-outcome-domain category, else the CodeSystem's domain property.
 */
final class ScoreMeasures {

    record Score(String code, String domain, Observation observation, Instant at, LocalDate day, Type value) {
        Optional<BigDecimal> number() {
            if (value instanceof DecimalType d) {
                return Optional.of(d.getValue());
            }
            if (value instanceof IntegerType i) {
                return Optional.of(BigDecimal.valueOf(i.getValue()));
            }
            return Optional.empty();
        }
    }

    private ScoreMeasures() {
    }

    /** The scores that count as of the day, each with its domain, in time order. */
    static List<Score> scores(List<Observation> observations, Map<String, ScoreCatalogue.ScoreCode> catalogue, LocalDate asOf,
            ZoneId zone) {
        List<Score> scores = new ArrayList<>();
        for (Observation o : observations) {
            if (!(o.getStatus() == Observation.ObservationStatus.FINAL || o.getStatus() == Observation.ObservationStatus.AMENDED
                    || o.getStatus() == Observation.ObservationStatus.CORRECTED)) {
                continue;
            }
            BaseDateTimeType when = o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType()
                    : o.hasEffectivePeriod() && o.getEffectivePeriod().hasStart() ? o.getEffectivePeriod().getStartElement() : null;
            Type value = value(o);
            if (when == null || !when.hasValue() || value == null) {
                continue;
            }
            LocalDate day = Days.day(when, zone);
            if (day.isAfter(asOf)) {
                continue;
            }
            for (Coding c : o.getCode().getCoding()) {
                if (!ScoreCatalogue.SCORE_SYSTEM.equals(c.getSystem()) || c.getCode() == null || "gas-attainment".equals(c.getCode())) {
                    continue;
                }
                String domain = domainOf(o, catalogue.get(c.getCode()));
                if (domain != null) {
                    scores.add(new Score(c.getCode(), domain, o, Days.instant(when, zone), day, value));
                }
            }
        }
        scores.sort(Comparator.comparing(Score::at)
                .thenComparing(s -> s.observation().getMeta().getLastUpdated(), Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(s -> s.observation().getIdElement().getIdPart(), Comparator.nullsFirst(Comparator.naturalOrder())));
        return scores;
    }

    /** Measure parts per domain code, each domain's measures in CodeSystem order (unknown codes after, by code). */
    static Map<String, List<ParametersParameterComponent>> measures(List<Score> scores, Map<String, ScoreCatalogue.ScoreCode> catalogue,
            ProfileSettings settings) {
        Map<String, List<Score>> byCode = new LinkedHashMap<>();
        scores.forEach(s -> byCode.computeIfAbsent(s.domain() + " " + s.code(), k -> new ArrayList<>()).add(s));
        List<List<Score>> series = new ArrayList<>(byCode.values());
        series.sort(Comparator.comparing((List<Score> l) -> catalogue.containsKey(l.get(0).code()) ? catalogue.get(l.get(0).code()).order()
                : Integer.MAX_VALUE).thenComparing(l -> l.get(0).code()));
        Map<String, List<ParametersParameterComponent>> out = new LinkedHashMap<>();
        for (List<Score> s : series) {
            ScoreCatalogue.ScoreCode known = catalogue.get(s.get(0).code());
            out.computeIfAbsent(s.get(0).domain(), k -> new ArrayList<>()).add(measure(s, known, settings));
        }
        return out;
    }

    private static ParametersParameterComponent measure(List<Score> series, ScoreCatalogue.ScoreCode known, ProfileSettings settings) {
        Score baseline = series.get(0);
        Score latest = series.get(series.size() - 1);
        String code = baseline.code();
        ParametersParameterComponent m = new ParametersParameterComponent().setName("measure");
        m.addPart().setName("code").setValue(new Coding(ScoreCatalogue.SCORE_SYSTEM, code, known == null ? null : known.display()));
        m.addPart(point("latest", latest));
        m.addPart(point("baseline", baseline));

        String direction = settings.direction().getOrDefault(code, known == null ? null : known.direction());
        BigDecimal threshold = settings.threshold(code);
        String reliable = "not-applicable";
        if (latest.value() instanceof BooleanType l && baseline.value() instanceof BooleanType b) {
            m.addPart().setName("change").setValue(new CodeType(l.booleanValue() == b.booleanValue() ? "unchanged"
                    : l.booleanValue() ? "became-true" : "became-false"));
        } else if (latest.number().isPresent() && baseline.number().isPresent()) {
            BigDecimal change = latest.number().get().subtract(baseline.number().get());
            m.addPart().setName("change").setValue(new DecimalType(change));
            if (series.size() > 1 && threshold != null && ("higher-is-better".equals(direction) || "lower-is-better".equals(direction))) {
                if (change.abs().compareTo(threshold) < 0) {
                    reliable = "no-reliable-change";
                } else {
                    reliable = (change.signum() > 0) == "higher-is-better".equals(direction) ? "improved" : "deteriorated";
                }
            }
        }
        m.addPart().setName("reliable-change").setValue(new CodeType(reliable));
        if (direction != null) {
            m.addPart().setName("direction").setValue(new CodeType(direction));
        }
        if (threshold != null) {
            m.addPart().setName("reliable-change-threshold").setValue(new DecimalType(threshold));
        }
        m.addPart().setName("count").setValue(new IntegerType(series.size()));
        return m;
    }

    private static ParametersParameterComponent point(String name, Score s) {
        ParametersParameterComponent p = new ParametersParameterComponent().setName(name);
        p.addPart().setName("value").setValue(s.value().copy());
        Observation o = s.observation();
        p.addPart().setName("date").setValue(o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType().copy()
                : new org.hl7.fhir.r4.model.DateTimeType(o.getEffectivePeriod().getStartElement().getValueAsString()));
        p.addPart().setName("observation").setValue(new Reference("Observation/" + o.getIdElement().getIdPart()));
        return p;
    }

    private static Type value(Observation o) {
        if (o.getValue() instanceof Quantity q && q.hasValue()) {
            return new DecimalType(q.getValue());
        }
        if (o.getValue() instanceof IntegerType i && i.hasValue()) {
            return new IntegerType(i.getValue());
        }
        if (o.getValue() instanceof BooleanType b && b.hasValue()) {
            return new BooleanType(b.booleanValue());
        }
        return null;
    }

    private static String domainOf(Observation o, ScoreCatalogue.ScoreCode known) {
        return o.getCategory().stream().flatMap(c -> c.getCoding().stream())
                .filter(c -> ScoreCatalogue.DOMAIN_SYSTEM.equals(c.getSystem()) && ScoreCatalogue.DOMAINS.containsKey(c.getCode()))
                .map(Coding::getCode).findFirst()
                .orElse(known == null ? null : known.domain());
    }
}
