import Foundation
import _CGSL

/// How a model number varies from one simulation year to the next within a replication
/// (docs/engine.md, "Year-to-year variation"), around the value drawn for the replication `x`:
/// in year `t` it is
/// - a size or factor (a range with no upper bound): `x · exp(σ z_t − σ²/2)`, a log-normal
///   multiplier whose mean is 1, so the yearly values average `x`;
/// - a probability (range `0...1`): `logistic(logit(x) + σ z_t)`, logit-normal (its median is `x`);
///
/// where `z_t` is a stationary AR(1) series of standard normals: `z_1 ~ N(0, 1)`,
/// `z_t = ρ z_{t−1} + √(1 − ρ²) ε_t`, so consecutive years' deviations have correlation `ρ`
/// (`ρ = 0`: independent years). Expected-value mode ignores the variation (`x` every year).
public struct YearToYear: Sendable, Hashable {
    /// `σ`: the standard deviation of a year's deviation on the log (or logit) scale.
    public var sd: Double
    /// `ρ`: the correlation of consecutive years' deviations, in `0..<1`.
    public var persistence: Double

    public init(sd: Double, persistence: Double = 0) {
        self.sd = sd
        self.persistence = persistence
    }

    /// The value in a year whose deviation is `z`, for a quantity valid in `range`.
    @inlinable public func value(_ x: Double, z: Double, range: ClosedRange<Double>) -> Double {
        if range.upperBound == 1 {
            guard x > 0 && x < 1 else { return x }
            let logit = log(x / (1 - x)) + sd * z
            return 1 / (1 + exp(-logit))
        }
        return x * exp(sd * z - sd * sd / 2)
    }
}

/// The yearly values of the parameters that vary from year to year, in one replication. Each such
/// parameter has its own GSL generator, seeded by SplitMix64 over (master seed, replication,
/// `purpose`, parameter index), so adding variation to one parameter changes no other draw, and
/// none of the engine's own streams. Allocates its generators once (per worker).
final class YearlyVariation {
    private let varying: [(index: Int, spec: YearToYear, range: ClosedRange<Double>)]
    private let generators: [UnsafeMutablePointer<gsl_rng>]
    private var z: [Double]

    /// Distinguishes these streams from every other use of the master seed.
    static let purpose: UInt64 = 0x5945_4152_5459_5259  // "YEARTYRY"

    init(_ parameters: [ParameterSpec]) {
        varying = parameters.enumerated().compactMap { i, p in p.yearToYear.map { (i, $0, p.range) } }
        generators = varying.map { _ in gsl_rng_alloc(workforce_rng_mt19937())! }
        z = Array(repeating: 0, count: varying.count)
    }

    deinit { generators.forEach { gsl_rng_free($0) } }

    /// Whether any parameter varies.
    var isActive: Bool { !varying.isEmpty }

    /// Seeds each parameter's generator for `replication`.
    func start(master seed: UInt64, replication: Int) {
        for (k, v) in varying.enumerated() {
            var x = Self.splitMix(seed ^ Self.purpose)
            x = Self.splitMix(x ^ UInt64(replication))  // checked: a replication number, never negative
            x = Self.splitMix(x ^ UInt64(v.index))  // checked: a parameter index, never negative
            gsl_rng_set(generators[k], UInt(x == 0 ? 1 : x))  // checked: UInt64 to UInt, the same width on 64-bit Linux
        }
    }

    /// Draws the deviations of simulation year `year` (0 = the first) and writes the year's values
    /// of the varying parameters into `values` (the others are left as they are) from `base`, the
    /// values drawn for the replication.
    func advance(year: Int, base: [Double], into values: inout [Double]) {
        for (k, v) in varying.enumerated() {
            let e = gsl_ran_ugaussian(generators[k])
            let rho = v.spec.persistence
            z[k] = year == 0 ? e : rho * z[k] + (1 - rho * rho).squareRoot() * e
            values[v.index] = v.spec.value(base[v.index], z: z[k], range: v.range)
        }
    }

    /// SplitMix64's output function (Steele, Lea & Flood 2014) applied to `x + golden gamma`.
    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
