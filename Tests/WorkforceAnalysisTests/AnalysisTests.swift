import Foundation
import Testing
import Workforce
import WorkforceAnalysis
import _WorkforceTestSupport

/// One rank (`oneRankModel`): the minority share after T years is r + (s0 − r)(1 − w)^T, so the
/// share of recruits needed to reach s_T is (s_T − s0·a)/(1 − a) with a = (1 − w)^T.
private func oneRank(recruitShare r: Double) -> Model { oneRankModel(recruitShare: r) }

@Suite struct SolverTests {
    let a = pow(1 - 0.07, 8.0)
    var exact: Double { (0.25 - 0.10 * a) / (1 - a) }

    /// Expected-value mode: P(met) is 0 or 1, and bisection finds the closed form to its tolerance.
    @Test func findsTheClosedFormInExpectedValueMode() throws {
        let solution = try Solver.solve(range: 0...1, probability: 0.5, tolerance: 1e-6) { r in
            let result = try Engine.run(oneRank(recruitShare: r), .init(replications: 1, seed: 1, expected: true))
            return TargetSummary.summarize(result)[0].probability
        }
        guard case .found(let value, let bracket) = solution.verdict else {
            Issue.record("no solution: \(solution.verdict)")
            return
        }
        #expect(solution.increasing)
        #expect(bracket.upperBound - bracket.lowerBound <= 1e-6)
        #expect(bracket.contains(exact))
        #expect(abs(value - exact) <= 1e-6)
        #expect(abs(exact - 0.44058) < 1e-5)  // (0.25 − 0.1 · 0.93⁸) / (1 − 0.93⁸), by hand
    }

    /// Monte Carlo: at probability 0.5 the answer is the median crossing, within the stated
    /// precision (bracket plus 4 × the Monte Carlo error from the slope) of the closed form.
    @Test func findsItWithinStatedPrecisionInMonteCarlo() throws {
        let n = 400
        let solution = try Solver.solve(range: 0.2...0.5, probability: 0.5, tolerance: 1e-4) { r in
            let result = try Engine.run(oneRank(recruitShare: r), .init(replications: n, seed: 3, threads: 2))
            return TargetSummary.summarize(result)[0].probability
        }
        guard case .found(let value, _) = solution.verdict, let slope = solution.slope else {
            Issue.record("no solution or slope: \(solution.verdict)")
            return
        }
        let p = solution.probabilityAtAnswer
        let mcError = (p * (1 - p) / Double(n)).squareRoot() / abs(slope)
        #expect(mcError > 0 && mcError < 0.02)
        #expect(abs(value - exact) <= 1e-4 + 4 * mcError, "\(value) vs \(exact) ± \(mcError)")
    }

    @Test func verdictsAtTheBounds() throws {
        let never = Solver.solve(range: 0...1, probability: 0.8, tolerance: 0.01) { x in 0.3 * x }
        #expect(never.verdict == .notMet(bestBound: 1, bestProbability: 0.3))
        let always = Solver.solve(range: 0...1, probability: 0.8, tolerance: 0.01) { _ in 0.9 }
        #expect(always.verdict == .metThroughout(bound: 0))
        // Decreasing effect: the largest value that still reaches the probability.
        let down = Solver.solve(range: 0...1, probability: 0.5, tolerance: 1e-6) { x in x < 0.3 ? 1 : 0 }
        guard case .found(let value, _) = down.verdict else {
            Issue.record("\(down.verdict)")
            return
        }
        #expect(!down.increasing)
        #expect(value < 0.3 && value > 0.3 - 1e-6)
    }
}

