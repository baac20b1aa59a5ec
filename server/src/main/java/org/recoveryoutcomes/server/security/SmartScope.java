package org.recoveryoutcomes.server.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART resource scope, v1 ({@code patient/*.read}, {@code user/Observation.write}) or v2
 * ({@code patient/QuestionnaireResponse.rs}, {@code system/*.cruds}).
 *
 * @param context      whose data: the patient in context, what the user may see, or the client's own
 * @param resourceType a FHIR resource type, or {@code *}
 * @param permissions  what may be done
 */
record SmartScope(Context context, String resourceType, Set<Permission> permissions) {

    enum Context { PATIENT, USER, SYSTEM }

    /** SMART v2 permissions: create, read, update, delete, search. */
    enum Permission { C, R, U, D, S }

    static final String ANY_TYPE = "*";

    private static final Pattern SYNTAX = Pattern.compile("(patient|user|system)/([A-Za-z]+|\\*)\\.([a-z*]+)(\\?.*)?");
    private static final Pattern V2 = Pattern.compile("c?r?u?d?s?");

    /**
     * Parses a scope; empty for non-resource scopes ({@code openid}, {@code launch/patient}) and for scopes this
     * server does not enforce. v2 scopes with a query ({@code patient/Observation.rs?category=...}) grant nothing:
     * granting them without the filter would grant more than asked for.
     */
    static Optional<SmartScope> parse(String scope) {
        Matcher m = SYNTAX.matcher(scope);
        if (!m.matches() || m.group(4) != null) {
            return Optional.empty();
        }
        Set<Permission> permissions = permissions(m.group(3));
        if (permissions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SmartScope(Context.valueOf(m.group(1).toUpperCase(Locale.ROOT)), m.group(2), permissions));
    }

    static List<SmartScope> parseAll(Collection<String> scopes) {
        return scopes.stream().map(SmartScope::parse).flatMap(Optional::stream).toList();
    }

    private static Set<Permission> permissions(String text) {
        switch (text) {
            case "read":
                return EnumSet.of(Permission.R, Permission.S);
            case "write":
                return EnumSet.of(Permission.C, Permission.U, Permission.D);
            case "*":
                return EnumSet.allOf(Permission.class);
            default:
                if (text.isEmpty() || !V2.matcher(text).matches()) {
                    return EnumSet.noneOf(Permission.class);
                }
                EnumSet<Permission> set = EnumSet.noneOf(Permission.class);
                text.chars().forEach(c -> set.add(Permission.valueOf(String.valueOf((char) c).toUpperCase(Locale.ROOT))));
                return set;
        }
    }

    /** True when this scope grants everything {@code other} grants (used for clients asking for less than registered). */
    boolean covers(SmartScope other) {
        return context == other.context
                && (ANY_TYPE.equals(resourceType) || resourceType.equals(other.resourceType))
                && permissions.containsAll(other.permissions);
    }

    /** True when a requested scope string is registered, or is a resource scope covered by a registered one. */
    static boolean covered(String requested, Collection<String> registered) {
        if (registered.contains(requested)) {
            return true;
        }
        Optional<SmartScope> wanted = parse(requested);
        return wanted.isPresent() && registered.stream().map(SmartScope::parse).flatMap(Optional::stream)
                .anyMatch(r -> r.covers(wanted.get()));
    }

    boolean appliesTo(String type) {
        return Objects.equals(resourceType, type) || ANY_TYPE.equals(resourceType);
    }
}
