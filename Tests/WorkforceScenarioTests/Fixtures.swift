import WorkforceFormats
import Foundation
import Testing
import Workforce
import WorkforceScenario
import _WorkforceTestSupport

/// Shared scenario texts and helpers.
enum Fixtures {
    /// The package's root folder, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A small valid scenario. The diagnostic tests rely on its line numbers: `dimensions` is on
    /// line 1 (`max_service` on 5, `aggregates` on 6), `simulation` on 8, `initial` on 13
    /// (`headcount` on 16, `gender` on 18), `leaving` on 20 (`bands` on 21, the Constable rates on
    /// 23), `establishment` on 25, `promotion` on 27, `recruitment` on 29 and `targets` on 33.
    static let small = """
        dimensions:
          ranks: [Constable, Sergeant]
          ethnicities: [White, Black]
          genders: [Female, Male]
          max_service: 10
          aggregates:
            Minority: [Black]
        simulation:
          start: 2024-01
          horizon: 2026-01
          step: quarter
          replications: 50
        initial:
          ranks:
            Constable:
              headcount: 100
              ethnicity: {White: 0.9, Black: 0.1}
              gender: {Female: 0.3, Male: 0.7}
              service: {"0-4": 0.6, "5-9": 0.4}
        leaving:
          bands: ["0-4", "5-9"]
          rates:
            Constable: [0.1, 0.05]
            Sergeant: [0.05, 0.04]
        establishment:
          Constable: [{from: 2024-01, value: 100}, {from: 2025-01, value: 110}]
        promotion:
          Sergeant: {by: rate, rate: 0.1, min_service: 3}
        recruitment:
          - size: {per_year: 20}
            ethnicity: {White: rest, Black: 0.2}
            gender: {Female: 0.5, Male: 0.5}
        targets:
          - name: Minority recruits
            share_of: recruits
            group: Minority
            at_least: 0.2
            by: 2025-12

        """

    /// `small` with one piece of text replaced (the piece must occur exactly once).
    static func small(replacing old: String, with new: String) -> String {
        precondition(small.components(separatedBy: old).count == 2, "'\(old)' must occur once")
        return small.replacingOccurrences(of: old, with: new)
    }

    /// `small` with its initial workforce read from a CSV file instead of marginals.
    static func small(initialCSV file: String) -> String {
        let marginals = small.components(separatedBy: "\n")[13...18].joined(separator: "\n")
        return small(replacing: marginals, with: "  csv: \(file)")
    }

    /// Loads scenario text named `t.yaml`.
    static func load(_ text: String, overrides: [String] = [], directory: String = "/nonexistent") throws(InputError) -> LoadedScenario {
        try ScenarioLoader.parse(text: text, file: "t.yaml", directory: directory, overrides: overrides)
    }

    /// The error report for scenario text that must fail, one diagnostic a line.
    static func problems(_ text: String, overrides: [String] = [], directory: String = "/nonexistent") -> String {
        do {
            let loaded = try load(text, overrides: overrides, directory: directory)
            return "loaded \(loaded.model.name) without problems"
        } catch {
            return error.description
        }
    }

    /// A new empty folder under the system's temporary folder, removed when the tests end.
    static func temporaryFolder() throws -> String {
        try CLI.temporaryFolder().path
    }

    /// Headcount of one rank, summed over groups and service.
    static func headcount(_ model: Model, rank: Int) -> Int {
        let d = model.dimensions
        return (0..<d.groupCount).reduce(0) { total, group in
            total + (0..<d.maxService).reduce(0) { $0 + model.initial[d.cell(rank, group, $1)] }
        }
    }

    /// Headcount of one rank and group by year of service.
    static func byService(_ model: Model, rank: Int, group: Int) -> [Int] {
        (0..<model.dimensions.maxService).map { model.initial[model.dimensions.cell(rank, group, $0)] }
    }
}
