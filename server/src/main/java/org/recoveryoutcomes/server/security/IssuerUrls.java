package org.recoveryoutcomes.server.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * URLs of the embedded issuer. Without a configured issuer it is the URL the request came in on (scheme, host, port,
 * context path), exactly as Spring Authorization Server resolves it, so tokens issued at one address are accepted at
 * the same address.
 *
 * @param configuredIssuer {@code recovery.security.embedded-issuer.issuer}, or blank
 * @param fhirPath         the FHIR servlet path, which with the issuer makes the audience
 */
record IssuerUrls(String configuredIssuer, String fhirPath) {

    String issuer(HttpServletRequest request) {
        if (configuredIssuer != null && !configuredIssuer.isBlank()) {
            return configuredIssuer;
        }
        return UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request))
                .replacePath(request.getContextPath()).replaceQuery(null).fragment(null).build().toUriString();
    }

    /** The FHIR base URL: the audience of the embedded issuer's access tokens. */
    String audience(HttpServletRequest request) {
        return issuer(request) + fhirPath;
    }
}
