package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.List;

/**
 * Writes the figures as an R4 MeasureReport (type summary) of Measure recovery-outcomes, after disclosure control.
 * <ul>
 * <li>group: one per score code ({@code code} = the recovery-score coding); its own figures are the whole period's;</li>
 * <li>population {@code measured} (people with a score in the period / stratum) and {@code with-change} (of those,
 *     people whose latest score is later than their baseline), CodeSystem {@code aggregate};</li>
 * <li>measureScore: the mean of the people's latest scores ({@code {score}});</li>
 * <li>extension {@code aggregate-statistic} (statistic + value) for median, standard-deviation, mean-change,
 *     reliably-improved, reliably-deteriorated, percent-reliably-improved, percent-reliably-deteriorated;</li>
 * <li>stratifier: one per combination of the group-by dimensions, {@code code} the dimension (CodeSystem aggregate) or,
 *     for a combination, text such as {@code organization+quarter}; single-dimension strata carry {@code value},
 *     multi-dimension strata one {@code component} per dimension; values are {@code Organization/<id>}, {@code 2024-05},
 *     {@code 2024-Q2}, {@code 2024} as CodeableConcept.text;</li>
 * <li>a figure that is not published has no value and the data-absent-reason extension: {@code masked} (disclosure
 *     control) or {@code not-applicable} (no people, or no reliable-change threshold for the score).</li>
 * </ul>
 */
@Component
class MeasureReportWriter {

    static final String CANON = "https://w3id.org/recovery-outcomes/fhir";
    static final String MEASURE = CANON + "/Measure/recovery-outcomes";
    static final String AGGREGATE_SYSTEM = CANON + "/CodeSystem/aggregate";
    static final String STATISTIC_EXTENSION = CANON + "/StructureDefinition/aggregate-statistic";
    static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    static final String NO_ORGANISATION = "(no organisation)";

    private final DisclosureControl disclosure;
    private final ScoreCodes codes;
    private final ZoneId zone;

    MeasureReportWriter(DisclosureControl disclosure, ScoreCodes codes, AggregateSettings settings) {
        this.disclosure = disclosure;
        this.codes = codes;
        this.zone = settings.zone();
    }

    MeasureReport write(AggregateRequest request, List<AggregateService.GroupFigures> groups) {
        MeasureReport report = new MeasureReport();
        report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        report.setType(MeasureReport.MeasureReportType.SUMMARY);
        report.setMeasure(MEASURE);
        report.setDate(new Date());
        report.setPeriod(period(request, groups));
        for (AggregateService.GroupFigures g : groups) {
            MeasureReport.MeasureReportGroupComponent group = report.addGroup();
            group.setCode(new CodeableConcept(new Coding(ScoreCodes.SYSTEM, g.code(), codes.display(g.code()))));
            for (AggregateService.Stratified s : g.stratifiers()) {
                if (s.dimensions().isEmpty()) {
                    Histogram h = s.strata().values().stream().findFirst().orElseGet(Histogram::new);
                    fill((code, count) -> group.addPopulation().setCode(populationCode(code)).setCountElement(count(count)),
                            group::setMeasureScore, group, h.figures(), g.rule());
                    continue;
                }
                MeasureReport.MeasureReportGroupStratifierComponent stratifier = group.addStratifier();
                // one code per stratifier (R5 has 0..1, and HAPI's validator reads it as one element): the dimension, or
                // for a combination the text "organization+quarter", its strata naming each dimension in a component
                stratifier.addCode(s.dimensions().size() == 1 ? dimension(s.dimensions().get(0))
                        : new CodeableConcept().setText(String.join("+", s.dimensions())));
                s.strata().forEach((stratum, h) -> {
                    MeasureReport.StratifierGroupComponent st = stratifier.addStratum();
                    label(st, s.dimensions(), AggregateService.labels(s, stratum));
                    fill((code, count) -> st.addPopulation().setCode(populationCode(code)).setCountElement(count(count)),
                            st::setMeasureScore, st, h.figures(), g.rule());
                });
                for (String organization : s.maskedOrganizations()) {
                    MeasureReport.StratifierGroupComponent st = stratifier.addStratum();
                    label(st, s.dimensions(), List.of(organization));
                    masked(st);
                }
            }
        }
        return report;
    }

    private Period period(AggregateRequest request, List<AggregateService.GroupFigures> groups) {
        Integer first = request.fromMonth();
        Integer last = request.toMonth() == null ? null : request.toMonth() - 1;
        for (AggregateService.GroupFigures g : groups) {
            if (g.dataMonths() != null) {
                if (request.fromMonth() == null) {
                    first = first == null ? g.dataMonths()[0] : Math.min(first, g.dataMonths()[0]);
                }
                if (request.toMonth() == null) {
                    last = last == null ? g.dataMonths()[1] : Math.max(last, g.dataMonths()[1]);
                }
            }
        }
        LocalDate today = LocalDate.now(zone);
        LocalDate start = first == null ? (last == null ? today : AggregateRequest.firstDay(last)) : AggregateRequest.firstDay(first);
        LocalDate end = last == null ? (first == null ? today : AggregateRequest.firstDay(first).plusMonths(1).minusDays(1))
                : AggregateRequest.firstDay(last).plusMonths(1).minusDays(1);
        if (end.isBefore(start)) {
            end = start;
        }
        return new Period().setStartElement(day(start)).setEndElement(day(end));
    }

