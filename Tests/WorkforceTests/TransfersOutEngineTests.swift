import Foundation
import Testing
import _WorkforceTestSupport

@testable import Workforce

/// Transfers out (`Flow.transfersOut`): their own rates, substream and record, run by the same
/// exit code as leavers.
@Suite struct TransfersOutEngineTests {
    /// `richModel(replications: 40)` run on the code before transfers existed (commit f1c05ee):
    /// Monte Carlo, 40 replications, seed 7, 2 threads; and expected-value mode. The Monte Carlo one
    /// re-pinned for issue 19's "first met" (first-met steps only; TransfersOutTests says how checked).
    static let richFingerprint: UInt64 = 7_797_964_323_342_686_668
    static let richExpectedFingerprint: UInt64 = 244_415_376_887_960_086

    @Test func resultsWithoutTransfersAreAsBefore() throws {
        let model = richModel(replications: 40)
        #expect(try Engine.run(model, .init(replications: 40, seed: 7, threads: 2)).fingerprint == Self.richFingerprint)
        #expect(try Engine.run(model, .init(replications: 1, seed: 7, expected: true)).fingerprint == Self.richExpectedFingerprint)
        #expect(Plan(model).flows == [.joiners, .leavers, .promotions])
    }

    /// A zero transfer rate (with a multiplier and a service-selecting intervention on it) draws
    /// nothing and changes nothing else: bit-identical to the run before transfers existed.
    @Test func zeroTransfersLeaveEveryResultBitIdentical() throws {
        let model = richModel(replications: 40, transferRate: 0)
        let plan = Plan(model)
        #expect(plan.flows == [.joiners, .leavers, .promotions, .transfersOut])
        let mc = try Engine.run(model, .init(replications: 40, seed: 7, threads: 2))
        #expect(mc.fingerprint == Self.richFingerprint)
        #expect(try Engine.run(model, .init(replications: 1, seed: 7, expected: true)).fingerprint == Self.richExpectedFingerprint)
        for rep in 0..<40 {
            for year in 0..<plan.years {
                for r in 0..<plan.ranks {
                    for q in 0..<plan.groups { #expect(mc.flow(rep, year: year, .transfersOut, rank: r, group: q) == 0) }
                }
            }
        }
    }

    /// One rank, 1,000 officers per group, transfers at annual rate p (twice that for Minority),
    /// leaving at annual rate l drawn first each month, one year. Each officer transfers out
    /// within the year with probability π = Σₖ cᵏ (1 − a) b over the 12 months (a, b the monthly
    /// leaving and transfer probabilities, c = (1 − a)(1 − b)), independently, so transfers are
    /// Binomial(1000, π): Monte Carlo mean and variance within 4 SE; expected-value mode exact.
    @Test(arguments: [0.0, 0.08])
    func transfersAreBinomial(leaving l: Double) throws {
        let p = 0.1, n = 1000.0, replications = 4000
        var b = ModelBuilder(years: 1, step: .month, replications: replications, seed: 11)
        b.set(rank: 0, ethnicity: 0, service: 5, 1000)
        b.set(rank: 0, ethnicity: 1, service: 5, 1000)
        let leaving = b.uniformLeaving(l)
        let minority = b.selector(ethnicities: [1])
        let rate = b.parameter(p)
        let table = Leaving(bands: [0...59], rates: [[rate]], multipliers: [.init(selector: minority, factor: b.parameter(2))])
        let model = b.model(leaving: leaving, transfersOut: table)
        let mc = try Engine.run(model, .init(model, threads: 2))
        let ev = try Engine.run(model, .init(replications: 1, seed: 1, expected: true))
        for (group, annual) in [(0, p), (1, 2 * p)] {
            let a = Tables.stepProbability(annual: l, stepsPerYear: 12), t = Tables.stepProbability(annual: annual, stepsPerYear: 12)
            let c = (1 - a) * (1 - t)
            let pi = (1 - a) * t * (1 - pow(c, 12)) / (1 - c)
            let exact = n * pi, variance = n * pi * (1 - pi)
            #expect(abs(ev.flow(0, year: 0, .transfersOut, rank: 0, group: group) - exact) < 1e-9 * exact)
            let (mean, se, sampleVariance) = mc.meanAndError { mc.flow($0, year: 0, .transfersOut, rank: 0, group: group) }
            #expect(abs(mean - exact) < 4 * se, "group \(group): mean \(mean) against \(exact) ± \(se)")
            // SE of a sample variance: √((μ₄ − σ⁴(N−3)/(N−1))/N), μ₄ = nπ(1−π)(1 + 3(n−2)π(1−π)).
            let N = Double(replications)
            let mu4 = variance * (1 + 3 * (n - 2) * pi * (1 - pi))
            let varianceSE = ((mu4 - variance * variance * (N - 3) / (N - 1)) / N).squareRoot()
            #expect(abs(sampleVariance - variance) < 4 * varianceSE, "group \(group): variance \(sampleVariance) against \(variance) ± \(varianceSE)")
            // Transfers are not counted among leavers.
            let leavers = mc.meanAndError { mc.flow($0, year: 0, .leavers, rank: 0, group: group) }.mean
            #expect(l > 0 ? leavers > 0 : leavers == 0)
        }
    }

    /// One description: each flow once in the step order, exits before promotions before
    /// recruits; no two flows share a substream purpose.
    @Test func theDescriptionIsConsistent() {
        #expect(Set(Flow.stepOrder) == Set(Flow.allCases) && Flow.stepOrder.count == Flow.allCases.count)
        let position = { (f: Flow) in Flow.stepOrder.firstIndex(of: f)! }
        #expect(position(.leavers) < position(.transfersOut) && position(.transfersOut) < position(.promotions))
        #expect(position(.promotions) < position(.joiners) && Flow.stepOrder.last == .retirements)
        let purposes = Flow.allCases.flatMap { [$0.streams.first, $0.streams.second].compactMap { $0 } }
        #expect(Set(purposes).count == purposes.count)
        #expect(Flow.allCases.filter { $0.recordedAs == $0 }.map(\.name) == ["joiners", "leavers", "promotions", "transfers_out"])
    }
}
