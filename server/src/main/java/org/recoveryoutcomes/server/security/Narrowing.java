package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The search condition that keeps a search within a restricted {@link Reach}, so that results and totals
 * ({@code _summary=count}, {@code _total}) only ever contain what the token may see. The condition is a subset of the
 * reach: one compartment parameter (preferably {@code patient}, else {@code subject}) rather than all of them.
 *
 * @param name      search parameter name
 * @param qualifier {@code :Patient.organization} for an organisation, else empty
 * @param value     the parameter value
 */
record Narrowing(String name, String qualifier, String value) {

    private static final List<String> PREFERRED = List.of("patient", "subject");

    /** The narrowing for a search of {@code type} when the token only reaches {@code reaches}; empty for unrestricted. */
    static Optional<Narrowing> of(FhirContext ctx, String type, Set<Reach> reaches) {
        if (reaches.contains(Reach.ALL)) {
            return Optional.empty();
        }
        Reach reach = reaches.stream().min(Comparator.comparing(Reach::kind, Comparator.reverseOrder()))
                .orElseThrow(() -> new IllegalArgumentException("no reach"));
        boolean organisation = reach.kind() == Reach.Kind.ORGANIZATION;
        if (Grants.PATIENT.equals(type)) {
            return Optional.of(organisation ? new Narrowing("organization", "", "Organization/" + reach.id())
                    : new Narrowing("_id", "", reach.id()));
        }
        String param = compartmentParameter(ctx.getResourceDefinition(type));
        return Optional.of(organisation ? new Narrowing(param, ":Patient.organization", "Organization/" + reach.id())
                : new Narrowing(param, "", "Patient/" + reach.id()));
    }

    private static String compartmentParameter(RuntimeResourceDefinition def) {
        List<String> names = def.getSearchParamsForCompartmentName(Grants.PATIENT).stream().map(RuntimeSearchParam::getName)
                .sorted().toList();
        return PREFERRED.stream().filter(names::contains).findFirst()
                .orElseGet(() -> names.stream().findFirst().orElseThrow(() -> new IllegalArgumentException(def.getName())));
    }

    /** The request parameters with this condition added (AND) to whatever the client asked for. */
    Map<String, String[]> addTo(Map<String, String[]> parameters) {
        Map<String, String[]> out = new HashMap<>(parameters);
        String key = name + qualifier;
        String[] existing = out.getOrDefault(key, new String[0]);
        if (Arrays.asList(existing).contains(value)) {
            return out; // already exactly this condition (HAPI refuses duplicate parameters)
        }
        String[] added = Arrays.copyOf(existing, existing.length + 1);
        added[existing.length] = value;
        out.put(key, added);
        return out;
    }

    boolean presentIn(SearchParameterMap map) {
        List<List<IQueryParameterType>> and = map.get(name);
        if (and == null) {
            return false;
        }
        return and.stream().anyMatch(or -> or.size() == 1 && matches(or.get(0)));
    }

    void addTo(SearchParameterMap map) {
        if ("_id".equals(name)) {
            map.add(name, new TokenParam(value));
        } else if (qualifier.isEmpty()) {
            map.add(name, new ReferenceParam(value));
        } else {
            map.add(name, new ReferenceParam("Patient", "organization", value));
        }
    }

    private boolean matches(IQueryParameterType p) {
        if (p.getMissing() != null) {
            return false;
        }
        if (p instanceof TokenParam t) {
            return "_id".equals(name) && t.getSystem() == null && (value.equals(t.getValue()) || ("Patient/" + value).equals(t.getValue()));
        }
        if (p instanceof ReferenceParam r) {
            String chain = r.getChain();
            if (qualifier.isEmpty()) {
                return chain == null && r.getValue().equals(value) || ("_id".equals(name) && value.equals(r.getIdPart()));
            }
            return "organization".equals(chain) && "Patient".equals(r.getResourceType()) && value.equals(r.getValue());
        }
        return false;
    }
}
