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
            let meanVariance = pooling.varianceDraws[k].reduce(0, +) / Double(pooling.varianceDraws[k].count)
            let t = noisy.stock[k], prior = meanVariance * target[k] * target[k] + t * t * pooling.ratioSE[k] * pooling.ratioSE[k]
            #expect(abs(pooled.se[k] - prior.squareRoot() / total) < 1e-6 * pooled.se[k], "\(k)")
        }
        #expect(abs(pooling.pooled(Self.simulate(forces: 1, seed: 3)[0].unit).shares.reduce(0, +) - 1) < 1e-12)
        let few = IntakePooling(units: Self.simulate(forces: IntakePooling.minimumUnits - 1, seed: 9).map(\.unit), names: Self.names, what: "few")
        let unit = Self.simulate(forces: 1, seed: 11)[0].unit
        #expect(few.pooled(unit).shares == unit.shares && few.source.hasPrefix("not pooled"))
    }

    /// Forces that agree exactly with `R t` estimate the between-force variance below 0 (a point at 0
    /// would pool completely); its uncertainty is carried instead, so a large force whose own share
    /// differs keeps part of its evidence. The weight is checked against the exact average of
    /// `w(τ²) = τ²(Rt)²/(τ²(Rt)² + v)` over `N(τ̂², s²)` truncated at 0, by midpoint quadrature of its density.
    @Test func aVarianceAtZeroKeepsALargeForcesEvidence() {
        // Ten forces of 200 recruits whose minority counts are exactly twice their stock share.
        let units = (0..<10).map { f -> IntakePooling.Unit in
            let b = 0.02 + 0.01 * Double(f), c = 0.01
            let counts = [200 * (1 - 2 * b - 2 * c), 400 * b, 400 * c]
            let n = 201.5, shares = counts.map { ($0 + 0.5) / n }
            return IntakePooling.Unit(counts: counts, shares: shares, se: shares.map { ($0 * (1 - $0) / (n + 1)).squareRoot() }, stock: [1 - b - c, b, c])
        }
        let pooling = IntakePooling(units: units, names: Self.names, what: "agreeing")
        #expect(pooling.variance[1] == 0 && pooling.varianceSE[1] > 0, "\(pooling.variance[1]) ± \(pooling.varianceSE[1])")
        #expect(pooling.varianceDraws[1].count == IntakePooling.varianceQuantiles)
        // A large force (3,500 recruits) with 3.9% of category B against R t = 2.8%.
        let big = IntakePooling.Unit(
            counts: [3226, 137, 137], shares: [3226.5 / 3501.5, 137.5 / 3501.5, 137.5 / 3501.5],
            se: [0.0046, 0.0033, 0.0033], stock: [0.972, 0.014, 0.014])
        // The raw moment estimate (negative here) and its standard error, recomputed as the type does.
        func exactWeight(_ k: Int) -> Double {
            let r = pooling.ratio[k]
            let terms = units.filter { $0.recruits >= IntakePooling.minimumRecruits }.map { u -> (a: Double, b: Double) in
                let target = r * u.stock[k], d = u.counts[k] / u.recruits - target
                return (d * d - u.se[k] * u.se[k], target * target)
            }
            let b = terms.reduce(0) { $0 + $1.b }, tau2 = terms.reduce(0) { $0 + $1.a } / b
            let se = pooling.varianceSE[k]
            let target = r * big.stock[k], v = big.se[k] * big.se[k]
            guard se > 0 else {
                let x = max(0, tau2)
                return x * target * target + v > 0 ? x * target * target / (x * target * target + v) : 1
            }
            var weight = 0.0, mass = 0.0
            let top = max(0, tau2) + 12 * se, m = 200_000
            for i in 0..<m {
                let x = top * (Double(i) + 0.5) / Double(m)
                // Relative to the density's largest value on [0, ∞) (at max(0, τ̂²)), so it does not underflow.
                let peak = max(0, tau2)
                let density = exp(((peak - tau2) * (peak - tau2) - (x - tau2) * (x - tau2)) / (2 * se * se))
                weight += density * (x * target * target) / (x * target * target + v)
                mass += density
            }
            return weight / mass
        }
        let w = (0..<3).map(exactWeight)
        #expect(w[1] > 0.01, "the large force keeps a weight of \(w[1])")
        let targets = (0..<3).map { pooling.ratio[$0] * big.stock[$0] }
        let expected = (0..<3).map { w[$0] * big.shares[$0] + (1 - w[$0]) * targets[$0] }
        let total = expected.reduce(0, +)
        let pooled = pooling.pooled(big).shares
        for k in 0..<3 { #expect(abs(pooled[k] - expected[k] / total) < 2e-3 * expected[k] / total, "\(k): \(pooled[k]) against \(expected[k] / total)") }
        // A point at 0 would have pooled B completely: its share would be R t (before rescaling).
        #expect(pooled[1] > targets[1] / total + 0.0002, "\(pooled[1]) against R t \(targets[1] / total)")
    }
}
