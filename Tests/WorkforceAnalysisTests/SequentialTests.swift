import Foundation
import Testing
import Workforce
import WorkforceAnalysis
import _WorkforceTestSupport

/// Runs the sequential test on Bernoulli(p) outcomes drawn from GSL (taus2, keyed by `seed` and
/// the sequence), looking at every checkpoint up to `cap` as `SequentialRun` does. Returns each
/// sequence's decision and the outcomes it used.
private func sequences(
    p: Double, level: Double, errorRate: Double, cap: Int, count: Int, seed: UInt64
) throws -> [(decision: SequentialTest.Decision, used: Int)] {
    let ends = SequentialRun.checkpoints(cap: cap)
    return try (0..<count).map { k in
        let stream = try RandomStream(key: .replication(master: seed, k))
        var test = SequentialTest(level: level, errorRate: errorRate)
        var done = 0
        for end in ends {
            var successes = 0
            for _ in done..<end where stream.uniform() < p { successes += 1 }
            test.add(successes: successes, trials: end - done)
            done = end
            if test.decision != .undecided { return (test.decision, done) }
        }
        return (.undecided, done)
    }
}

@Suite struct SequentialTests {
    /// At the boundary (p = p*, where "below" is the wrong verdict) and just under it (p = p* −
    /// 0.01, where "at least" is), with a look at every checkpoint to 2,000: the share of wrong
    /// settled verdicts is at most the stated error rate, within 4 standard errors of 1,000
    /// sequences. (Testing at every checkpoint with a fixed-sample 95% interval instead would be
    /// wrong far more often: repeated looks inflate its error.)
    @Test func settledVerdictsAreWrongAtMostAtTheErrorRate() throws {
        let alpha = 0.05, count = 1000
        let bound = alpha + 4 * (alpha * (1 - alpha) / Double(count)).squareRoot()
        let atLevel = try sequences(p: 0.8, level: 0.8, errorRate: alpha, cap: 2000, count: count, seed: 11)
        let wrongBelow = Double(atLevel.filter { $0.decision == .below }.count) / Double(count)
        #expect(wrongBelow <= bound, "P(settled below | p = p*) = \(wrongBelow)")
        let under = try sequences(p: 0.79, level: 0.8, errorRate: alpha, cap: 2000, count: count, seed: 12)
        let wrongAtLeast = Double(under.filter { $0.decision == .atLeast }.count) / Double(count)
        #expect(wrongAtLeast <= bound, "P(settled at least | p = p* − 0.01) = \(wrongAtLeast)")
        // The same looks with a fixed-sample z-test at each (|p̂ − p*| > 1.96 SE) are wrong more
        // often than the rate they state: the reason for the mixture test.
        let naive = try (0..<count).filter { k in
            let stream = try RandomStream(key: .replication(master: 11, k))
            var successes = 0, done = 0
            for end in SequentialRun.checkpoints(cap: 2000) {
                for _ in done..<end where stream.uniform() < 0.8 { successes += 1 }
                done = end
                if (Double(successes) / Double(done) - 0.8) / (0.16 / Double(done)).squareRoot() < -1.96 { return true }
            }
            return false
        }.count
        #expect(Double(naive) / Double(count) > 0.025 + 4 * (0.025 * 0.975 / Double(count)).squareRoot())
    }

    /// Far from the level the verdict settles in a few batches; a probability much nearer the
    /// level than one standard error at the cap runs to the cap undecided.
    @Test func farPointsStopEarlyAndNearPointsRunToTheCap() throws {
        let far = try sequences(p: 0.5, level: 0.8, errorRate: 0.01, cap: 2000, count: 200, seed: 13)
        #expect(far.allSatisfy { $0.decision == .below && $0.used <= 135 })
        let near = try sequences(p: 0.8, level: 0.8, errorRate: 0.01, cap: 2000, count: 200, seed: 14)
        #expect(near.filter { $0.decision == .undecided && $0.used == 2000 }.count >= 190)
    }

    /// `SequentialRun` on the engine: a point whose P(met) is far from the level uses fewer
    /// replications than the cap, with the verdict the full run gives; a point whose P(met) at
    /// the cap is the level uses the cap. Common random numbers: the replications a stopped
    /// point used are replications 0 ..< n of the full run (same P(met) over them).
    @Test func enginePointsStopWhenSettled() throws {
        let cap = 400
        let met: (ReplicationRecord) -> Bool? = { r in r.targetValues[0].isNaN ? nil : r.targetValues[0] >= 0.25 }
        // Recruit share 0.44 reaches 25% in 8 years in expectation (0.44 r + 0.056 = 0.25): met about half the time.
        let model = oneRankModel(recruitShare: 0.44, replications: cap)
        let plan = Plan(model)
        let full = try Engine.run(model, .init(replications: cap, seed: model.timeline.seed, threads: 2))
        let metAll = (0..<cap).map { met(full.record($0))! }
        let pFull = Double(metAll.filter { $0 }.count) / Double(cap)
        #expect(pFull > 0.2 && pFull < 0.8)

        let settled = try SequentialRun.assess(plan, .init(replications: cap, seed: model.timeline.seed, threads: 2), level: 0.95, errorRate: 0.01, met: met)
        #expect(settled.decision == .below)
        #expect(!settled.meets)
        #expect(settled.replications < cap)
        #expect(settled.probability == Double(metAll[..<settled.replications].filter { $0 }.count) / Double(settled.replications))

        let near = try SequentialRun.assess(plan, .init(replications: cap, seed: model.timeline.seed, threads: 2), level: pFull, errorRate: 0.01, met: met)
        #expect(near.decision == .undecided)
        #expect(near.replications == cap)
        #expect(near.probability == pFull)
        #expect(near.meets)

        let fixed = try SequentialRun.assess(plan, .init(replications: cap, seed: model.timeline.seed, threads: 1), level: 0.95, errorRate: nil, met: met)
        #expect(fixed.replications == cap && fixed.probability == pFull && fixed.decision == .undecided)
    }
}
