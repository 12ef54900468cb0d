import Foundation
import Testing
import Workforce
import WorkforceScenario
@testable import WorkforceData

/// No impossible zeros (issue 19): a rank with no minority officers in the snapshots is given
/// promotion odds shrunk toward the pooled estimate, written so that a replication can promote the
/// first one (never a factor of 0, nor a law that piles at 0).
struct NoImpossibleZerosTests {
    /// Snapshots of a small force whose top rank C (9 or 10 officers) has no Minority officers in
    /// either year, while the rank below has 5.
    static let snapshots: [[[Double]]] = [
        [[300, 900, 3, 5], [40, 120, 2, 3], [1, 8, 0, 0]],
        [[302, 905, 3, 5], [41, 121, 2, 3], [1, 9, 0, 0]],
    ]

    @Test func aRankWithNoMinorityOfficersCanGainOne() throws {
        let c = Calibration(
            categories: CalibrationTests.categories, years: [2003, 2004], snapshots: Self.snapshots, assumedLeaving: [0.06, 0.06, 0.06])
        // The estimate is shrunk toward the pooled rate: not 0.
        let odds = c.odds(rank: 2, group: 3)
        #expect(odds.factor > 0.1, "\(odds)")
        let fragment = c.fragment(source: "hand-made")
        // Every odds factor written as a beta has a ≥ 1: a density finite at 0.
        let betas = fragment.split(separator: "\n").filter { $0.contains("factor: {beta: [") }
        #expect(!betas.isEmpty)
        for line in betas {
            let a = Double(line.split(separator: "[")[1].split(separator: ",")[0])!
            #expect(a >= 1, "\(line)")
        }
        let last = Self.snapshots[1]
        func marginal(_ name: String, _ n: [Double]) -> String {
            let total = n.reduce(0, +), minority = n[2] + n[3], female = n[0] + n[2]
            return "\(name): {headcount: \(Int(total)), ethnicity: {Majority: \(1 - minority / total), Minority: \(minority / total)}, "
                + "gender: {Female: \(female / total), Male: \(1 - female / total)}, service: {\"0-9\": 1}}"
        }
        let scenario = """
            dimensions: {ranks: [A, B, C], ethnicities: [Majority, Minority], genders: [Female, Male], max_service: 40}
            simulation: {start: 2004-03, horizon: 2007-03, step: year}
            initial: {ranks: {\(zip(["A", "B", "C"], last).map { marginal($0, $1) }.joined(separator: ", "))}}

            """ + fragment
        let model = try ScenarioLoader.parse(text: scenario, file: "zeros.yaml", directory: "").model
        let replications = 2000
        let result = try Engine.run(model, .init(replications: replications, seed: 19, threads: 2))
        let plan = result.plan
        func minority(_ rep: Int, report: Int, rank: Int) -> Double {
            result.count(replication: rep, plan.headcountIndex(report: report, rank: rank, group: 2))
                + result.count(replication: rep, plan.headcountIndex(report: report, rank: rank, group: 3))
        }
        // A year on, C has gained a Minority officer in a share of replications more than 4 binomial
        // standard errors from 0, as has B.
        func se(_ p: Double) -> Double { (p * (1 - p) / Double(replications)).squareRoot() }
        let gainedB = Double((0..<replications).filter { minority($0, report: 1, rank: 1) > 0 }.count) / Double(replications)
        let gainedC = Double((0..<replications).filter { minority($0, report: 1, rank: 2) > 0 }.count) / Double(replications)
        #expect(gainedB > 4 * se(gainedB), "B gained a Minority officer in \(gainedB) of replications")
        #expect(gainedC > 4 * se(gainedC), "C gained one in \(gainedC) of replications")
    }

    /// The law that piled at 0: Dyfed-Powys, 2003–04, a group with no officers given the pooled
    /// rate into Chief Superintendent, factor 2.08 with log standard error 1.755, was written
    /// `beta [0.317, 61.3, 0, 404]` (a factor below 0.05 in about a quarter of replications). Now
    /// `a = 1`, with the same mean and upper bound.
    @Test func anOddsFactorNeverPilesAtZero() throws {
        let text = Calibration.oddsFactor(2.08, logSE: 1.755)
        let numbers = text.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
        #expect(numbers.count == 4, "\(text)")
        #expect(numbers[0] == 1, "\(text)")
        #expect(abs(numbers[3] - 2.08 * exp(3 * 1.755)) < 1e-3 * numbers[3], "\(text)")
        #expect(abs(numbers[3] * numbers[0] / (numbers[0] + numbers[1]) - 2.08) < 1e-4, "mean: \(text)")
        // A factor so wide that a = 1 would need b beyond the accepted shapes (Derbyshire 2003–04 wrote
        // `beta [1, 2.09e76, 0, 6.23e78]`, and the scenario was refused): b at the limit, the mean kept.
        let wide = Calibration.oddsFactor(3.0, logSE: 60)
        let w = wide.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
        #expect(w.count == 4 && w[0] == 1 && w[1] == 100_000, "\(wide)")
        #expect(abs(w[3] * w[0] / (w[0] + w[1]) - 3.0) < 1e-4, "mean: \(wide)")
        // A narrower factor is written as before (a > 1 there).
        #expect(Calibration.oddsFactor(1.2, logSE: 0.3).hasPrefix("{beta: ["))
        #expect(!Calibration.oddsFactor(1.2, logSE: 0.3).hasPrefix("{beta: [1, "))
    }
}
