# Authoring aid for golden/recovery-profile/goals-wemwbs-and-a-hospital-stay.json: writes the inputs and the
# expected output as JSON. Every expected figure below is typed in by hand (see "calculation"), never computed here.
import json

C = "https://w3id.org/recovery-outcomes/fhir"
P = "Patient/{{patient}}"
SURVEY = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}

def score(key, code, domain, when, value, status="final"):
    o = {"resourceType": "Observation", "status": status,
         "category": [SURVEY, {"coding": [{"system": C + "/CodeSystem/recovery-outcome-domain", "code": domain}]}],
         "code": {"coding": [{"system": C + "/CodeSystem/recovery-score", "code": code}]},
         "subject": {"reference": P}, "effectiveDateTime": when,
         "derivedFrom": [{"reference": "QuestionnaireResponse/scored-elsewhere"}]}
    if isinstance(value, bool):
        o["valueBoolean"] = value
    elif isinstance(value, int) and code.startswith("inclusion"):
        o["valueInteger"] = value
    else:
        o["valueQuantity"] = {"value": value, "unit": "{score}", "system": "http://unitsofmeasure.org", "code": "{score}"}
    return {"key": key, "resource": o}

def goal(key, weight, baseline, status, text):
    ext = []
    if weight is not None:
        ext.append({"url": C + "/StructureDefinition/gas-weight", "valueDecimal": weight})
    ext.append({"url": C + "/StructureDefinition/gas-baseline-level", "valueInteger": baseline})
    for level, words in zip(range(-2, 3), ["much less than expected", "less than expected", "as expected",
                                           "better than expected", "much better than expected"]):
        ext.append({"url": C + "/StructureDefinition/gas-level-description", "extension": [
            {"url": "level", "valueInteger": level}, {"url": "description", "valueString": text + ": " + words}]})
    return {"key": key, "resource": {"resourceType": "Goal", "meta": {"profile": [C + "/StructureDefinition/gas-goal"]},
            "extension": ext, "lifecycleStatus": status, "description": {"text": text}, "subject": {"reference": P},
            "startDate": "2026-02-01"}}

def rating(key, goal_key, when, level=None, answer=None):
    o = {"resourceType": "Observation", "status": "final",
         "code": {"coding": [{"system": C + "/CodeSystem/recovery-score", "code": "gas-attainment"}]},
         "subject": {"reference": P}, "focus": [{"reference": "Goal/{{" + goal_key + "}}"}], "effectiveDateTime": when}
    if answer:
        o["code"]["coding"].append({"system": "http://loinc.org", "code": "107334-5"})
        o["valueCodeableConcept"] = {"coding": [{"system": "http://loinc.org", "code": answer}]}
    else:
        o["valueInteger"] = level
    return {"key": key, "resource": o}

def narrative(key, when, text):
    return {"key": key, "resource": {"resourceType": "QuestionnaireResponse", "questionnaire": C + "/Questionnaire/recovery-narrative",
            "status": "completed", "subject": {"reference": P}, "authored": when,
            "item": [{"linkId": "narrative", "answer": [{"valueString": text}]}]}}

def encounter(key, typ, status, start, end=None):
    period = {"start": start}
    if end:
        period["end"] = end
    return {"key": key, "resource": {"resourceType": "Encounter", "meta": {"profile": [C + "/StructureDefinition/service-use-encounter"]},
            "status": status, "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                        "code": "IMP" if typ == "inpatient-admission" else "AMB"},
            "type": [{"coding": [{"system": C + "/CodeSystem/service-use-type", "code": typ}]}],
            "subject": {"reference": P}, "period": period}}

