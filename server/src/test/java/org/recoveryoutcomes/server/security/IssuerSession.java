package org.recoveryoutcomes.server.security;

import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser stepping through the embedded issuer's pages by hand over HTTP: follows no redirects and keeps the session
 * cookie.
 */
final class IssuerSession {

    private final String base;
    private final Map<String, String> cookies = new HashMap<>();

    IssuerSession(String base) {
        this.base = base;
    }

    Response get(String url) {
        Response r = given().noFilters().urlEncodingEnabled(false).baseUri(base).redirects().follow(false).cookies(cookies)
                .accept("text/html").get(url);
        cookies.putAll(r.getCookies());
        return r;
    }

    Response postForm(String url, Map<String, Object> form) {
        var spec = given().noFilters().baseUri(base).redirects().follow(false).cookies(cookies).accept("text/html")
                .contentType("application/x-www-form-urlencoded; charset=UTF-8");
        form.forEach((k, v) -> {
            if (v instanceof List<?> values) {
                spec.formParam(k, values.toArray());
            } else {
                spec.formParam(k, v);
            }
        });
        Response r = spec.post(url);
        cookies.putAll(r.getCookies());
        return r;
    }

    /** Signs in on the demo login page; returns where the login sends the browser next. */
    String logIn(String username, String password) {
        Response page = get("/login");
        page.then().statusCode(200);
        Response loggedIn = postForm("/login", Map.of("username", username, "password", password, "_csrf", hidden(page.asString(), "_csrf")));
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.header("Location")).doesNotContain("error");
        return loggedIn.header("Location");
    }

    static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("hidden field %s in %s", name, html).isTrue();
        return m.group(1).replace("&amp;", "&").replace("&#45;", "-");
    }

    static String randomUrlSafe(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
