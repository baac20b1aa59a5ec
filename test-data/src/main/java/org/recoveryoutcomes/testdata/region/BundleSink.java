package org.recoveryoutcomes.testdata.region;

/** Where generated bundles go: files, a FHIR server over HTTP, or the server's own DAOs. */
@FunctionalInterface
public interface BundleSink {

    void accept(RegionBundle bundle) throws Exception;
}
