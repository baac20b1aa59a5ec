package org.recoveryoutcomes.server.aggregate;

import org.springframework.stereotype.Component;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes $aggregate from the read model only (SQL over facts and cube; no FHIR resource is loaded). For each score
 * code and each stratifier it reads the cube when the stratifier's cells are whole cube cells (see {@link #cubePlan}),
 * else the facts ({@link FactQueries}). Organisations with fewer than the small-count threshold of people in the period
 * are left out of every figure (docs/disclosure-control.md, differencing).
 */
@Component
class AggregateService {

    /** A stratum: the organisation (null when not split by organisation) and the bucket of the finest time dimension. */
    record Stratum(String organizationId, Integer bucket) implements Comparable<Stratum> {
        @Override
        public int compareTo(Stratum o) {
            int c = compare(organizationId, o.organizationId);
            return c != 0 ? c : compare(bucket, o.bucket);
        }

        private static <T extends Comparable<T>> int compare(T a, T b) {
            return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
        }
    }

    /** The figures of one stratifier (dimensions in {@link AggregateRequest#DIMENSIONS} order; empty: the whole group). */
    record Stratified(List<String> dimensions, Grain finest, Map<Stratum, Histogram> strata, Set<String> maskedOrganizations) {
    }

    /** One score code's figures. */
    record GroupFigures(String code, ChangeRule rule, List<Stratified> stratifiers, int[] dataMonths) {
    }

    private record Scope(Set<String> only, Set<String> except) {
        boolean everything() {
            return only == null && except.isEmpty();
        }

        Set<String> included() {
            Set<String> s = new TreeSet<>(only);
            s.removeAll(except);
            return s;
        }

        boolean includes(String organizationId) {
            return (only == null || only.contains(organizationId)) && !except.contains(organizationId);
        }
    }

    private record CubePlan(Grain grain, int fromBucket, int toBucket) {
    }

    private final CubeQueries cube;
    private final FactQueries facts;
    private final ScoreCodes codes;
    private final DisclosureControl disclosure;
    private final AggregateSettings settings;
    private final TransactionTemplate snapshot;
    /** For tests: compute everything from the facts. */
    private volatile boolean cubeEnabled = true;