resources = [
    # Domain 5 — WEMWBS six months apart (first outcome measure: 2 Mar 2026), SWEMWBS, MANSA, and noise
    score("wemwbs-1", "wemwbs-total", "quality-of-life", "2026-03-02T10:15:00Z", 41),
    score("swemwbs-1", "swemwbs-metric", "quality-of-life", "2026-03-02T10:20:00Z", 19.25),
    score("mansa-1", "mansa-mean", "quality-of-life", "2026-03-02T10:30:00Z", 3.5),
    score("wemwbs-error", "wemwbs-total", "quality-of-life", "2026-05-01T10:00:00+01:00", 70, status="entered-in-error"),
    score("wemwbs-2", "wemwbs-total", "quality-of-life", "2026-09-01T10:00:00+01:00", 52),
    score("swemwbs-2", "swemwbs-metric", "quality-of-life", "2026-09-01T10:05:00+01:00", 21.54),
    score("mansa-2", "mansa-mean", "quality-of-life", "2026-09-01T10:30:00+01:00", 4.25),
    score("wemwbs-future", "wemwbs-total", "quality-of-life", "2026-10-15T10:00:00+01:00", 30),
    # Domain 1, 3
    score("inspire-1", "inspire-brief", "recovery-supporting-care", "2026-03-04T11:00:00Z", 45),
    score("inspire-2", "inspire-brief", "recovery-supporting-care", "2026-09-03T11:00:00+01:00", 60),
    score("qpr-1", "qpr15-total", "personal-recovery", "2026-03-04T11:10:00Z", 30),
    # Domain 4 — Inclusion Web, employment, accommodation
    score("people-1", "inclusion-people", "socially-valued-goals", "2026-03-05T14:00:00Z", 3),
    score("places-1", "inclusion-places", "socially-valued-goals", "2026-03-05T14:00:00Z", 2),
    score("spread-1", "inclusion-spread", "socially-valued-goals", "2026-03-05T14:00:00Z", 2),
    score("paid-1", "employment-paid", "socially-valued-goals", "2026-03-05T14:00:00Z", False),
    score("settled-1", "accommodation-settled", "socially-valued-goals", "2026-03-05T14:00:00Z", True),
    score("people-2", "inclusion-people", "socially-valued-goals", "2026-09-05T14:00:00+01:00", 7),
    score("places-2", "inclusion-places", "socially-valued-goals", "2026-09-05T14:00:00+01:00", 4),
    score("spread-2", "inclusion-spread", "socially-valued-goals", "2026-09-05T14:00:00+01:00", 5),
    score("paid-2", "employment-paid", "socially-valued-goals", "2026-09-05T14:00:00+01:00", True),
    score("settled-2", "accommodation-settled", "socially-valued-goals", "2026-09-05T14:00:00+01:00", True),
    # Domain 2 — GAS goals and ratings, narrative accounts
    goal("a", None, -1, "active", "Take the bus to the day centre alone"),
    goal("b", 2, -2, "active", "Cook an evening meal for my family"),
    goal("c", 1, -1, "active", "Phone my brother every week"),
    goal("d", 1, -1, "active", "Start a volunteering role"),
    goal("e", 3, -2, "cancelled", "Move to a flat of my own"),
    rating("a1", "a", "2026-03-10T10:00:00Z", level=-1),
    rating("b1", "b", "2026-06-15T14:00:00+01:00", answer="LA34481-4"),
    rating("a2", "a", "2026-08-20T10:00:00+01:00", level=2),
    rating("b2", "b", "2026-08-20T10:05:00+01:00", answer="LA34480-6"),
    rating("c1", "c", "2026-08-20T10:10:00+01:00", level=-1),
    rating("e1", "e", "2026-08-20T10:15:00+01:00", level=-2),
    narrative("narrative-1", "2026-04-01T15:00:00+01:00", "Getting out of the house is still hard."),
    narrative("narrative-2", "2026-09-10T15:00:00+01:00", "I cook for the family on Sundays now."),
    # Domain 6 — Encounters
    encounter("e-admission-2025-02", "inpatient-admission", "finished", "2025-02-20T10:00:00Z", "2025-03-05T10:00:00Z"),
    encounter("e-crisis-2025-10", "crisis-contact", "finished", "2025-10-30T21:00:00Z", "2025-10-30T23:00:00Z"),
    encounter("e-admission-2025-11", "inpatient-admission", "finished", "2025-11-03T14:00:00Z", "2025-11-17T11:30:00Z"),
    encounter("e-detention-2025-11", "mha-detention", "finished", "2025-11-03T14:00:00Z", "2025-11-17T11:30:00Z"),
    encounter("e-community-2025-12", "community-contact", "finished", "2025-12-01T10:00:00Z", "2025-12-01T11:00:00Z"),
    encounter("e-community-2026-01", "community-contact", "finished", "2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z"),
    encounter("e-community-cancelled", "community-contact", "cancelled", "2026-02-01T10:00:00Z"),
    encounter("e-admission-2026-07", "inpatient-admission", "finished", "2026-07-30T23:30:00Z", "2026-08-05T09:00:00Z"),
    encounter("e-community-2026-09", "community-contact", "finished", "2026-09-15T10:00:00+01:00", "2026-09-15T11:00:00+01:00"),
    encounter("e-community-planned", "community-contact", "planned", "2026-09-20T10:00:00+01:00"),
    encounter("e-crisis-after-date", "crisis-contact", "finished", "2026-10-05T10:00:00+01:00", "2026-10-05T11:00:00+01:00"),
]

