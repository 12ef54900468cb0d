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

/// The yearly values of the parameters that vary from year to year, in one replication. Each
/// year's deviation of each such parameter comes from its own keyed substream
/// (`StreamKey.Purpose.yearToYear`, labelled by the parameter's field path and the year), so
/// adding variation to one parameter changes no other draw, and none of the engine's own
/// streams. One generator per worker, re-keyed for every draw.
final class YearlyVariation {
    private let varying: [(index: Int, spec: YearToYear, range: ClosedRange<Double>, pathHash: UInt64)]
    private var rng: RandomStream?
    private var key = StreamKey(0)
    private var z: [Double]

    init(_ parameters: [ParameterSpec]) {
        varying = parameters.enumerated().compactMap { i, p in p.yearToYear.map { (i, $0, p.range, StreamKey.fnv1a(p.path)) } }
        z = Array(repeating: 0, count: varying.count)
    }

    /// Whether any parameter varies.
    var isActive: Bool { !varying.isEmpty }

    /// Positions the variation at replication `replication` of master seed `seed`.
    func start(master seed: UInt64, replication: Int) throws(EngineError) {
        key = StreamKey.replication(master: seed, replication)
        if rng == nil { rng = try RandomStream(key: key) }
    }

    /// Draws the deviations of simulation year `year` (0 = the first) and writes the year's values
    /// of the varying parameters into `values` (the others are left as they are) from `base`, the
    /// values drawn for the replication.
    func advance(year: Int, base: [Double], into values: inout [Double]) {
        guard let rng else { return }
        for (k, v) in varying.enumerated() {
            rng.rekey(key.substream(.yearToYear, labelHash: StreamKey.mix(v.pathHash ^ UInt64(truncatingIfNeeded: year))))
            let e = gsl_ran_ugaussian(rng.rng)
            let rho = v.spec.persistence
            z[k] = year == 0 ? e : rho * z[k] + (1 - rho * rho).squareRoot() * e
            values[v.index] = v.spec.value(base[v.index], z: z[k], range: v.range)
        }
    }
}
