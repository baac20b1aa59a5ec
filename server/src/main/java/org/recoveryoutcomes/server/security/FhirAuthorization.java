package org.recoveryoutcomes.server.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.UrlUtil;
import ca.uhn.fhir.util.bundle.BundleEntryParts;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.recoveryoutcomes.server.fhir.FhirInterceptor;
import org.recoveryoutcomes.server.security.SmartScope.Permission;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import java.util.EnumSet;
import java.util.Set;

import static org.recoveryoutcomes.server.security.OperationPolicy.denied;

/**
 * SMART scopes on every FHIR route. Enforced at four points that every request path goes through:
 * <ol>
 * <li>request level (SERVER_INCOMING_REQUEST_PRE_HANDLED, also for each GET entry of a batch/transaction): the token
 * must allow the interaction on the type, an operation must be allowed by {@link OperationPolicy}, a paging link must
 * have been issued to the caller;</li>
 * <li>searches (SERVER_INCOMING_REQUEST_POST_PROCESSED and STORAGE_PRESEARCH_REGISTERED, which also sees conditional
 * URLs, If-None-Exist and transaction entries): a restricted token's search is narrowed to its reach, so results and
 * totals never contain anything else;</li>
 * <li>every resource about to be shown (STORAGE_PRESHOW_RESOURCES: reads, searches, includes, history, pages,
 * $everything): must lie within the token's read reach, else 403; included resources, pages and operation results
 * leave it out instead (and a page or operation that left something out shows no total);</li>
 * <li>every write (STORAGE_PRESTORAGE_*: create, update incl. conditional, patch, delete incl. cascade, in or outside
 * transactions): old and new content must lie within the token's reach for that permission.</li>
 * </ol>
 * Internal requests (SystemRequestDetails) are not checked: the operation that makes them was.
 */
@Component
@ConditionalOnProperty(name = "recovery.security.enabled", havingValue = "true", matchIfMissing = true)
@Interceptor(order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR)
class FhirAuthorization implements FhirInterceptor {

    private static final String GRANTS = FhirAuthorization.class.getName() + ".grants";
    private static final String WITHHELD = FhirAuthorization.class.getName() + ".withheld";
    private static final String PLACEHOLDERS = FhirAuthorization.class.getName() + ".placeholders";
    private static final Set<RestOperationTypeEnum> WRITES = EnumSet.of(RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE,
            RestOperationTypeEnum.PATCH, RestOperationTypeEnum.DELETE, RestOperationTypeEnum.TRANSACTION, RestOperationTypeEnum.BATCH);

    private final FhirContext fhirContext;
    private final Visibility visibility;
    private final PagingOwners pagingOwners;
    private final OperationPolicy operations;

    FhirAuthorization(FhirContext fhirContext, DaoRegistry daoRegistry, Visibility visibility, PagingOwners pagingOwners) {
        this.fhirContext = fhirContext;
        this.visibility = visibility;
        this.pagingOwners = pagingOwners;
        this.operations = new OperationPolicy(daoRegistry, visibility);
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public void narrowSearch(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE) {
            return;
        }
        Grants grants = grants(request);
        if (grants == null) {
            return;
        }
        // in the request parameters (not only in the storage hook) so that HAPI's search cache keys differ per reach
        Set<Reach> reaches = grants.readReaches(request.getResourceName());
        if (!reaches.isEmpty()) {
            Narrowing.of(fhirContext, request.getResourceName(), reaches)
                    .ifPresent(n -> request.setParameters(n.addTo(request.getParameters())));
        }
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void authorizeRequest(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA || !SmartAccess.external(request)) {
            return;
        }
        Grants grants = grants(request);
        if (grants == null) {
            throw new AuthenticationException("A bearer token is required");
        }
        String type = request.getResourceName();
        switch (operation) {
            case READ, VREAD -> {
                // an export file is readable by the client that started the export, whatever its scopes (checked when shown)
                if (!"Binary".equals(type)) {
                    require(grants, type, Permission.R, operation);
                }
            }
            case HISTORY_INSTANCE -> require(grants, type, Permission.R, operation);
            case SEARCH_TYPE -> require(grants, type, Permission.S, operation);
            case HISTORY_TYPE -> {
                if (!grants.unrestricted(type, Permission.R)) {
                    throw denied(operation.getCode() + " of " + type, "needs unrestricted read access to " + type);
                }
            }
            case SEARCH_SYSTEM, HISTORY_SYSTEM -> {
                // every type, AuditEvent included, with totals over all of them
                if (!grants.everything(Permission.S) || !grants.everything(Permission.R)
                        || !grants.unrestricted(Grants.AUDIT_EVENT, Permission.R)) {
                    throw denied(operation.getCode(), "needs unbound read access to every type, AuditEvent included");
                }
            }
            case GET_PAGE -> {
                String[] ids = request.getParameters().get("_getpages");
                if (ids == null || ids.length != 1 || !pagingOwners.issuedTo(ids[0], grants.access())) {
                    throw denied("this paging link", "was not issued to this client");
                }
            }
            case CREATE -> require(grants, type, Permission.C, operation);
            case UPDATE, PATCH -> require(grants, type, Permission.U, operation);
            case DELETE -> require(grants, type, Permission.D, operation);
            case TRANSACTION, BATCH -> authorizeEntries(grants, (IBaseBundle) request.getResource());
            case EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE -> operations.authorize(grants, request);
            case VALIDATE -> {
                if (grants.writeReaches(type).isEmpty()) {
                    throw denied("$validate of " + type, "needs write access to " + type);
                }
            }
            case META -> {
                if (type == null ? !grants.everything(Permission.R) : !grants.unrestricted(type, Permission.R)) {
                    throw denied("$meta", "needs unrestricted read access");
                }
            }
            default -> throw denied(operation.getCode(), "is not available through the API");
        }
    }

