import Foundation
import Testing
import WorkforceScenario

/// The crash reproducers of issue 12, each now a located diagnostic at validation, and the
/// stated limits (docs/scenario-format.md, "Limits").
struct LimitTests {
    private func problems(replacing old: String, with new: String) -> String {
        Fixtures.problems(Fixtures.small(replacing: old, with: new))
    }

    /// An initial CSV with the given data rows, and the report for `small` reading it.
    private func csvProblems(_ rows: String) throws -> String {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "rank,ethnicity,gender,service,headcount\n\(rows)".write(toFile: "\(folder)/people.csv", atomically: true, encoding: .utf8)
        return Fixtures.problems(Fixtures.small(initialCSV: "people.csv"), directory: folder)
            .replacingOccurrences(of: folder, with: "F")
    }

    @Test func hugeCSVCountsAreLocatedNotTrapped() throws {
        #expect(try csvProblems("Constable,White,Female,0,5000000000\n") == """
            F/people.csv:2:26: headcount: 5000000000 is above 2147483647; expected a headcount: a whole number from 0 to 2147483647
            """)
        #expect(try csvProblems("Constable,White,Female,0,9223372036854775807\nConstable,White,Male,0,5000000000000000000\n") == """
            F/people.csv:2:26: headcount: 9223372036854775807 is above 2147483647; expected a headcount: a whole number from 0 to 2147483647
            F/people.csv:3:24: headcount: 5000000000000000000 is above 2147483647; expected a headcount: a whole number from 0 to 2147483647
            """)
        #expect(try csvProblems("Constable,White,Female,0,99999999999999999999999\n") == """
            F/people.csv:2:26: headcount: 99999999999999999999999 is above 2147483647; expected a headcount: a whole number from 0 to 2147483647
            """)
    }

    @Test func hugeEstablishmentsAndIntakes() {
        #expect(problems(replacing: "value: 110}", with: "value: 1e12}") == """
            t.yaml:26:67: establishment.Constable[1].value: 1000000000000 is above 2147483647; expected a headcount: a whole number from 0 to 2147483647
            """)
        #expect(problems(replacing: "value: 110}", with: "value: 1e308}") == """
            t.yaml:26:67: establishment.Constable[1].value: 1e+308 is above 2147483647; expected a headcount: a whole number from 0 to 2147483647
            """)
        #expect(problems(replacing: "per_year: 20", with: "per_year: 1e20") == """
            t.yaml:30:22: recruitment[0].size.per_year: 1e+20 is above 2147483647; expected a number of recruits per year from 0 to 2147483647
            """)
        #expect(problems(replacing: "headcount: 100", with: "headcount: 5e18") == """
            t.yaml:16:18: initial.ranks.Constable.headcount: 5e+18 is above 2147483647; expected a headcount: a whole number from 0 to 2147483647
            """)
    }

    /// Values each within range whose officers could together pass the engine's 32-bit counts.
    @Test func workforceCapacity() {
        #expect(problems(replacing: "per_year: 20", with: "per_year: 200000000") == """
            t.yaml:30:3: recruitment: the workforce could reach 2200000100 officers (100 at the start and up to 2200000000 recruits staying up to max_service + 1 years); expected at most 2147483647 officers at once, the engine's 32-bit limit
            """)
        let fill = Fixtures.small(replacing: "size: {per_year: 20}", with: "size: fill")
            .replacingOccurrences(of: "value: 110}", with: "value: 100000000}")
        #expect(Fixtures.problems(fill) == """
            t.yaml:30:3: recruitment: the workforce could reach 4400000100 officers (100 at the start and up to 4400000000 recruits staying up to max_service + 1 years); expected at most 2147483647 officers at once, the engine's 32-bit limit
            """)
        // A normal's reach is 9 standard deviations, not the whole range.
        #expect(problems(replacing: "per_year: 20", with: "per_year: {normal: [3000, 250]}") == "loaded t without problems")
    }

    @Test func horizonReplicationsAndCells() {
        #expect(problems(replacing: "horizon: 2026-01", with: "horizon: 5026-01") == """
            t.yaml:10:12: simulation.horizon: 5026-01 is 36024 months after start 2024-01; expected at most 200 years (2400 months) after start
            """)
        #expect(problems(replacing: "replications: 50", with: "replications: 1e9") == """
            t.yaml:12:17: simulation.replications: 1000000000 is above 10000000; expected a whole number from 1 to 10000000
            """)
        let ranks = (0..<30_000).map { "R\($0)" }.joined(separator: ", ")
        let text = Fixtures.small(replacing: "ranks: [Constable, Sergeant]", with: "ranks: [Constable, Sergeant, \(ranks)]")
            .replacingOccurrences(of: "max_service: 10", with: "max_service: 100")
        #expect(Fixtures.problems(text).hasPrefix("""
            t.yaml:2:3: dimensions: 30002 ranks × 2 ethnicities × 2 genders × 100 years of service make 12000800 cells; expected at most 10000000
            """))
    }

    /// A sweep's points are bounded (each is checked before the sweep runs).
    @Test func sweepSize() {
        let samples = Fixtures.small + "sweep:\n  vary:\n    - {path: \"leaving.rates.Constable[0]\", from: 0.01, to: 0.2}\n  samples: 20000\n"
        #expect(Fixtures.problems(samples) == "t.yaml:40:3: sweep: 20000 samples; expected 1 to 10000")
        let grid = Fixtures.small + "sweep:\n  vary:\n    - {path: \"leaving.rates.Constable[0]\", from: 0, to: 1, step: 0.00001}\n"
        #expect(Fixtures.problems(grid) == "t.yaml:41:7: sweep.vary[0]: from 0 to 1 by 1e-05 is more than 10000 values; expected a larger step")
    }

    /// Validation is linear in the number of categories: 100,000 ranks (each with leaving rates)
    /// validate in seconds, where a quadratic check took minutes.
    @Test func manyRanksValidateQuickly() {
        let names = (0..<100_000).map { "R\($0)" }
        var text = Fixtures.small(replacing: "ranks: [Constable, Sergeant]", with: "ranks: [Constable, Sergeant, \(names.joined(separator: ", "))]")
            .replacingOccurrences(of: "max_service: 10", with: "max_service: 1")
            .replacingOccurrences(of: "bands: [\"0-4\", \"5-9\"]", with: "bands: [\"0\"]")
            .replacingOccurrences(of: "Constable: [0.1, 0.05]", with: "Constable: [0.1]")
            .replacingOccurrences(of: "Sergeant: [0.05, 0.04]", with: "Sergeant: [0.05]\n" + names.map { "    \($0): [0.05]" }.joined(separator: "\n"))
            .replacingOccurrences(of: "min_service: 3", with: "min_service: 0")
        text = text.replacingOccurrences(of: "service: {\"0-4\": 0.6, \"5-9\": 0.4}", with: "service: {\"0\": 1}")
        let clock = ContinuousClock()
        let started = clock.now
        let report = Fixtures.problems(text)
        let elapsed = clock.now - started
        #expect(report == "loaded t without problems")
        #expect(elapsed < .seconds(60), "100,000 ranks took \(elapsed)")
    }
}
