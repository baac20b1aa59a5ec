package org.recoveryoutcomes.server.database;

import java.util.UUID;

/** FHIR request bodies the database tests write. */
final class TestBundles {

    private TestBundles() {
    }

    static String patient(String system, String key) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"" + key + "\"}]}";
    }

    /**
     * A transaction: a conditionally created Patient with identifier {@code system|key} and two Observations about it
     * with the same identifier, followed by {@code more} entries (JSON text starting with a comma, or empty).
     */
    static String patientWithObservations(String system, String key, String more) {
        String patient = "urn:uuid:" + UUID.randomUUID();
        String observation = """
                ,{"fullUrl":"urn:uuid:%s","resource":{"resourceType":"Observation","status":"final",
                  "identifier":[{"system":"%s","value":"%s"}],"code":{"text":"test"},"subject":{"reference":"%s"}},
                  "request":{"method":"POST","url":"Observation"}}""";
        return """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"%s","resource":%s,
                  "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=%s|%s"}}"""
                .formatted(patient, patient(system, key), system, key)
                + observation.formatted(UUID.randomUUID(), system, key, patient)
                + observation.formatted(UUID.randomUUID(), system, key, patient)
                + more + "]}";
    }
}
