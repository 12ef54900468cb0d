import Foundation
import Testing
import Workforce
import WorkforceAnalysis
import _WorkforceTestSupport

/// One rank of constant size N refilled each year: the majority leaves at w, the minority at
/// m·w (m = 1 is leaving parity), recruits are a share r minority. Then the minority share
/// follows s' = α s + r w with α = 1 − (1 − r) m w − r w, so after T years it is
/// s* + (s0 − s*) αᵀ with s* = r w / ((1 − r) m w + r w); at m = 1, r + (s0 − r)(1 − w)ᵀ.
private let (w, s0, years, threshold) = (0.07, 0.10, 8, 0.25)

private func analyticShare(r: Double, m: Double) -> Double {
    let alpha = 1 - (1 - r) * m * w - r * w
    let fixed = r * w / ((1 - r) * m * w + r * w)
    return fixed + (s0 - fixed) * pow(alpha, Double(years))
}

/// The recruit share at which the analytic share reaches the threshold, by bisection to 1e-12.
private func analyticBoundary(m: Double) -> Double {
    var lo = 0.0, hi = 1.0
    while hi - lo > 1e-12 {
        let mid = (lo + hi) / 2
        if analyticShare(r: mid, m: m) >= threshold { hi = mid } else { lo = mid }
    }
    return hi
}

private func oneRank(multiplier m: Double, recruitShare r: Double, replications: Int = 300) -> Model {
    oneRankModel(recruitShare: r, minorityLeaving: m, s0: s0, w: w, threshold: threshold, years: years, replications: replications)
}

@Suite struct FrontierTests {
    let levers = [
        Frontier.Lever(name: "leaving multiplier", range: 0.5...2.0, current: 1.3, cost: 0.1),
        Frontier.Lever(name: "recruit share", range: 0...1, current: 0.2, cost: 1),
    ]

    /// Expected value: every frontier point is on the analytic curve to the bisection tolerance,
    /// and the cheapest point is the grid point minimising the stated weighted change.
    @Test func expectedValueFrontierIsTheAnalyticCurve() throws {
        let tolerance = 1e-5
        let result = try Frontier.search(levers: levers, probability: 0.5, slices: 7, tolerance: tolerance, replications: 1) { x in
            let run = try Engine.run(oneRank(multiplier: x[0], recruitShare: x[1]), .init(replications: 1, seed: 1, expected: true))
            return TargetSummary.summarize(run)[0].probability
        }
        #expect(result.points.count == 7)
        for p in result.points {
            #expect(p.kind == .boundary)
            #expect(p.increasing)
            let exact = analyticBoundary(m: p.levers[0])
            #expect(abs(p.levers[1] - exact) <= tolerance, "m = \(p.levers[0]): \(p.levers[1]) vs \(exact)")
            #expect(p.bracket!.contains(exact))
        }
        // Lower minority leaving needs fewer minority recruits: the curve rises with m.
        #expect(zip(result.points, result.points.dropFirst()).allSatisfy { $0.levers[1] < $1.levers[1] })
        #expect(Frontier.tradeOffs(result).allSatisfy { ($0 ?? 0) > 0 })
        let costs = result.points.map { Frontier.cost(levers, $0.leastChange!) }
        #expect(result.cheapest == costs.indices.min { costs[$0] < costs[$1] })
        // By hand at m = 1: (0.25 − 0.1 · 0.93⁸) / (1 − 0.93⁸) = 0.44058.
        #expect(abs(analyticBoundary(m: 1) - 0.44058) < 1e-5)
    }

    /// Monte Carlo at P = 0.5: each frontier point is the median crossing, within the stated
    /// precision (the bracket plus 4 × its Monte Carlo error) of the analytic curve.
    @Test func monteCarloFrontierIsWithinItsStatedPrecision() throws {
        let n = 300
        let result = try Frontier.search(levers: levers, probability: 0.5, slices: 3, tolerance: 1e-3, replications: n) { x in
            let run = try Engine.run(oneRank(multiplier: x[0], recruitShare: x[1], replications: n), .init(replications: n, seed: 3, threads: 2))
            return TargetSummary.summarize(run)[0].probability
        }
        for p in result.points {
            let error = try #require(p.monteCarloError)
            #expect(error > 0 && error < 0.02)
            let exact = analyticBoundary(m: p.levers[0])
            #expect(abs(p.levers[1] - exact) <= 1e-3 + 4 * error, "m = \(p.levers[0]): \(p.levers[1]) vs \(exact) ± \(error)")
        }
    }

    /// A slice where the target is met throughout, or nowhere, is said so.
    @Test func slicesMetThroughoutOrNowhere() throws {
        let result = try Frontier.search(
            levers: [Frontier.Lever(name: "a", range: 0...1, current: 0), Frontier.Lever(name: "b", range: 0...1, current: 0.5)],
            probability: 0.5, slices: 3, tolerance: 1e-3, replications: 1
        ) { x in x[0] > 0.9 ? 1 : x[0] < 0.1 ? 0 : (x[1] >= 0.3 ? 1 : 0) }
        #expect(result.points.map(\.kind) == [.notMet, .boundary, .metThroughout])
        #expect(result.points[1].leastChange == [0.5, 0.5])
        #expect(result.points[2].leastChange == [1, 0.5])
        #expect(result.cheapest == 1)
    }
}