def part(name, **value):
    d = {"name": name}
    d.update(value)
    return d

def point(name, value, date, ref):
    return part(name, part=[part("value", **value), part("date", valueDateTime=date), part("observation", valueReference={"reference": ref})])

def measure(code, display, latest, baseline, change, reliable, direction=None, threshold=None, count=2):
    parts = [part("code", valueCoding={"system": C + "/CodeSystem/recovery-score", "code": code, "display": display}),
             point("latest", *latest), point("baseline", *baseline), part("change", **change), part("reliable-change", valueCode=reliable)]
    if direction:
        parts.append(part("direction", valueCode=direction))
    if threshold is not None:
        parts.append(part("reliable-change-threshold", valueDecimal=threshold))
    parts.append(part("count", valueInteger=count))
    return part("measure", part=parts)

def domain(code, display, *parts):
    return part("domain", part=[part("code", valueCoding={"system": C + "/CodeSystem/recovery-outcome-domain", "code": code, "display": display})] + list(parts))

def q(v):
    return {"valueDecimal": v}

def goal_part(key, weight, level, baseline, rating_key, date, text):
    return part("goal", part=[part("goal", valueReference={"reference": "Goal/{{" + key + "}}", "display": text}),
                              part("weight", valueDecimal=weight), part("level", valueInteger=level),
                              part("baseline-level", valueInteger=baseline),
                              part("rating", valueReference={"reference": "Observation/{{" + rating_key + "}}"}),
                              part("date", valueDateTime=date)])

def window(name, start, end, admissions, bed_days, community, crisis, detentions):
    return part("service-use", part=[part("window", valueCode=name), part("period", valuePeriod={"start": start, "end": end}),
                                     part("inpatient-admissions", valueInteger=admissions), part("bed-days", valueInteger=bed_days),
                                     part("community-contacts", valueInteger=community), part("crisis-contacts", valueInteger=crisis),
                                     part("mha-detentions", valueInteger=detentions)])

