import Foundation
import Testing
import WorkforceScenario

/// Reader messages (issue 12): a field path for duplicate keys, positions only in the
/// `file:line:column` prefix, no raw control characters, one line for CR-only files, and tabs.
struct MessageTests {
    private func problems(replacing old: String, with new: String) -> String {
        Fixtures.problems(Fixtures.small(replacing: old, with: new))
    }

    @Test func duplicateKeysHaveAFieldPath() {
        #expect(problems(replacing: "      headcount: 100\n", with: "      headcount: 100\n      headcount: 100\n") == """
            t.yaml:16:7: initial.ranks.Constable.headcount: key 'headcount' appears more than once in this mapping; expected each key once
            """)
        #expect(problems(replacing: "  - size: {per_year: 20}\n", with: "  - size: {per_year: 20}\n    size: fill\n") == """
            t.yaml:30:5: recruitment[0].size: key 'size' appears more than once in this mapping; expected each key once
            """)
        let second = "  - size: {per_year: 20}\n    ethnicity: {White: rest, Black: 0.2}\n    gender: {Female: 0.5, Male: 0.5}\n"
            + "  - size: {per_year: 20}\n    rank: Sergeant\n    rank: Sergeant\n"
        #expect(problems(replacing: "  - size: {per_year: 20}\n", with: second) == """
            t.yaml:34:5: recruitment[1].rank: key 'rank' appears more than once in this mapping; expected each key once
            """)
    }

    @Test func controlCharactersAreNamedNotEchoed() {
        let report = problems(replacing: "name: Minority recruits", with: "name: \"Min\u{07}ority\"\u{01}")
        #expect(report == "t.yaml:34:15: control characters are not allowed (found U+0007); expected text without control characters")
        #expect(!report.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func tabsInIndentation() {
        #expect(problems(replacing: "  step: quarter\n", with: "\tstep: quarter\n") == """
            t.yaml:11:1: Tabs are not allowed in YAML; indent with spaces
            """)
        #expect(problems(replacing: "  - name: Minority recruits", with: " \t- name: Minority recruits").hasPrefix("""
            t.yaml:34:2: Tabs are not allowed in YAML; indent with spaces
            """))
    }

    @Test func crOnlyLineEndsGiveOneLineMessages() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "rank,ethnicity,gender,service,headcount\rConstable,White,Female,0,x\rConstable,White,Male,0,5\r"
            .write(toFile: "\(folder)/people.csv", atomically: true, encoding: .utf8)
        let report = Fixtures.problems(Fixtures.small(initialCSV: "people.csv"), directory: folder)
        #expect(report == """
            \(folder)/people.csv:2:26: headcount: 'x' is not a whole number; expected a headcount: a whole number from 0 to 2147483647
            """)
    }
}
