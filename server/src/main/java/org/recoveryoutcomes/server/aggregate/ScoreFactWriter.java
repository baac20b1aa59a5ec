package org.recoveryoutcomes.server.aggregate;

import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Keeps facts, baselines and the cube in step with one Observation, inside the caller's transaction: locks the people
 * concerned, replaces the Observation's fact, corrects the baselines and appends the change of the people's cube
 * contributions ({@link Contributions}) as deltas.
 */
@Component
class ScoreFactWriter {

    private record Person(String code, long key) implements Comparable<Person> {
        @Override
        public int compareTo(Person o) {
            int c = code.compareTo(o.code);
            return c != 0 ? c : Long.compare(key, o.key);
        }
    }

    private final FactStore store;
    private final ScoreCodes codes;

    ScoreFactWriter(FactStore store, ScoreCodes codes) {
        this.store = store;
        this.codes = codes;
    }

    /**
     * @param factKey the Observation's fact key
     * @param fact    its fact now, or empty when it is no (longer a) score fact
     */
    void replace(String factKey, Optional<ScoreFact> fact) {
        Optional<ScoreFact> old = store.find(factKey).map(FactStore.StoredFact::fact);
        if (old.equals(fact)) {
            return;
        }
        TreeSet<Person> people = new TreeSet<>();
        old.ifPresent(f -> people.add(new Person(f.code(), f.personKey())));
        fact.ifPresent(f -> people.add(new Person(f.code(), f.personKey())));
        Map<Person, List<FactStore.StoredFact>> before = new HashMap<>();
        for (Person p : people) { // in key order, so that two writers lock the same people in the same order
            store.lockPerson(p.code(), p.key());
            before.put(p, store.personFacts(p.code(), p.key()));
        }
        if (old.isPresent()) {
            store.delete(factKey);
        }
        fact.ifPresent(store::insert);
        for (Person p : people) {
            // the people are locked: their facts now are those read above with this one replaced, no need to read again
            List<FactStore.StoredFact> now = new ArrayList<>();
            for (FactStore.StoredFact s : before.get(p)) {
                if (!s.fact().factKey().equals(factKey)) {
                    now.add(s);
                }
            }
            fact.filter(f -> f.code().equals(p.code()) && f.personKey() == p.key())
                    .ifPresent(f -> now.add(FactStore.inserted(f)));
            store.updateBaselines(FactStore.withBaselines(now));
            ChangeRule rule = codes.rule(p.code());
            store.appendDeltas(p.code(), Contributions.delta(Contributions.of(facts(before.get(p)), rule), Contributions.of(facts(now), rule)));
        }
    }

    private static List<ScoreFact> facts(List<FactStore.StoredFact> stored) {
        List<ScoreFact> out = new ArrayList<>(stored.size());
        stored.forEach(s -> out.add(s.fact()));
        return out;
    }
}
