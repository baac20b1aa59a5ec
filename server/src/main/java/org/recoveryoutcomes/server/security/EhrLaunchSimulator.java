package org.recoveryoutcomes.server.security;

import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

import java.net.URI;
import java.util.List;

/**
 * A stand-in EHR for trying SMART EHR launch: the signed-in user (the embedded issuer's login) picks a person and the
 * app is opened with {@code iss} (this FHIR base) and an opaque {@code launch} id bound to that user and person.
 */
@Controller
@ConditionalOnExpression(EmbeddedIssuerConfiguration.ENABLED)
class EhrLaunchSimulator {

    static final String PAGE = "/launch/ehr";
    private static final String PATIENT_ID = "[A-Za-z0-9\\-.]{1,64}";

    private final PatientPicker picker;
    private final EhrLaunches launches;
    private final IssuerUrls urls;
    private final String app;

    EhrLaunchSimulator(PatientPicker picker, EhrLaunches launches, IssuerUrls urls, SecuritySettings settings) {
        this.picker = picker;
        this.launches = launches;
        this.urls = urls;
        this.app = settings.embeddedIssuer().ehrLaunch().app();
    }

    @GetMapping(path = PAGE, produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String page(@RequestParam(name = "name", required = false) String name, Authentication user, CsrfToken csrf,
            HttpServletRequest request) {
        StringBuilder html = head("EHR launch").append("<h1>EHR launch</h1><p>Signed in as <b>").append(esc(user.getName()))
                .append("</b>. A stand-in for an EHR: <b>Launch</b> opens <code>").append(esc(appUrl(request)))
                .append("</code> with <code>iss=").append(esc(urls.audience(request)))
                .append("</code> and a <code>launch</code> id for the person, usable once within a few minutes.</p>")
                .append("<form method=\"get\" action=\"").append(PAGE).append("\" role=\"search\">")
                .append("<label for=\"name\">Find a person by name</label> <input type=\"search\" id=\"name\" name=\"name\" value=\"")
                .append(esc(name)).append("\"> <button type=\"submit\">Find</button></form>");
        List<Patient> found = picker.patients(user.getName(), name);
        if (found.isEmpty()) {
            html.append("<p>No person found.</p>");
        }
        html.append("<table><thead><tr><th scope=\"col\">Person</th><th scope=\"col\">Born</th><th scope=\"col\">Id</th>"
                + "<th scope=\"col\"></th></tr></thead><tbody>");
        for (Patient p : found) {
            String id = p.getIdElement().getIdPart();
            String person = p.getNameFirstRep().getNameAsSingleString();
            html.append("<tr data-patient=\"").append(esc(id)).append("\"><td>").append(esc(person))
                    .append("</td><td>").append(p.hasBirthDate() ? esc(p.getBirthDateElement().getValueAsString()) : "")
                    .append("</td><td><code>Patient/").append(esc(id)).append("</code></td><td>")
                    .append("<form method=\"post\" action=\"").append(PAGE).append("\">")
                    .append(hidden(csrf.getParameterName(), csrf.getToken())).append(hidden("patient", id))
                    .append("<button type=\"submit\" aria-label=\"Launch for ").append(esc(person)).append(" (Patient/").append(esc(id))
                    .append(")\">Launch</button></form></td></tr>");
        }
        return html.append("</tbody></table></body></html>").toString();
    }

    @PostMapping(path = PAGE, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> launch(@RequestParam("patient") String patient, Authentication user, HttpServletRequest request) {
        if (!patient.matches(PATIENT_ID) || !picker.pickable(user.getName(), patient)) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.TEXT_HTML).body(head("Not launched")
                    .append("<h1>Not launched</h1><p>No person <code>Patient/").append(esc(patient))
                    .append("</code> that <b>").append(esc(user.getName())).append("</b> may open.</p><p><a href=\"").append(PAGE)
                    .append("\">Back</a></p></body></html>").toString());
        }
        String id = launches.create(user.getName(), patient);
        URI target = UriComponentsBuilder.fromUriString(appUrl(request)).queryParam("iss", urls.audience(request))
                .queryParam("launch", id).encode().build().toUri();
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(target).build();
    }

    private String appUrl(HttpServletRequest request) {
        return URI.create(app).isAbsolute() ? app : urls.issuer(request) + (app.startsWith("/") ? app : "/" + app);
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;max-width:48em;margin:2em auto}td,th{padding:.3em .6em;"
                        + "text-align:left}form{margin:0}</style></head><body>");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }
}
