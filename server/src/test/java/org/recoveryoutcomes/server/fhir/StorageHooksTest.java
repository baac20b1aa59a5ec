package org.recoveryoutcomes.server.fhir;

import ca.uhn.fhir.interceptor.api.IAnonymousInterceptor;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.recoveryoutcomes.server.testing.ServerTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Storage hooks of the project's features (registered with the JPA layer) run once per write, HTTP or internal. */
@ServerTest
class StorageHooksTest {

    private static final String FAMILY = "StorageHooksTest-" + System.nanoTime();

    @LocalServerPort
    int port;

    @Autowired
    IInterceptorService storage;

    @Autowired
    DaoRegistry daoRegistry;

    final List<String> seen = new CopyOnWriteArrayList<>();
    final IAnonymousInterceptor counter = (pointcut, params) -> {
        IBaseResource r = params.get(IBaseResource.class);
        if (r instanceof Patient p && p.getNameFirstRep().getFamily() != null && p.getNameFirstRep().getFamily().startsWith(FAMILY)) {
            seen.add(pointcut.name() + " " + p.getNameFirstRep().getFamily());
        }
    };

    @BeforeEach
    void register() {
        storage.registerAnonymousInterceptor(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, counter);
        storage.registerAnonymousInterceptor(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, counter);
    }

    @AfterEach
    void unregister() {
        storage.unregisterInterceptor(counter);
    }

    @Test
    void anHttpCreateRunsEachStorageHookOnce() {
        given().baseUri("http://localhost:" + port + "/fhir").contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + FAMILY + "-http\"}]}")
                .post("/Patient").then().statusCode(201);
        assertThat(seen).containsExactlyInAnyOrder("STORAGE_PRESTORAGE_RESOURCE_CREATED " + FAMILY + "-http",
                "STORAGE_PRECOMMIT_RESOURCE_CREATED " + FAMILY + "-http");
    }

    @Test
    void anInternalCreateRunsEachStorageHookOnce() {
        Patient p = new Patient();
        p.addName().setFamily(FAMILY + "-internal");
        daoRegistry.getResourceDao(Patient.class).create(p, new SystemRequestDetails());
        assertThat(seen).containsExactlyInAnyOrder("STORAGE_PRESTORAGE_RESOURCE_CREATED " + FAMILY + "-internal",
                "STORAGE_PRECOMMIT_RESOURCE_CREATED " + FAMILY + "-internal");
    }

    @Test
    void hooksThatHapiCallsOutsideRequestsAreOnTheStorageLayerAndNoRequestHookIs() {
        List<Object> ours = storage.getAllRegisteredInterceptors().stream().filter(FhirInterceptor.class::isInstance).toList();
        // the bulk export job checks every exported resource in a worker thread, with no HTTP request
        assertThat(ours).anyMatch(i -> i.getClass().getSimpleName().startsWith("BulkExportInclusion"))
                .anyMatch(i -> i.getClass().getSimpleName().startsWith("ScoreStore"))
                .noneMatch(RecoveryFhirServer::servesRequests);
    }

    @Test
    void interceptorsWithARequestHookGoToTheRestLayerAndOthersToTheStorageLayer() {
        assertThat(RecoveryFhirServer.servesRequests(new Object() {
            @ca.uhn.fhir.interceptor.api.Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
            public void hook() {
            }
        })).isTrue();
        assertThat(RecoveryFhirServer.servesRequests(new Object() {
            @ca.uhn.fhir.interceptor.api.Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
            public void hook() {
            }
        })).isFalse();
    }
}
