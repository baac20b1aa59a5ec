package org.recoveryoutcomes.testdata.region;

import org.hl7.fhir.r4.model.Bundle;

/**
 * One transaction Bundle of a region.
 *
 * @param number its place in the region (0 = the organisations)
 * @param people how many people it holds
 */
public record RegionBundle(int number, int people, Bundle bundle) {

    public int resources() {
        return bundle.getEntry().size();
    }
}