@Suite struct ComparisonTests {
    /// On common random numbers the paired difference varies less than the difference of two
    /// independent runs, and `independentSD` estimates the latter.
    @Test func pairingSharpensTheComparison() throws {
        let a = oneRank(recruitShare: 0.30), b = oneRank(recruitShare: 0.34)
        let runA = try Engine.run(a, .init(replications: 400, seed: 11, threads: 2))
        let runB = try Engine.run(b, .init(replications: 400, seed: 11, threads: 2))
        let runIndependent = try Engine.run(b, .init(replications: 400, seed: 12, threads: 2))
        let paired = Comparison.compare([runA, runB])[0].measureDifference
        let unpaired = PairedDifference(runA.targetValues(0), runIndependent.targetValues(0))
        #expect(paired.sd < 0.5 * unpaired.sd, "paired \(paired.sd) vs independent \(unpaired.sd)")
        #expect(abs(paired.independentSD - unpaired.sd) < 0.25 * unpaired.sd)
        // Both estimate the same mean difference, the paired one more precisely.
        #expect(abs(paired.mean - unpaired.mean) < 4 * unpaired.standardError)
        #expect(paired.standardError < unpaired.standardError)
        #expect(paired.mean > 0)
    }
}

@Suite struct AttributionTests {
    /// Every replication: structure + Σ Shapley parts = total, and Σ one-at-a-time parts +
    /// interaction = g(all) − g(none).
    @Test func partsSumToTheTotalChange() throws {
        let model = richModel(step: .quarter, years: 4, replications: 60)
        let runs = try Attribution.combinations(of: Attribution.flows(in: model)).map { try Engine.run(Attribution.model(model, actual: $0), .init(model)) }
        #expect(Attribution.combinations(of: Attribution.flows(in: model))[7] == Set([Flow.joiners, .leavers, .promotions]))
        for t in model.targets.indices where model.targets[t].population == .officers {
            for i in 0..<60 {
                let g = runs.map { $0.targetValue(replication: i, target: t) }
                let parts = Attribution.Parts(g: g, start: 0.17)
                #expect(abs(parts.structure + parts.shapley.reduce(0, +) - parts.total) < 1e-12)
                #expect(abs(parts.oneAtATime.reduce(0, +) + parts.interaction - (g[7] - g[0])) < 1e-12)
            }
        }
        // The flows do differ by group here, so the parts are not trivially zero.
        let g0 = runs[0].targetValues(0), g7 = runs[7].targetValues(0)
        #expect(zip(g0, g7).contains { $0 != $1 })
    }

    /// With transfers out, attribution has a fourth flow (16 combinations): the parts still sum
    /// to the total, and transfers out, 1.5 times as likely for minorities, lower their share.
    @Test func transfersOutHaveTheirOwnPart() throws {
        let model = richModel(step: .quarter, years: 4, replications: 30, transferRate: 0.05)
        let flows = Attribution.flows(in: model)
        #expect(flows == [.joiners, .leavers, .promotions, .transfersOut] && flows.map(\.attribution) == ["recruitment", "leaving", "promotion", "transfers_out"])
        let runs = try Attribution.combinations(of: flows).map { try Engine.run(Attribution.model(model, actual: $0), .init(model)) }
        #expect(runs.count == 16)
        var transfersPart = 0.0
        for i in 0..<30 {
            let g = runs.map { $0.targetValue(replication: i, target: 0) }
            let parts = Attribution.Parts(g: g, start: 0.17)
            #expect(parts.shapley.count == 4)
            #expect(abs(parts.structure + parts.shapley.reduce(0, +) - parts.total) < 1e-12)
            transfersPart += parts.shapley[3] / 30
        }
        #expect(transfersPart < 0)
    }

    /// When only leaving differs by group and recruits already look like the workforce, the
    /// recruitment and promotion parts are exactly zero.
    @Test func flowsWithoutGroupDifferencesGetNothing() throws {
        var b = ModelBuilder(years: 5, step: .month, replications: 50, seed: 2)
        b.set(rank: 0, ethnicity: 0, service: 5, 8_000)
        b.set(rank: 0, ethnicity: 1, service: 2, 2_000)
        let base = b.uniformLeaving(0.08)
        let factor = b.parameter(1.4)
        let leaving = Leaving(bands: base.bands, rates: base.rates, multipliers: [.init(selector: b.selector(ethnicities: [1]), factor: factor)])
        let establishment = b.parameter(10_000)
        let intake = Intake(rank: 0, size: .fillToEstablishment, ethnicity: Dated(constant: b.shares([0.8, 0.2])), gender: Dated(constant: b.shares([1])))
        let target = Target(
            name: "minority", population: .officers, ranks: [true], group: b.selector(ethnicities: [1]), groupName: GroupName(ethnicity: "Minority"),
            comparison: .atLeast, threshold: 0.2, date: b.timeline.horizon)
        let model = b.model(leaving: leaving, establishment: [0: Dated(constant: establishment)], intakes: [intake], targets: [target])
        let runs = try Attribution.combinations(of: Attribution.flows(in: model)).map { try Engine.run(Attribution.model(model, actual: $0), .init(model)) }
        for i in 0..<50 {
            let parts = Attribution.Parts(g: runs.map { $0.targetValue(replication: i, target: 0) }, start: 0.2)
            #expect(parts.shapley[0] == 0 && parts.shapley[2] == 0)
            #expect(parts.shapley[1] < 0)  // minority officers leaving faster lowers their share
        }
    }
}

