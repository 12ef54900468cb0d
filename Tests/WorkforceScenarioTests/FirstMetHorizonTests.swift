import Foundation
import Testing
import Workforce
import WorkforceScenario
import _WorkforceTestSupport

/// "First met" does not depend on where the run ends (issue 19): after its date a target counts as
/// first met only once it has been kept for `Target.keptForMonths`, dated at the end of that year,
/// so with the same draws whether and when a replication first meets it by 2030 is the same for
/// horizons 2030 and 2040.
struct FirstMetHorizonTests {
    static func firstMet(horizon: String) throws -> (steps: [[Int?]], plan: Plan) {
        let path = CLI.root.appendingPathComponent("Scenarios/example.yaml").path
        let model = try ScenarioLoader.load(path: path, overrides: ["simulation.horizon=\(horizon)"]).model
        let result = try Engine.run(model, .init(replications: 300, seed: 20211201, threads: 2))
        let steps = (0..<result.replications).map { rep in model.targets.indices.map { result.firstMet(replication: rep, target: $0) } }
        return (steps, result.plan)
    }

    @Test func firstMetBy2030IsTheSameForHorizons2030And2040() throws {
        let (short, plan) = try Self.firstMet(horizon: "2030-12")
        let (long, _) = try Self.firstMet(horizon: "2040-12")
        let end = plan.steps  // Dec 2030 in the short run (monthly steps)
        let names = plan.model.targets.map(\.name)
        let sergeants = try #require(names.firstIndex(of: "Black 3% of Sergeants by 2024"))
        for t in names.indices {
            let a = short.map { $0[t] }, b = long.map { $0[t].flatMap { $0 <= end ? $0 : nil } }
            #expect(a == b, "\(names[t]): first met by Dec 2030 differs between horizons 2030 and 2040")
        }
        // The test has teeth: some replications first meet the Sergeants target after its date
        // (March 2024 is step 27 from December 2021), and some first meet a target only after 2030.
        let afterDate = short.compactMap { $0[sergeants] }.filter { $0 > 27 }.count
        #expect(afterDate > 0, "no replication first met the Sergeants target after its date")
        #expect(long.contains { row in row.contains { ($0 ?? 0) > end } }, "no replication first met a target after 2030 in the long run")
    }

    /// After its date a target is first met only when kept for a whole year, and dated at that
    /// year's end: every such step is at least 12 monthly measurements after the date.
    @Test func afterItsDateATargetIsKeptForAYear() throws {
        let (short, plan) = try Self.firstMet(horizon: "2030-12")
        let sergeants = plan.model.targets.firstIndex { $0.name == "Black 3% of Sergeants by 2024" }!
        for step in short.compactMap({ $0[sergeants] }) where step > 27 {
            #expect(step >= 27 + Target.keptForMonths, "first met at step \(step), less than a year after the date")
            #expect(plan.reachedStep(target: sergeants, firstMet: step) == step - Target.keptForMonths + 1)
        }
    }
}
