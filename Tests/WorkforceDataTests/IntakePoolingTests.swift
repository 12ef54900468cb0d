import Foundation
import Testing
import WorkforceData
import _CGSL

/// Partial pooling of intake ethnicity shares (`IntakePooling`), against forces simulated from a
/// known law: recruits of three categories, the minorities' true shares `R_k t_f (1 + u_f)` with a
/// log-normal `1 + u` of relative variance `τ_k²`, and multinomial recruits.
@Suite struct IntakePoolingTests {
    static let names = ["Majority", "B", "C"]
    static let ratio = [0.0, 1.6, 0.9], tau = [0.0, 0.35, 0.5]

    /// `forces` simulated forces (seed `seed`): each unit as calibrate gives it (Jeffreys shares and
    /// binomial standard errors), and the true shares.
    static func simulate(forces: Int, seed: UInt64) -> [(unit: IntakePooling.Unit, truth: [Double])] {
        let rng = gsl_rng_alloc(workforce_rng_taus2())!
        defer { gsl_rng_free(rng) }
        gsl_rng_set(rng, UInt(seed))
        return (0..<forces).map { _ in
            let stockB = 0.01 + 0.14 * gsl_rng_uniform(rng), stockC = 0.005 + 0.06 * gsl_rng_uniform(rng)
            let stock = [1 - stockB - stockC, stockB, stockC]
            var truth = [0.0, 0, 0]
            for k in 1...2 {
                // 1 + u = exp(σz − σ²/2) with exp(σ²) − 1 = τ²: mean 1, variance τ².
                let sigma = log(1 + tau[k] * tau[k]).squareRoot()
                truth[k] = ratio[k] * stock[k] * exp(sigma * gsl_ran_ugaussian(rng) - sigma * sigma / 2)
            }
            truth[0] = 1 - truth[1] - truth[2]
            let recruits = 20 + gsl_rng_uniform_int(rng, 180)
            var counts = [UInt32](repeating: 0, count: 3)
            truth.withUnsafeBufferPointer { p in gsl_ran_multinomial(rng, 3, UInt32(recruits), p.baseAddress, &counts) }
            let n = Double(recruits) + 1.5
            let shares = counts.map { (Double($0) + 0.5) / n }
            return (IntakePooling.Unit(counts: counts.map(Double.init), shares: shares, se: shares.map { ($0 * (1 - $0) / (n + 1)).squareRoot() }, stock: stock), truth)
        }
    }

    /// The ratio and the relative between-force variance come back within 4 of their standard
    /// errors (the ratio's from its linearisation over the simulated forces), and the pooled
    /// shares are nearer the true shares than the raw estimates (smaller mean squared error).
    @Test func recoversTheLawAndPoolsTowardIt() {
        let forces = Self.simulate(forces: 600, seed: 20_051)
        let pooling = IntakePooling(units: forces.map(\.unit), names: Self.names, what: "simulated")
        #expect(pooling.units == forces.filter { $0.unit.recruits >= IntakePooling.minimumRecruits }.count)
        for k in 1...2 {
            let units = forces.map(\.unit)
            let denominator = units.reduce(0) { $0 + $1.recruits * $1.stock[k] }
            let ratioSE = units.reduce(0) { sum, u in
                let d = u.counts[k] - Self.ratio[k] * u.recruits * u.stock[k]
                return sum + d * d
            }.squareRoot() / denominator
            #expect(abs(pooling.ratio[k] - Self.ratio[k]) < 4 * ratioSE, "R = \(pooling.ratio[k]) ± \(ratioSE), true \(Self.ratio[k])")
            let tau2 = Self.tau[k] * Self.tau[k]
            #expect(abs(pooling.variance[k] - tau2) < 4 * pooling.varianceSE[k], "τ² = \(pooling.variance[k]) ± \(pooling.varianceSE[k]), true \(tau2)")
            #expect(pooling.varianceSE[k] < tau2 / 3)  // the test can tell τ² from 0
            func mse(_ shares: (IntakePooling.Unit) -> [Double]) -> Double {
                forces.reduce(0) { sum, f in let e = shares(f.unit)[k] - f.truth[k]; return sum + e * e } / Double(forces.count)
            }
            let raw = mse(\.shares), pooled = mse { pooling.pooled($0).shares }
            #expect(pooled < raw, "pooled MSE \(pooled), raw \(raw)")
        }
    }

    /// The posterior's limits: a share with no noise keeps its value, one with noise far above the
    /// forces' spread goes to `R t` with the prior's standard error, the shares sum to 1; fewer than `minimumUnits` forces pool nothing.
    @Test func poolsByTheNoiseOfEachShare() {
        let pooling = IntakePooling(units: Self.simulate(forces: 100, seed: 7).map(\.unit), names: Self.names, what: "simulated")
        let exact = IntakePooling.Unit(counts: [400, 75, 25], shares: [0.8, 0.15, 0.05], se: [0, 0, 0], stock: [0.9, 0.07, 0.03])
        #expect(pooling.pooled(exact).shares == exact.shares)
        let noisy = IntakePooling.Unit(counts: [400, 75, 25], shares: [0.8, 0.15, 0.05], se: [1e6, 1e6, 1e6], stock: [0.9, 0.07, 0.03])
        let target = (0..<3).map { pooling.ratio[$0] * noisy.stock[$0] }
        let total = target.reduce(0, +)
        let pooled = pooling.pooled(noisy)
        for (found, expected) in zip(pooled.shares, target) { #expect(abs(found - expected / total) < 1e-9) }
        // The se is the prior's: the forces' spread τ R t and the target's error t · se(R), rescaled with the shares.
        for k in 0..<3 {
            let t = noisy.stock[k], prior = pooling.variance[k] * target[k] * target[k] + t * t * pooling.ratioSE[k] * pooling.ratioSE[k]
            #expect(abs(pooled.se[k] - prior.squareRoot() / total) < 1e-6 * pooled.se[k], "\(k)")
        }
        #expect(abs(pooling.pooled(Self.simulate(forces: 1, seed: 3)[0].unit).shares.reduce(0, +) - 1) < 1e-12)
        let few = IntakePooling(units: Self.simulate(forces: IntakePooling.minimumUnits - 1, seed: 9).map(\.unit), names: Self.names, what: "few")
        let unit = Self.simulate(forces: 1, seed: 11)[0].unit
        #expect(few.pooled(unit).shares == unit.shares && few.source.hasPrefix("not pooled"))
    }
}
