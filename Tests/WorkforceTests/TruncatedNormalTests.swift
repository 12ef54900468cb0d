import Foundation
import Testing
import Workforce

/// A normal truncated far in either tail: mean and quantiles from the tail functions, checked
/// against the closed form `μ + σ φ(α)/Q(α)` evaluated with libm's `erfc` (not GSL).
@Suite struct TruncatedNormalTests {
    /// The mean of N(μ, σ²) truncated to [lower, ∞), from libm: μ + σ φ(α) / Q(α), α = (lower − μ)/σ.
    static func upperTailMean(_ mu: Double, _ sigma: Double, lower: Double) -> Double {
        let alpha = (lower - mu) / sigma
        let phi = exp(-alpha * alpha / 2) / (2 * Double.pi).squareRoot()
        return mu + sigma * phi / (erfc(alpha / 2.squareRoot()) / 2)
    }

    @Test(arguments: [(-0.9, 0.1), (-2.0, 0.1), (-1.0, 0.5)])
    func upperTail(mean mu: Double, sd sigma: Double) {
        let exact = Self.upperTailMean(mu, sigma, lower: 0)
        let d = Distribution.normal(mean: mu, sd: sigma)
        #expect(abs(d.mean(in: 0...1e300) - exact) <= 1e-9 * exact, "\(d.mean(in: 0...1e300)) vs \(exact)")
        // Mirror image: truncated to (−∞, 0] from the lower tail.
        let mirrored = Distribution.normal(mean: -mu, sd: sigma)
        #expect(abs(mirrored.mean(in: -1e300...0) + exact) <= 1e-9 * exact)
        // The quantile function: increasing, inside the range, and its average over a fine grid of
        // probabilities (midpoint rule) is the mean.
        let n = 100_000
        let q = (0..<n).map { d.quantile((Double($0) + 0.5) / Double(n), in: 0...1e300) }
        #expect(q.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(zip(q, q.dropFirst()).allSatisfy { $0 <= $1 })
        let average = q.reduce(0, +) / Double(n)
        #expect(abs(average - exact) <= 1e-3 * exact, "\(average) vs \(exact)")
        let m = (0..<n).map { mirrored.quantile((Double($0) + 0.5) / Double(n), in: -1e300...0) }
        #expect(abs(m.reduce(0, +) / Double(n) + exact) <= 1e-3 * exact)
    }

    /// The audit's case: a leaving factor {normal: [-0.9, 0.1]}, truncated at 0, has mean ≈ 0.0108.
    @Test func auditedLeavingFactor() {
        let mean = Distribution.normal(mean: -0.9, sd: 0.1).mean(in: 0...1e300)
        #expect(abs(mean - 0.0108) < 0.0001)
        #expect(abs(mean - Self.upperTailMean(-0.9, 0.1, lower: 0)) < 1e-12)
    }
}