    AggregateService(CubeQueries cube, FactQueries facts, ScoreCodes codes, DisclosureControl disclosure, AggregateSettings settings,
            FactStore store) {
        this.cube = cube;
        this.facts = facts;
        this.codes = codes;
        this.disclosure = disclosure;
        this.settings = settings;
        // The cube, its pending deltas and the facts are read by several statements: one snapshot for all of them. A plain
        // JDBC transaction, as HAPI's JPA dialect refuses custom isolation levels; nothing here touches JPA.
        this.snapshot = new TransactionTemplate(new DataSourceTransactionManager(store.jdbc().getDataSource()));
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    void useCube(boolean enabled) {
        this.cubeEnabled = enabled;
    }

    List<GroupFigures> compute(AggregateRequest request) {
        return snapshot.execute(s -> {
            List<GroupFigures> out = new ArrayList<>();
            for (String code : request.codes()) {
                out.add(group(code, request));
            }
            return out;
        });
    }

    private GroupFigures group(String code, AggregateRequest request) {
        ChangeRule rule = codes.rule(code);
        int[] months = facts.monthRange(code);
        Scope asked = new Scope(request.organizations(), Set.of());
        FactQueries.Cells byOrganisation = new FactQueries.Cells(null, true);
        List<List<String>> subsets = subsets(request.groupBy());
        Set<FactQueries.Cells> others = new LinkedHashSet<>(); // year+quarter has the cells of quarter
        for (List<String> dimensions : subsets) {
            others.add(cells(dimensions));
        }
        others.remove(byOrganisation);
        // The organisations too small to publish are known only once the first read is done; when it reads the facts,
        // it reads the other stratifiers' facts in the same pass, which stand unless an organisation turns out small.
        List<FactQueries.Cells> first = new ArrayList<>(List.of(byOrganisation));
        if (!fromCube(byOrganisation, months, request, asked)) {
            others.stream().filter(c -> !fromCube(c, months, request, asked)).forEach(first::add);
        }
        Map<FactQueries.Cells, Map<Stratum, Histogram>> read = read(code, rule, months, request, first, asked);
        Map<Stratum, Histogram> perOrganisation = read.get(byOrganisation);
        Set<String> small = new TreeSet<>();
        perOrganisation.forEach((stratum, h) -> {
            if (disclosure.isSmall(h.figures().people())) {
                small.add(stratum.organizationId());
            }
        });
        Scope scope = new Scope(request.organizations(), small);
        List<FactQueries.Cells> rest = others.stream().filter(c -> !small.isEmpty() || !read.containsKey(c)).toList();
        read.putAll(read(code, rule, months, request, rest, scope));
        List<Stratified> stratifiers = new ArrayList<>();
        for (List<String> dimensions : subsets) {
            FactQueries.Cells c = cells(dimensions);
            Map<Stratum, Histogram> strata;
            if (c.equals(byOrganisation)) {
                strata = new TreeMap<>(perOrganisation);
                strata.keySet().removeIf(st -> small.contains(st.organizationId()));
            } else {
                strata = read.get(c);
            }
            stratifiers.add(new Stratified(dimensions, c.grain(), strata, c.equals(byOrganisation) ? small : Set.of()));
        }
        return new GroupFigures(code, rule, stratifiers, months);
    }

    private static FactQueries.Cells cells(List<String> dimensions) {
        Grain finest = dimensions.stream().map(Grain::ofDimension).filter(g -> g != null)
                .min((a, b) -> Integer.compare(a.months, b.months)).orElse(null);
        return new FactQueries.Cells(finest, dimensions.contains("organization"));
    }

    /** The group (no dimension) first, then every combination of the dimensions asked for. */
    static List<List<String>> subsets(List<String> dimensions) {
        List<List<String>> out = new ArrayList<>();
        int n = dimensions.size();
        for (int size = 0; size <= n; size++) {
            for (int mask = 0; mask < 1 << n; mask++) {
                if (Integer.bitCount(mask) != size) {
                    continue;
                }
                List<String> s = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if ((mask & 1 << i) != 0) {
                        s.add(dimensions.get(i));
                    }
                }
                out.add(s);
            }
        }
        return out;
    }

    private boolean fromCube(FactQueries.Cells cells, int[] months, AggregateRequest request, Scope scope) {
        return cubeEnabled && months != null && cubePlan(cells.grain(), months, request) != null
                && (cells.perOrganisation() || scope.everything() || singleOrganisation(cells, scope) != null);
    }

    private static String singleOrganisation(FactQueries.Cells cells, Scope scope) {
        return !cells.perOrganisation() && scope.only() != null && scope.included().size() == 1
                ? scope.included().iterator().next() : null;
    }

