import Foundation
import Testing
@testable import Workforce

/// Draws at each distribution's stated limits (docs/scenario-format.md, Limits; issue 20 case 3)
/// are finite, inside their range, monotone in the uniform, exact where the quantile has a closed
/// form, and quick: every value below is drawn in well under a second in all.
@Suite struct DistributionLimitTests {
    /// Uniforms from the extremes `gsl_rng_uniform_pos` can return (2^-32 and 1 - 2^-32) through the middle.
    static let uniforms = [0x1p-32, 1e-9, 1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6, 1 - 0x1p-32]
    static let shapes = [0.001, 1, 100_000]  // Limits.betaShape's ends, and 1

    @Test func betaAtItsLimits() {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for a in Self.shapes {
                for b in Self.shapes {
                    let d = Distribution.beta(a: a, b: b, low: 0, high: 1)
                    let x = Self.uniforms.map { d.quantile($0, in: 0...1) }
                    #expect(x.allSatisfy { $0.isFinite && (0...1).contains($0) }, "beta(\(a), \(b)): \(x)")
                    #expect(zip(x, x.dropFirst()).allSatisfy { $0 <= $1 }, "beta(\(a), \(b)) not monotone: \(x)")
                }
            }
        }
        #expect(elapsed < .seconds(1), "\(elapsed)")
    }

    /// beta(a, 1) has quantile p^(1/a) and beta(1, b) has 1 - (1 - p)^(1/b): exact answers at
    /// the limits, where GSL's own inverse returns NaN for many p (the draw was the range's end).
    @Test func betaQuantilesAreExactWhereKnown() {
        for shape in [0.001, 0.03, 316.0, 100_000] {
            for p in Self.uniforms {
                let lower = Distribution.beta(a: shape, b: 1, low: 0, high: 1).quantile(p, in: 0...1)
                let upper = Distribution.beta(a: 1, b: shape, low: 0, high: 1).quantile(p, in: 0...1)
                let exactLower = pow(p, 1 / shape), exactUpper = -expm1(log1p(-p) / shape)
                #expect(abs(lower - exactLower) <= 1e-9 * max(exactLower, 1e-300) + 1e-300, "beta(\(shape), 1) at \(p): \(lower) vs \(exactLower)")
                #expect(abs(upper - exactUpper) <= 1e-9 * max(exactUpper, 1e-300) + 1e-300, "beta(1, \(shape)) at \(p): \(upper) vs \(exactUpper)")
            }
        }
        // The symmetric beta at the largest shape: median 1/2, and q(p) = 1 - q(1 - p).
        let d = Distribution.beta(a: 100_000, b: 100_000, low: 0, high: 1)
        #expect(abs(d.quantile(0.5, in: 0...1) - 0.5) < 1e-12)
        for p in [0.001, 0.01, 0.1] { #expect(abs(d.quantile(p, in: 0...1) + d.quantile(1 - p, in: 0...1) - 1) < 1e-9) }
    }

    @Test func otherDistributionsAtTheirLimits() {
        let ranges: [ClosedRange<Double>] = [0...1, 0...2_147_483_647]
        for range in ranges {
            let distributions: [Distribution] = [
                .uniform(low: range.lowerBound, high: range.lowerBound), .uniform(low: range.lowerBound, high: range.upperBound),
                .triangular(low: range.lowerBound, mode: range.lowerBound, high: range.upperBound),
                .triangular(low: range.lowerBound, mode: range.upperBound, high: range.upperBound),
                .normal(mean: 0, sd: .leastNonzeroMagnitude), .normal(mean: 0, sd: .greatestFiniteMagnitude),
                .normal(mean: -.greatestFiniteMagnitude, sd: 1), .normal(mean: .greatestFiniteMagnitude, sd: 1),
            ]
            for d in distributions {
                let x = Self.uniforms.map { d.quantile($0, in: range) }
                #expect(x.allSatisfy { $0.isFinite && range.contains($0) }, "\(d) in \(range): \(x)")
                #expect(zip(x, x.dropFirst()).allSatisfy { $0 <= $1 }, "\(d) not monotone: \(x)")
                #expect(d.mean(in: range).isFinite && range.contains(d.mean(in: range)), "\(d): mean \(d.mean(in: range))")
            }
        }
    }
}