    private void authorizeEntries(Grants grants, IBaseBundle bundle) {
        if (bundle == null) {
            return;
        }
        for (BundleEntryParts entry : BundleUtil.toListOfEntries(fhirContext, bundle)) {
            RequestTypeEnum method = entry.getRequestType();
            if (method == null || method == RequestTypeEnum.GET) {
                continue; // a GET entry is checked as the request it becomes
            }
            String url = entry.getUrl();
            if (url != null && url.contains("$")) {
                throw denied("operations inside a " + bundleType(bundle), "are not supported");
            }
            String type = url != null && !url.isBlank() ? UrlUtil.parseUrl(url).getResourceType()
                    : entry.getResource() != null ? fhirContext.getResourceType(entry.getResource()) : null;
            Permission permission = switch (method) {
                case POST -> Permission.C;
                case PUT, PATCH -> Permission.U;
                case DELETE -> Permission.D;
                default -> throw denied(method + " entries", "are not supported");
            };
            if (type == null || grants.reaches(type, permission).isEmpty()) {
                throw denied(method + " " + url, "is not allowed by the token's scopes");
            }
        }
    }

    private String bundleType(IBaseBundle bundle) {
        String type = BundleUtil.getBundleType(fhirContext, bundle);
        return type == null ? "bundle" : type;
    }

    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void narrowStorageSearch(RequestDetails request, SearchParameterMap map, ca.uhn.fhir.rest.server.util.ICachedSearchDetails search) {
        if (!SmartAccess.external(request) || map.getEverythingMode() != null) {
            return;
        }
        Grants grants = grants(request);
        if (grants == null) {
            throw new AuthenticationException("A bearer token is required");
        }
        String type = search.getResourceType();
        // a conditional write matches only what the token may write; anything else only what it may read
        Set<Reach> reaches = WRITES.contains(request.getRestOperationType()) ? grants.writeReaches(type) : grants.readReaches(type);
        if (reaches.isEmpty()) {
            throw denied("searching " + type, "is not allowed by the token's scopes");
        }
        Narrowing.of(fhirContext, type, reaches).filter(n -> !n.presentIn(map)).ifPresent(n -> {
            n.addTo(map);
            // HAPI keyed any cached result by the query before this hook; never reuse or offer one
            map.setLoadSynchronous(true);
        });
    }

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void authorizeShown(RequestDetails request, IPreResourceShowDetails details) {
        if (!SmartAccess.external(request)) {
            return;
        }
        Grants grants = grants(request);
        if (grants == null) {
            throw new AuthenticationException("A bearer token is required");
        }
        visibility.prefetch(details.getAllResources(), request);
        RestOperationTypeEnum operation = request.getRestOperationType();
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource == null) {
                continue;
            }
            String type = fhirContext.getResourceType(resource);
            if (BulkExportAuthorization.isExportFile(resource)) {
                if (!BulkExportAuthorization.ownedBy(resource, grants.access())) {
                    throw denied("reading this export file", "is not allowed: it belongs to another client's export");
                }
                continue;
            }
            if (visibility.admits(grants.readReaches(type), resource, request)) {
                continue;
            }
            if (operation != null && WRITES.contains(operation) && visibility.admits(grants.writeReaches(type), resource, request)) {
                continue; // the representation of what the client just wrote
            }
            if (included(resource) || isOperation(operation) || operation == RestOperationTypeEnum.GET_PAGE) {
                details.setResource(i, null);
                request.getUserData().put(WITHHELD, Boolean.TRUE);
                continue;
            }
            throw denied("reading " + type + "/" + resource.getIdElement().getIdPart(), "is not allowed by the token's scopes");
        }
    }

    private static boolean included(IBaseResource resource) {
        return resource instanceof IAnyResource r
                && ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(r) == BundleEntrySearchModeEnum.INCLUDE;
    }

    private static boolean isOperation(RestOperationTypeEnum operation) {
        return operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void authorizeCreate(RequestDetails request, IBaseResource resource) {
        authorizeWrite(request, resource, Permission.C);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void authorizeUpdate(RequestDetails request, IBaseResource previous, IBaseResource updated) {
        authorizeWrite(request, previous, Permission.U);
        authorizeWrite(request, updated, Permission.U);
    }

    /**
     * In a transaction Bundle a reference to an entry created earlier (urn:uuid) is resolved only after this entry is
     * stored, so such a resource is checked again once its references are final, before the transaction commits.
     */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void authorizeCreatedWithPlaceholders(RequestDetails request, IBaseResource resource) {
        if (request != null && request.getUserData().containsKey(PLACEHOLDERS)) {
            authorizeWrite(request, resource, Permission.C, false);
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void authorizeUpdatedWithPlaceholders(RequestDetails request, IBaseResource updated) {
        if (request != null && request.getUserData().containsKey(PLACEHOLDERS)) {
            authorizeWrite(request, updated, Permission.U, false);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void authorizeDelete(RequestDetails request, IBaseResource resource) {
        authorizeWrite(request, resource, Permission.D);
    }

    @Hook(Pointcut.STORAGE_CASCADE_DELETE)
    public void authorizeCascadeDelete(RequestDetails request, IBaseResource resource) {
        authorizeWrite(request, resource, Permission.D);
    }

    @Hook(Pointcut.STORAGE_PRE_DELETE_EXPUNGE)
    public void refuseDeleteExpunge(RequestDetails request) {
        if (SmartAccess.external(request)) {
            throw denied("delete with _expunge", "is not available through the API");
        }
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean outgoingBundle(RequestDetails request, IBaseResource response) {
        SmartAccess access = SmartAccess.of(request);
        if (access != null && response instanceof Bundle bundle) {
            recordLinks(bundle, access);
            if (request.getUserData().containsKey(WITHHELD) && !isSearch(request.getRestOperationType())) {
                bundle.setTotalElement(null); // the total of a page or $everything may count what was left out
            }
        }
        return true;
    }

    private static boolean isSearch(RestOperationTypeEnum operation) {
        return operation == RestOperationTypeEnum.SEARCH_TYPE || operation == RestOperationTypeEnum.SEARCH_SYSTEM;
    }

    private void recordLinks(Bundle bundle, SmartAccess access) {
        pagingOwners.recordLinks(bundle, access);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Bundle nested) {
                recordLinks(nested, access);
            }
        }
    }

    private void authorizeWrite(RequestDetails request, IBaseResource resource, Permission permission) {
        authorizeWrite(request, resource, permission, true);
    }

    private void authorizeWrite(RequestDetails request, IBaseResource resource, Permission permission, boolean mayDefer) {
        if (resource == null || !SmartAccess.external(request)) {
            return;
        }
        Grants grants = grants(request);
        if (grants == null) {
            throw new AuthenticationException("A bearer token is required");
        }
        String type = fhirContext.getResourceType(resource);
        Set<Reach> reaches = grants.reaches(type, permission);
        if (reaches.isEmpty()) {
            throw denied(permissionName(permission) + " of " + type, "is not allowed by the token's scopes");
        }
        if (mayDefer && hasPlaceholderReference(resource)) {
            request.getUserData().put(PLACEHOLDERS, Boolean.TRUE);
            return;
        }
        if (!visibility.admits(reaches, resource, request)) {
            throw denied(permissionName(permission) + " of " + type + (resource.getIdElement().hasIdPart()
                    ? "/" + resource.getIdElement().getIdPart() : ""), "is outside the token's patients");
        }
    }

    private boolean hasPlaceholderReference(IBaseResource resource) {
        return fhirContext.newTerser().getAllResourceReferences(resource).stream()
                .map(r -> r.getResourceReference().getReferenceElement().getValue())
                .anyMatch(ref -> ref != null && ref.startsWith("urn:"));
    }

    private static String permissionName(Permission permission) {
        return switch (permission) {
            case C -> "create";
            case R -> "read";
            case U -> "update";
            case D -> "delete";
            case S -> "search";
        };
    }

    private void require(Grants grants, String type, Permission permission, RestOperationTypeEnum operation) {
        if (type == null || grants.reaches(type, permission).isEmpty()) {
            throw denied(operation.getCode() + (type == null ? "" : " of " + type), "is not allowed by the token's scopes");
        }
    }

    private Grants grants(RequestDetails request) {
        Object cached = request.getUserData().get(GRANTS);
        if (cached instanceof Grants g) {
            return g;
        }
        SmartAccess access = SmartAccess.of(request);
        if (access == null) {
            return null;
        }
        Grants grants = new Grants(fhirContext, access);
        request.getUserData().put(GRANTS, grants);
        return grants;
    }
}