    /** The strata of each of {@code wanted}: each from the cube when it can, the others in one pass over the facts. */
    private Map<FactQueries.Cells, Map<Stratum, Histogram>> read(String code, ChangeRule rule, int[] months, AggregateRequest request,
            List<FactQueries.Cells> wanted, Scope scope) {
        Map<FactQueries.Cells, Map<Stratum, Histogram>> out = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        if (months == null || request.fromMonth() != null && request.fromMonth() > months[1]
                || request.toMonth() != null && request.toMonth() <= months[0]
                || scope.only() != null && scope.included().isEmpty()) {
            wanted.forEach(c -> out.put(c, new TreeMap<>())); // no score in the period, or no organisation left
            return out;
        }
        List<FactQueries.Cells> fromFacts = new ArrayList<>();
        for (FactQueries.Cells c : wanted) {
            if (!fromCube(c, months, request, scope)) {
                fromFacts.add(c);
                continue;
            }
            CubePlan plan = cubePlan(c.grain(), months, request);
            String single = singleOrganisation(c, scope);
            boolean perOrg = c.perOrganisation();
            List<HistogramRow> rows = cube.read(code, plan.grain(), perOrg || single != null, plan.fromBucket(), plan.toBucket());
            Map<Stratum, Histogram> strata = new TreeMap<>();
            for (HistogramRow r : rows) {
                if ((perOrg || single != null)
                        && (single != null ? !single.equals(r.organizationId()) : !scope.includes(r.organizationId()))) {
                    continue;
                }
                add(strata, new Stratum(perOrg ? r.organizationId() : null, c.grain() == null ? null : r.bucket()), r);
            }
            out.put(c, strata);
        }
        if (!fromFacts.isEmpty()) {
            Long from = request.fromMonth() == null ? null : AggregateRequest.startOfMonth(request.fromMonth(), settings.zone());
            Long to = request.toMonth() == null ? null : AggregateRequest.startOfMonth(request.toMonth(), settings.zone());
            facts.read(code, fromFacts, from, to, scope.only(), scope.except(), rule).forEach((c, rows) -> {
                Map<Stratum, Histogram> strata = new TreeMap<>();
                rows.forEach(r -> add(strata, new Stratum(c.perOrganisation() ? r.organizationId() : null,
                        c.grain() == null ? null : r.bucket()), r));
                out.put(c, strata);
            });
        }
        out.values().forEach(strata -> strata.values().removeIf(h -> h.figures().people() == 0));
        return out;
    }

    private static void add(Map<Stratum, Histogram> strata, Stratum s, HistogramRow r) {
        strata.computeIfAbsent(s, x -> new Histogram()).add(r.value(), r.figures());
    }

    /**
     * Whether the cube holds exactly the cells asked for, and which. Time-split: the period must start and end on
     * boundaries of the finest time dimension (or beyond the first / last score of the code). Whole period: it must be
     * open-ended (no score on or after its end: the person's latest score ever, cell A, or cells L from its first
     * month) or exactly one month, quarter or year (as far as there are scores).
     */
    private static CubePlan cubePlan(Grain grain, int[] months, AggregateRequest request) {
        int first = months[0];
        int last = months[1];
        Integer from = request.fromMonth();
        Integer to = request.toMonth();
        boolean fromOpen = from == null || from <= first;
        boolean toOpen = to == null || to > last;
        if (grain != null) {
            boolean fromAligned = fromOpen || Math.floorMod(from, grain.months) == 0;
            boolean toAligned = toOpen || Math.floorMod(to, grain.months) == 0;
            if (!fromAligned || !toAligned) {
                return null;
            }
            return new CubePlan(grain, fromOpen ? Integer.MIN_VALUE : grain.bucket(from),
                    toOpen ? Integer.MAX_VALUE : grain.bucket(to) - 1);
        }
        if (toOpen) {
            return fromOpen ? new CubePlan(Grain.EVER, 0, 0) : new CubePlan(Grain.LATEST, from, Integer.MAX_VALUE);
        }
        int start = fromOpen ? first : from;
        for (Grain g : List.of(Grain.MONTH, Grain.QUARTER, Grain.YEAR)) {
            int b = g.bucket(to - 1);
            if (g.firstMonth(b) + g.months == to && Math.max(g.firstMonth(b), first) == Math.max(start, first)) {
                return new CubePlan(g, b, b);
            }
        }
        return null;
    }

    static Collection<String> labels(Stratified s, Stratum stratum) {
        List<String> out = new ArrayList<>();
        for (String d : s.dimensions()) {
            if (d.equals("organization")) {
                out.add(stratum.organizationId());
            } else {
                Grain g = Grain.ofDimension(d);
                out.add(g.label(g.bucket(s.finest().firstMonth(stratum.bucket()))));
            }
        }
        return out;
    }
}