    private static DateTimeType day(LocalDate d) {
        DateTimeType t = new DateTimeType(d.toString());
        t.setPrecision(TemporalPrecisionEnum.DAY);
        return t;
    }

    private void fill(java.util.function.BiConsumer<String, DisclosureControl.Published> population,
            java.util.function.Consumer<Quantity> measureScore, Element target, Histogram.Figures f, ChangeRule rule) {
        DisclosureControl.Published measured = disclosure.count(f.people());
        DisclosureControl.Published withChange = disclosure.count(f.withChange());
        population.accept("measured", measured);
        population.accept("with-change", withChange);
        measureScore.accept(score(disclosure.statistic(f.mean(), f.people())));
        statistic(target, "median", disclosure.statistic(f.median(), f.people()), false);
        statistic(target, "standard-deviation", disclosure.statistic(f.standardDeviation(), f.people()), false);
        statistic(target, "mean-change", disclosure.statistic(f.meanChange(), f.withChange()), false);
        DisclosureControl.Published notApplicable = DisclosureControl.Published.absent(DisclosureControl.Published.NOT_APPLICABLE);
        DisclosureControl.Published improved = rule.applicable() ? disclosure.count(f.improved()) : notApplicable;
        DisclosureControl.Published deteriorated = rule.applicable() ? disclosure.count(f.deteriorated()) : notApplicable;
        statistic(target, "reliably-improved", improved, true);
        statistic(target, "reliably-deteriorated", deteriorated, true);
        statistic(target, "percent-reliably-improved",
                rule.applicable() ? disclosure.percentage(improved, withChange) : notApplicable, false);
        statistic(target, "percent-reliably-deteriorated",
                rule.applicable() ? disclosure.percentage(deteriorated, withChange) : notApplicable, false);
    }

    private void masked(MeasureReport.StratifierGroupComponent st) {
        DisclosureControl.Published m = DisclosureControl.Published.absent(DisclosureControl.Published.MASKED);
        st.addPopulation().setCode(populationCode("measured")).setCountElement(count(m));
        st.addPopulation().setCode(populationCode("with-change")).setCountElement(count(m));
        st.setMeasureScore(score(m));
        for (String s : List.of("median", "standard-deviation", "mean-change", "percent-reliably-improved",
                "percent-reliably-deteriorated")) {
            statistic(st, s, m, false);
        }
        statistic(st, "reliably-improved", m, true);
        statistic(st, "reliably-deteriorated", m, true);
    }

    private static CodeableConcept populationCode(String code) {
        return new CodeableConcept(new Coding(AGGREGATE_SYSTEM, code, null));
    }

    private static IntegerType count(DisclosureControl.Published count) {
        IntegerType c = new IntegerType();
        if (count.isPublished()) {
            c.setValue(count.value().intValueExact());
        } else {
            c.addExtension(absent(count.absentReason()));
        }
        return c;
    }

    private static Quantity score(DisclosureControl.Published mean) {
        Quantity q = new Quantity();
        if (mean.isPublished()) {
            q.setValue(mean.value()).setUnit("{score}").setSystem("http://unitsofmeasure.org").setCode("{score}");
        } else {
            q.addExtension(absent(mean.absentReason()));
        }
        return q;
    }

    private static void statistic(Element target, String code, DisclosureControl.Published value, boolean count) {
        Extension e = new Extension(STATISTIC_EXTENSION);
        e.addExtension(new Extension("statistic", new Coding(AGGREGATE_SYSTEM, code, null)));
        org.hl7.fhir.r4.model.PrimitiveType<?> v = count ? new IntegerType() : new DecimalType();
        if (value.isPublished()) {
            if (count) {
                ((IntegerType) v).setValue(value.value().intValueExact());
            } else {
                ((DecimalType) v).setValue(value.value());
            }
        } else {
            v.addExtension(absent(value.absentReason()));
        }
        e.addExtension(new Extension("value", v));
        target.addExtension(e);
    }

    private static Extension absent(String reason) {
        return new Extension(DATA_ABSENT_REASON, new CodeType(reason));
    }

    private static CodeableConcept dimension(String d) {
        return new CodeableConcept(new Coding(AGGREGATE_SYSTEM, d, null)).setText(d);
    }

    private static void label(MeasureReport.StratifierGroupComponent st, List<String> dimensions, Collection<String> labels) {
        Iterator<String> it = labels.iterator();
        List<CodeableConcept> values = new ArrayList<>();
        for (String d : dimensions) {
            String l = it.next();
            values.add(new CodeableConcept().setText(d.equals("organization") ? (l.isEmpty() ? NO_ORGANISATION : "Organization/" + l) : l));
        }
        if (dimensions.size() == 1) {
            st.setValue(values.get(0));
        } else {
            for (int i = 0; i < dimensions.size(); i++) {
                st.addComponent().setCode(dimension(dimensions.get(i))).setValue(values.get(i));
            }
        }
    }
}