O = lambda k: "Observation/{{" + k + "}}"
expected = {"resourceType": "Parameters", "parameter": [
    part("date", valueDate="2026-09-30"),
    domain("recovery-supporting-care", "Quality of recovery-supporting care",
           measure("inspire-brief", "Brief INSPIRE", (q(60), "2026-09-03T11:00:00+01:00", O("inspire-2")),
                   (q(45), "2026-03-04T11:00:00Z", O("inspire-1")), q(15), "not-applicable", "higher-is-better")),
    domain("individual-recovery-goals", "Achievement of individual recovery goals",
           measure("gas-t-score", "GAS T-score over a person's goals", (q(60.0), "2026-08-20T10:10:00+01:00", "Observation/{{any}}"),
                   (q(40.0), "2026-03-10T10:00:00Z", "Observation/{{any}}"), q(20.0), "not-applicable", "higher-is-better", count=3),
           goal_part("a", 1, 2, -1, "a2", "2026-08-20T10:00:00+01:00", "Take the bus to the day centre alone"),
           goal_part("b", 2, 1, -2, "b2", "2026-08-20T10:05:00+01:00", "Cook an evening meal for my family"),
           goal_part("c", 1, -1, -1, "c1", "2026-08-20T10:10:00+01:00", "Phone my brother every week"),
           part("unrated-goal", part=[part("goal", valueReference={"reference": "Goal/{{d}}", "display": "Start a volunteering role"}),
                                      part("weight", valueDecimal=1), part("baseline-level", valueInteger=-1)]),
           part("narrative", part=[part("response", valueReference={"reference": "QuestionnaireResponse/{{narrative-2}}"}),
                                   part("date", valueDateTime="2026-09-10T15:00:00+01:00"), part("count", valueInteger=2)])),
    domain("personal-recovery", "Subjective measures of personal recovery",
           measure("qpr15-total", "QPR-15 total", (q(30), "2026-03-04T11:10:00Z", O("qpr-1")),
                   (q(30), "2026-03-04T11:10:00Z", O("qpr-1")), q(0), "not-applicable", "higher-is-better", count=1)),
    domain("socially-valued-goals", "Achievement of socially valued goals",
           measure("inclusion-people", "Inclusion Web People score", ({"valueInteger": 7}, "2026-09-05T14:00:00+01:00", O("people-2")),
                   ({"valueInteger": 3}, "2026-03-05T14:00:00Z", O("people-1")), q(4), "not-applicable", "higher-is-better"),
           measure("inclusion-places", "Inclusion Web Places score", ({"valueInteger": 4}, "2026-09-05T14:00:00+01:00", O("places-2")),
                   ({"valueInteger": 2}, "2026-03-05T14:00:00Z", O("places-1")), q(2), "not-applicable", "higher-is-better"),
           measure("inclusion-spread", "Inclusion Web Clock Spread", ({"valueInteger": 5}, "2026-09-05T14:00:00+01:00", O("spread-2")),
                   ({"valueInteger": 2}, "2026-03-05T14:00:00Z", O("spread-1")), q(3), "not-applicable", "higher-is-better"),
           measure("employment-paid", "In paid employment", ({"valueBoolean": True}, "2026-09-05T14:00:00+01:00", O("paid-2")),
                   ({"valueBoolean": False}, "2026-03-05T14:00:00Z", O("paid-1")), {"valueCode": "became-true"}, "not-applicable", "not-ordered"),
           measure("accommodation-settled", "In settled accommodation", ({"valueBoolean": True}, "2026-09-05T14:00:00+01:00", O("settled-2")),
                   ({"valueBoolean": True}, "2026-03-05T14:00:00Z", O("settled-1")), {"valueCode": "unchanged"}, "not-applicable", "not-ordered")),
    domain("quality-of-life", "Quality of life and well-being",
           measure("wemwbs-total", "WEMWBS total", (q(52), "2026-09-01T10:00:00+01:00", O("wemwbs-2")),
                   (q(41), "2026-03-02T10:15:00Z", O("wemwbs-1")), q(11), "improved", "higher-is-better", threshold=9),
           measure("swemwbs-metric", "SWEMWBS metric score (conversion table)", (q(21.54), "2026-09-01T10:05:00+01:00", O("swemwbs-2")),
                   (q(19.25), "2026-03-02T10:20:00Z", O("swemwbs-1")), q(2.29), "no-reliable-change", "higher-is-better", threshold=3),
           measure("mansa-mean", "MANSA mean satisfaction", (q(4.25), "2026-09-01T10:30:00+01:00", O("mansa-2")),
                   (q(3.5), "2026-03-02T10:30:00Z", O("mansa-1")), q(0.75), "not-applicable", "higher-is-better")),
    domain("service-use", "Service use",
           window("before-first-measure", "2025-03-02", "2026-03-01", 1, 17, 2, 1, 1),
           window("latest", "2025-10-01", "2026-09-30", 2, 19, 3, 1, 1),
           part("note", valueString="Figures only: less use of formal mental health services is not always better (ImROC Box 3 "
                "domain 6: an appropriate reduction, 'but beware!'); read them alongside the other domains. No direction or "
                "reliable change is given.")),
]}

