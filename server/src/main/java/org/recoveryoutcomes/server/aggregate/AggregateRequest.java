package org.recoveryoutcomes.server.aggregate;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of Observation/$aggregate, checked. Periods are whole months (disclosure control: a period that can
 * end on any day lets two requests one day apart isolate the people measured that day):
 * {@code ge}/{@code lt} take {@code YYYY}, {@code YYYY-MM} or the first day of a month; {@code gt}/{@code le} take a
 * year, a month or the last day of a month; {@code eq} (or no prefix) a year or a month. Several dates intersect.
 *
 * @param codes         recovery-score codes, one group each, in the order asked
 * @param fromMonth     first month of the period (month index, inclusive) or null
 * @param toMonth       month after the period (month index, exclusive) or null
 * @param organizations Organization ids to restrict to, or null for all
 * @param groupBy       dimensions asked for, in the order organization, year, quarter, month
 */
record AggregateRequest(List<String> codes, Integer fromMonth, Integer toMonth, Set<String> organizations, List<String> groupBy) {

    static final List<String> DIMENSIONS = List.of("organization", "year", "quarter", "month");
    private static final Pattern DATE = Pattern.compile("(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?");
    private static final Pattern ORGANIZATION = Pattern.compile("(?:.*/)?(?:Organization/)?([A-Za-z0-9\\-.]{1,64})");

    static AggregateRequest parse(List<String> code, List<String> date, List<String> organization, List<String> groupBy,
            ScoreCodes scoreCodes) {
        List<String> codes = new ArrayList<>();
        for (String c : split(code)) {
            String value = c;
            int bar = c.indexOf('|');
            if (bar >= 0) {
                String system = c.substring(0, bar);
                value = c.substring(bar + 1);
                if (!system.isEmpty() && !system.equals(ScoreCodes.SYSTEM)) {
                    throw new InvalidRequestException("code: only scores of " + ScoreCodes.SYSTEM + " can be aggregated, not " + c);
                }
            }
            if (!scoreCodes.isKnown(value)) {
                throw new InvalidRequestException("code: '" + value + "' is not a code of " + ScoreCodes.SYSTEM);
            }
            if (!codes.contains(value)) {
                codes.add(value);
            }
        }
        if (codes.isEmpty()) {
            throw new InvalidRequestException("code is required: a recovery-score code, e.g. code=" + ScoreCodes.SYSTEM + "|wemwbs-total");
        }
        Integer from = null;
        Integer to = null;
        for (String d : split(date)) {
            int[] range = monthRange(d);
            if (range[0] != Integer.MIN_VALUE) {
                from = from == null ? range[0] : Math.max(from, range[0]);
            }
            if (range[1] != Integer.MAX_VALUE) {
                to = to == null ? range[1] : Math.min(to, range[1]);
            }
        }
        if (from != null && to != null && from >= to) {
            throw new InvalidRequestException("date: the period is empty");
        }
        Set<String> organizations = null;
        for (String o : split(organization)) {
            Matcher m = ORGANIZATION.matcher(o);
            if (!m.matches() || (o.contains("/") && !o.contains("Organization/"))) {
                throw new InvalidRequestException("organization: '" + o + "' is not a reference to an Organization");
            }
            if (organizations == null) {
                organizations = new TreeSet<>();
            }
            organizations.add(m.group(1));
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String g : split(groupBy)) {
            if (!DIMENSIONS.contains(g)) {
                throw new InvalidRequestException("group-by: '" + g + "' is not one of " + String.join(", ", DIMENSIONS));
            }
            asked.add(g);
        }
        List<String> ordered = DIMENSIONS.stream().filter(asked::contains).toList();
        return new AggregateRequest(List.copyOf(codes), from, to, organizations, ordered);
    }

    /** [first month, month after] of one date parameter; MIN/MAX for an open side. */
    static int[] monthRange(String value) {
        Matcher m = DATE.matcher(value);
        if (!m.matches()) {
            throw new InvalidRequestException("date: '" + value + "' is not a date with prefix ge, lt, gt, le or eq"
                    + " and precision year or month (periods are whole months)");
        }
        String prefix = m.group(1) == null ? "eq" : m.group(1);
        int year = Integer.parseInt(m.group(2));
        Integer month = m.group(3) == null ? null : Integer.parseInt(m.group(3));
        Integer day = m.group(4) == null ? null : Integer.parseInt(m.group(4));
        if (month != null && (month < 1 || month > 12)) {
            throw new InvalidRequestException("date: '" + value + "' has no valid month");
        }
        int first = year * 12 + (month == null ? 0 : month - 1);
        int after = month == null ? first + 12 : first + 1;
        if (day != null) {
            LocalDate d;
            try {
                d = LocalDate.of(year, month, day);
            } catch (java.time.DateTimeException e) {
                throw new InvalidRequestException("date: '" + value + "' is not a valid date");
            }
            boolean firstDay = day == 1;
            boolean lastDay = day == d.lengthOfMonth();
            switch (prefix) {
                case "ge", "lt" -> {
                    if (!firstDay) {
                        throw new InvalidRequestException("date: " + prefix + " needs the first day of a month (periods are whole"
                                + " months, see docs/disclosure-control.md), not " + value);
                    }
                    return prefix.equals("ge") ? new int[]{first, Integer.MAX_VALUE} : new int[]{Integer.MIN_VALUE, first};
                }
                case "gt", "le" -> {
                    if (!lastDay) {
                        throw new InvalidRequestException("date: " + prefix + " needs the last day of a month (periods are whole"
                                + " months, see docs/disclosure-control.md), not " + value);
                    }
                    return prefix.equals("gt") ? new int[]{first + 1, Integer.MAX_VALUE} : new int[]{Integer.MIN_VALUE, first + 1};
                }
                default -> throw new InvalidRequestException("date: " + prefix + " needs a year or a month (periods are whole"
                        + " months), not " + value);
            }
        }
        return switch (prefix) {
            case "ge" -> new int[]{first, Integer.MAX_VALUE};
            case "lt" -> new int[]{Integer.MIN_VALUE, first};
            case "gt" -> new int[]{after, Integer.MAX_VALUE};
            case "le" -> new int[]{Integer.MIN_VALUE, after};
            case "eq" -> new int[]{first, after};
            default -> throw new InvalidRequestException("date: prefix " + prefix + " is not supported (use ge, lt, gt, le or eq)");
        };
    }

    static long startOfMonth(int monthIndex, ZoneId zone) {
        return LocalDate.of(Math.floorDiv(monthIndex, 12), Math.floorMod(monthIndex, 12) + 1, 1).atStartOfDay(zone)
                .toInstant().toEpochMilli();
    }

    static LocalDate firstDay(int monthIndex) {
        return LocalDate.of(Math.floorDiv(monthIndex, 12), Math.floorMod(monthIndex, 12) + 1, 1);
    }

    private static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v == null) {
                    continue;
                }
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }
}
