package org.recoveryoutcomes.server.security;

/**
 * The data a grant reaches: everything, one patient's compartment, or the compartments of the patients an
 * organisation manages ({@code Patient.managingOrganization}).
 */
record Reach(Kind kind, String id) {

    enum Kind { ALL, PATIENT, ORGANIZATION }

    static final Reach ALL = new Reach(Kind.ALL, null);

    static Reach patient(String id) {
        return new Reach(Kind.PATIENT, id);
    }

    static Reach organization(String id) {
        return new Reach(Kind.ORGANIZATION, id);
    }
}
