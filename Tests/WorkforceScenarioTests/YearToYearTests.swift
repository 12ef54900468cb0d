import Foundation
import Testing
import Workforce
import WorkforceScenario

/// Year-to-year variation (`{value, year_to_year, persistence}`): the yearly values follow the
/// stated law, and nothing else changes.
struct YearToYearTests {
    static func scenario(size: String, leaving: String = "0") -> String {
        """
        dimensions: {ranks: [PC], ethnicities: [White], genders: [Male], max_service: 40}
        simulation: {start: 2020-03, horizon: 2030-03, step: year, replications: 2000, seed: 7}
        initial: {ranks: {PC: {headcount: 5000, ethnicity: {White: 1}, gender: {Male: 1}, service: {"0-9": 1}}}}
        leaving: {bands: ["0+"], rates: {PC: [\(leaving)]}}
        recruitment: [{size: {per_year: \(size)}, ethnicity: {White: 1}, gender: {Male: 1}}]
        """
    }

    static func joiners(_ text: String, expected: Bool = false) throws -> [[Double]] {
        let model = try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "").model
        let result = try Engine.run(model, .init(replications: 2000, seed: 7, threads: 2, expected: expected))
        let plan = result.plan
        return (0..<result.replications).map { rep in
            (0..<10).map { year in result.count(replication: rep, plan.flowIndex(year: year, flow: .joiners, rank: 0, group: 0)) }
        }
    }

    /// Intake 1000 a year, σ = 0.2, ρ = 0.6: in every year `ln J ~ N(ln 1000 − σ²/2, σ²)` (up to
    /// whole recruits), so `E J = 1000`; consecutive years' `ln J` correlate at ρ. Each within 4 SE.
    @Test func yearlyIntakeFollowsTheLaw() throws {
        let sigma = 0.2, rho = 0.6
        let draws = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: \(sigma), persistence: \(rho)}"))
        let n = Double(draws.count)
        for year in [0, 4, 9] {
            let j = draws.map { $0[year] }
            let mean = j.reduce(0, +) / n
            let sd = 1000 * (exp(sigma * sigma) - 1).squareRoot()
            #expect(abs(mean - 1000) < 4 * sd / n.squareRoot(), "year \(year): mean \(mean)")
            let logs = j.map { log($0) }
            let logMean = logs.reduce(0, +) / n
            let logVariance = logs.reduce(0) { $0 + ($1 - logMean) * ($1 - logMean) } / (n - 1)
            #expect(abs(logMean - (log(1000) - sigma * sigma / 2)) < 4 * sigma / n.squareRoot(), "year \(year): log mean \(logMean)")
            #expect(abs(logVariance - sigma * sigma) < 4 * sigma * sigma * (2 / (n - 1)).squareRoot(), "year \(year): log variance \(logVariance)")
        }
        for year in [0, 5] {
            let a = draws.map { log($0[year]) }, b = draws.map { log($0[year + 1]) }
            let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
            let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            let r = cov / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
            #expect(abs(r - rho) < 4 * (1 - rho * rho) / n.squareRoot(), "years \(year), \(year + 1): lag-1 correlation \(r)")
        }
        // Independent years: no correlation.
        let independent = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: \(sigma)}"))
        let a = independent.map { log($0[2]) }, b = independent.map { log($0[3]) }
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        let r = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            / (a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
        #expect(abs(r) < 4 / n.squareRoot(), "independent years: lag-1 correlation \(r)")
    }

    /// Variation draws from its own streams: with σ = 0 every other draw (leavers here) is what it is
    /// without the variation, bit for bit; expected-value mode ignores the variation.
    @Test func nothingElseChanges() throws {
        let plain = try Self.joiners(Self.scenario(size: "1000", leaving: "0.05"))
        let zero = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: 0}", leaving: "0.05"))
        #expect(plain == zero)
        let expectedPlain = try Self.joiners(Self.scenario(size: "1000", leaving: "0.05"), expected: true)
        let expectedVaried = try Self.joiners(Self.scenario(size: "{value: 1000, year_to_year: 0.3, persistence: 0.5}", leaving: "0.05"), expected: true)
        #expect(expectedPlain == expectedVaried)
    }

    /// Problems in the form are reported with their paths, all at once.
    @Test func badFormsAreReported() {
        let text = Self.scenario(size: "{value: 1000, year_to_year: -0.1, persistence: 1, spread: 2}")
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "") }
        do {
            _ = try ScenarioLoader.parse(text: text, file: "y2y.yaml", directory: "")
        } catch {
            let messages = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(messages.contains("recruitment[0].size.per_year.year_to_year: -0.1 is negative"))
            #expect(messages.contains("recruitment[0].size.per_year.persistence: 1 is outside 0..<1"))
            #expect(messages.contains("unknown key 'spread'"))
        }
    }
}
