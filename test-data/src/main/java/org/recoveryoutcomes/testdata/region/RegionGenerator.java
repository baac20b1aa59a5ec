package org.recoveryoutcomes.testdata.region;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.UUID;
import java.nio.charset.StandardCharsets;

/**
 * A synthetic region as FHIR transaction Bundles. Bundle 0 holds the organisations, practitioners and the trusts'
 * self-assessments; bundle n (n ≥ 1) holds people (n−1)·size+1 … n·size. Any bundle can be made on its own, from the
 * settings alone, so bundles can be generated in any order or in parallel and still come out byte for byte the same;
 * nothing but the current bundle is held in memory.
 *
 * <p>Every entry is a PUT of a client id ({@code r<seed>-…}): loading a region twice changes nothing, and references
 * between bundles (people to their team) need no lookup. Not thread-safe; use one generator per thread.
 */
public final class RegionGenerator {

    private final RegionSettings settings;
    private final OrganisationGenerator organisations;
    private final PersonGenerator people;

    public RegionGenerator(FhirContext fhir, RegionSettings settings) {
        this.settings = settings;
        Instruments instruments = new Instruments(fhir);
        List<Organisations.Trust> trusts = Organisations.of(settings);
        this.organisations = new OrganisationGenerator(settings, trusts, instruments);
        this.people = new PersonGenerator(settings, trusts, instruments);
    }

    public int bundleCount() {
        return 1 + (settings.patients() + settings.patientsPerBundle() - 1) / settings.patientsPerBundle();
    }

    public RegionBundle bundle(int number) {
        if (number < 0 || number >= bundleCount()) {
            throw new IndexOutOfBoundsException("bundle " + number + " of " + bundleCount());
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        if (number == 0) {
            organisations.generate().forEach(r -> put(bundle, r));
            return new RegionBundle(0, 0, bundle);
        }
        int first = (number - 1) * settings.patientsPerBundle() + 1;
        int last = Math.min(settings.patients(), number * settings.patientsPerBundle());
        for (int person = first; person <= last; person++) {
            people.generate(person).forEach(r -> put(bundle, r));
        }
        return new RegionBundle(number, last - first + 1, bundle);
    }

    /** Makes every bundle in order and hands it to {@code sink}. */
    public void generate(BundleSink sink) throws Exception {
        for (int n = 0; n < bundleCount(); n++) {
            sink.accept(bundle(n));
        }
    }

    private static void put(Bundle bundle, Resource resource) {
        String url = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.nameUUIDFromBytes(url.getBytes(StandardCharsets.UTF_8)))
                .setResource(resource)
                .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
    }
}