calculation = [
    "as of 2026-09-30, zone Europe/London (GMT until 29 Mar 2026, BST from then; GMT again from 26 Oct 2025)",
    "Domain 1 inspire-brief: baseline 45 (4 Mar), latest 60 (3 Sep): change 60 - 45 = 15; no verified threshold: not-applicable",
    "Domain 2 GAS: goals a (w 1, no gas-weight), b (w 2), c (w 1), d (w 1, never rated), e (w 3, cancelled: ignored)",
    "  T-score Observations per rating day: 10 Mar: a -1 alone: Σwx = -1, Σw² = 1, (Σw)² = 1, √(0.7 + 0.3) = 1, T = 50 - 10 = 40.0",
    "  15 Jun: a -1, b 0 (LA34481-4): Σwx = -1, Σw² = 5, (Σw)² = 9, √(3.5 + 2.7) = √6.2 = 2.48997992, T = 50 - 4.01609664 = 45.983903",
    "  20 Aug: a +2, b +1 (LA34480-6), c -1 (e cancelled): Σwx = 2 + 2 - 1 = 3, Σw² = 6, (Σw)² = 16, √(4.2 + 4.8) = 3, T = 50 + 10 = 60.0",
    "  measure gas-t-score: baseline 40.0 (10 Mar, a1's time), latest 60.0 (20 Aug, c1's time, the latest rating used), change 20.0,",
    "  3 scores, no verified GAS threshold: not-applicable. Goals as of 30 Sep: a +2 (a2), b +1 (b2), c -1 (c1); d unrated",
    "  narrative: two responses (1 Apr, 10 Sep): latest 10 Sep, count 2",
    "Domain 3 qpr15-total: one score 30: baseline = latest, change 0, not-applicable, count 1",
    "Domain 4 inclusion-people 3 → 7 (change 4), places 2 → 4 (2), spread 2 → 5 (3): no threshold: not-applicable;",
    "  employment-paid false → true: became-true; accommodation-settled true → true: unchanged (booleans: not-applicable)",
    "Domain 5 wemwbs-total: 41 (2 Mar) → 52 (1 Sep); the entered-in-error 70 and the 15 Oct 30 (after the date) do not count;",
    "  change 52 - 41 = 11 ≥ 9 (higher is better): improved",
    "  swemwbs-metric: 19.25 → 21.54: change 2.29 < 3: no-reliable-change; mansa-mean 3.5 → 4.25: change 0.75, not-applicable",
    "Domain 6: first outcome measure F = 2 Mar 2026 (WEMWBS 10:15Z); window before it = [2 Mar 2025, 1 Mar 2026]",
    "  admissions: 20 Feb 2025 starts before the window; 3 Nov 2025 in it → 1",
    "  bed days: stay 20 Feb–5 Mar 2025 clipped to 2 Mar 00:00 → midnights of 3, 4, 5 Mar = 3; stay 3 Nov 14:00 – 17 Nov 11:30 = 14; total 17",
    "  community: 1 Dec, 5 Jan (1 Feb cancelled) → 2; crisis: 30 Oct 2025 21:00Z (GMT) → 1; detentions: 3 Nov → 1",
    "  latest window = [1 Oct 2025, 30 Sep 2026]: admissions 3 Nov 2025 and 30 Jul 2026 23:30Z = 31 Jul 00:30 BST → 2",
    "  bed days: 14 + (31 Jul → 5 Aug: midnights of 1, 2, 3, 4, 5 Aug = 5; 9:00Z = 10:00 BST on 5 Aug) = 19",
    "  community: 1 Dec, 5 Jan, 15 Sep (1 Feb cancelled, 20 Sep planned) → 3; crisis: 30 Oct 2025 (5 Oct 2026 after the date) → 1; detentions 1",
]

golden = {"description": "A person with GAS goals and ratings, two WEMWBS scores six months apart, other scores in each domain, "
          "two narrative accounts and hospital stays: the recovery profile as of 30 Sep 2026, worked out by hand.",
          "date": "2026-09-30", "resources": resources, "expected": expected, "calculation": calculation}
with open("server/src/test/resources/golden/recovery-profile/goals-wemwbs-and-a-hospital-stay.json", "w") as f:
    json.dump(golden, f, indent=2, ensure_ascii=False)
    f.write("\n")

empty = {"description": "A person with no data: the six domains with their codes and nothing else.", "date": "2026-09-30",
         "resources": [], "expected": {"resourceType": "Parameters", "parameter": [part("date", valueDate="2026-09-30")] + [
             domain(c, d) for c, d in [("recovery-supporting-care", "Quality of recovery-supporting care"),
                                       ("individual-recovery-goals", "Achievement of individual recovery goals"),
                                       ("personal-recovery", "Subjective measures of personal recovery"),
                                       ("socially-valued-goals", "Achievement of socially valued goals"),
                                       ("quality-of-life", "Quality of life and well-being"), ("service-use", "Service use")]]},
         "calculation": ["no Observations, Goals, QuestionnaireResponses or Encounters: nothing to show in any domain"]}
with open("server/src/test/resources/golden/recovery-profile/no-data.json", "w") as f:
    json.dump(empty, f, indent=2, ensure_ascii=False)
    f.write("\n")