@Suite struct SensitivityTests {
    @Test func variantsScaleOrFixTheInput() {
        var b = ModelBuilder()
        _ = b.parameter(0.2)
        _ = b.parameter(0.0)
        _ = b.parameter(1.2, .triangular(low: 1, mode: 1.2, high: 1.5), range: 0...10)
        let leaving = b.uniformLeaving(0.05)
        let model = b.model(leaving: leaving)
        #expect(Sensitivity.candidates(model) == [0, 2, 3])
        let relative = Sensitivity.variants(of: model, parameter: 2, method: .relative, change: 0.1)
        #expect(abs(relative.lowValue - 0.9 * (1 + 1.2 + 1.5) / 3) < 1e-12 && abs(relative.highValue - 1.1 * (1 + 1.2 + 1.5) / 3) < 1e-12)
        let percentiles = Sensitivity.variants(of: model, parameter: 2, method: .percentiles, change: 0.1)
        #expect(percentiles.low.parameters[2].distribution == .fixed(Distribution.triangular(low: 1, mode: 1.2, high: 1.5).quantile(0.05, in: 0...10)))
        #expect(abs(percentiles.lowValue - (1 + (0.5 * 0.2 * 0.05).squareRoot())) < 1e-12)
        // A fixed input falls back to the relative change.
        #expect(Sensitivity.variants(of: model, parameter: 0, method: .percentiles, change: 0.1).high.parameters[0].distribution == .fixed(0.2 * 1.1))
        #expect(Sensitivity.candidates(model, matching: ["p2"]) == [2])
    }

    /// A path selects itself and what lies below it, never a sibling whose name merely starts
    /// the same way.
    @Test func pathsMatchWholeComponents() {
        var b = ModelBuilder()
        for path in ["recruitment[1].size", "recruitment[10].size", "recruitment[1]", "leaving.rates.Constable[0]", "leaving.ratesX"] {
            b.parameters.append(ParameterSpec(path: path, distribution: .fixed(0.5), range: 0...1))
        }
        let model = b.model(leaving: b.uniformLeaving(0.05))
        #expect(Sensitivity.candidates(model, matching: ["recruitment[1]"]) == [0, 2])
        #expect(Sensitivity.candidates(model, matching: ["recruitment[10]"]) == [1])
        #expect(Sensitivity.candidates(model, matching: ["leaving.rates"]) == [3])
    }

    /// Raising the minority share of recruits raises the minority share of officers.
    @Test func effectsHaveTheRightSign() throws {
        let model = oneRank(recruitShare: 0.3)
        let options = Engine.Options(replications: 100, seed: 4, threads: 2)
        let minorityShare = model.parameters.firstIndex { $0.distribution == .fixed(0.3) }!
        let v = Sensitivity.variants(of: model, parameter: minorityShare, method: .relative, change: 0.1)
        let effects = Sensitivity.effects(
            parameter: "share", lowValue: v.lowValue, highValue: v.highValue, baseline: try Engine.run(model, options),
            low: try Engine.run(v.low, options), high: try Engine.run(v.high, options))
        #expect(effects[0].low.mean < 0 && effects[0].high.mean > 0)
        #expect(effects[0].swing > 0.01)
    }
}
