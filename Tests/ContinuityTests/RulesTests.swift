import Testing
@testable import Continuity

/// The rules of SPEC §1, each a pure function; the API and the CSV import only translate them.
@Suite struct RulesTests {
    @Test(arguments: [
        ("a", true), ("C-0001", true), ("p.anna_2", true), (String(repeating: "x", count: 64), true),
        ("", false), (String(repeating: "x", count: 65), false), ("a/b", false), ("a b", false), ("é", false),
    ])
    func idsAreOneTo64CharactersOfTheSafeAlphabet(id: String, valid: Bool) {
        #expect(Rules.isID(id) == valid)
    }

    @Test func freeTextIsAtMost200ScalarsAndNotBlank() {
        #expect(Rules.freeTextProblem("Wijkteam Noord") == nil)
        #expect(Rules.freeTextProblem(String(repeating: "ë", count: 200)) == nil)
        #expect(Rules.freeTextProblem(String(repeating: "ë", count: 201)) == "must be at most 200 characters")
        #expect(Rules.freeTextProblem(" \t\r\n") == "must not be blank")
        #expect(Rules.freeTextProblem("") == "must not be blank")
    }

    @Test func participantsAreIdsNotTheLeadAndNotTwice() {
        #expect(Rules.participants(["P2", "P3"], lead: "P1") == [])
        #expect(Rules.participants(["P2", "P1", "P2", "a/b"], lead: "P1") == [
            RuleViolation(field: "participants", index: 1, detail: "is the lead professional already"),
            RuleViolation(field: "participants", index: 2, detail: "is listed twice"),
            RuleViolation(field: "participants", index: 3, detail: Rules.idDetail),
        ])
        let many = (0...20).map { "P\($0 + 10)" }
        #expect(Rules.participants(many, lead: "P1") == [
            RuleViolation(field: "participants", detail: "must have at most 20 items"),
        ])
    }

    @Test func aContactOnTheDayTheCaseOpenedInTheLocalZoneIsInTheCase() {
        // 23:30 UTC on 31 December is already 1 January in Amsterdam.
        let opened = day("2024-01-01")
        #expect(Rules.contactInCase(occurredAt: at("2023-12-31T23:30:00Z"), caseOpenedOn: opened, zone: amsterdam) == nil)
        #expect(Rules.contactInCase(occurredAt: at("2023-12-31T22:30:00Z"), caseOpenedOn: opened, zone: amsterdam)
                == RuleViolation(field: "occurred_at", detail: "lies on 2023-12-31, before the client's case opened on 2024-01-01"))
        #expect(Rules.contactInCase(occurredAt: at("2023-12-31T23:30:00Z"), caseOpenedOn: opened, zone: .utc)?.field == "occurred_at")
    }

    @Test func datesMayBeEqualButNotReversed() {
        let d = day("2026-03-01"), before = day("2026-02-28")
        #expect(Rules.endedOn(d, startedOn: d) == nil)
        #expect(Rules.endedOn(nil, startedOn: d) == nil)
        #expect(Rules.endedOn(before, startedOn: d) == RuleViolation(field: "ended_on", detail: "must not be before started_on (2026-03-01)"))
        #expect(Rules.closedOn(before, openedOn: d) == RuleViolation(field: "closed_on", detail: "must not be before opened_on (2026-03-01)"))
        #expect(Rules.closedOn(d, openedOn: d) == nil)
        #expect(Rules.referredOn(before, caseOpenedOn: d) == RuleViolation(field: "referred_on", detail: "must not be before the case opened on 2026-03-01"))
        #expect(Rules.referredOn(d, caseOpenedOn: d) == nil)
        #expect(Rules.statusOn(before, referredOn: d) == RuleViolation(field: "status_on", detail: "must not be before referred_on (2026-03-01)"))
        #expect(Rules.statusOn(d, referredOn: d) == nil)
    }
}
