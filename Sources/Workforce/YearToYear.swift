import Foundation
import _CGSL

/// How a model number varies from one simulation year to the next within a replication
/// (docs/engine.md, "Year-to-year variation"), around the value drawn for the replication `x`.
/// A year's deviation on the log (or logit, or log-ratio) scale is `d_t = σ z_t + W_t`: a
/// transient part `σ z_t` and a level that wanders, `W_t` (`drift`). In simulation year `t`
/// (0 = the first) the number is
/// - a size or factor (a range with no upper bound): `x · exp(d_t − σ²/2 − t δ²/2)`, a log-normal
///   multiplier whose mean is 1, so the yearly values average `x` (their median falls by
///   `t δ²/2` on the log scale: 0.4% after nine years at δ = 0.03);
/// - a probability (range `0...1`): `logistic(logit(x) + d_t)`, logit-normal (its median is `x`);
/// - a share of a vector of shares (`Shares`): the vector is re-weighted and renormalised,
///   `s_i,t = s_i w_i,t / Σ_j s_j w_j,t` with `w_i,t = exp(d_i,t)` for each share that varies and
///   `w = 1` for the others (the `rest` among them): an additive log-ratio (logistic-normal) law in
///   which each varying share's log ratio to the shares that do not vary moves by `σ z_t`. The
///   shares always sum to 1; a vector with one varying share `s` against the others is logit-normal,
///   `logistic(logit(s) + σ z_t)`, so `s` is its median (its mean lies nearer ½ by O(σ²));
///
/// where `z_t` is a stationary AR(1) series of standard normals: `z_1 ~ N(0, 1)`,
/// `z_t = ρ z_{t−1} + √(1 − ρ²) ε_t`, so consecutive years' deviations have correlation `ρ`
/// (`ρ = 0`: independent years), and `W_t` is a Gaussian random walk, `W_0 = 0`,
/// `W_t = W_{t−1} + δ η_t` with `η_t` independent standard normals, so `Var W_t = t δ²`: the
/// level's uncertainty grows with the horizon, where `σ z_t` stays as wide at eighteen years as at
/// one. The two parts are independent, so `Var d_t = σ² + t δ²`. Expected-value mode ignores the
/// variation (`x` every year).
public struct YearToYear: Sendable, Hashable {
    /// `σ`: the standard deviation of a year's transient deviation on the log (or logit) scale, ≥ 0.
    public var sd: Double
    /// `ρ`: the correlation of consecutive years' transient deviations, in `0..<1`.
    public var persistence: Double
    /// `δ`: the standard deviation of one year's step of the wandering level (the random walk
    /// `W_t`) on the same scale, ≥ 0; 0: the level does not wander.
    public var drift: Double

    public init(sd: Double, persistence: Double = 0, drift: Double = 0) {
        self.sd = sd
        self.persistence = persistence
        self.drift = drift
    }

    /// Whether the number varies at all (σ > 0 or δ > 0).
    public var varies: Bool { sd > 0 || drift > 0 }

    /// The value in simulation year `year` (0 = the first) whose transient deviation is `z` and
    /// wandering level `w` (`W_t`), for a quantity valid in `range` that is not a share (shares:
    /// `YearlyVariation`). With `δ = 0` and `w = 0` this is exactly the value without drift.
    @inlinable public func value(_ x: Double, z: Double, level w: Double = 0, year: Int = 0, range: ClosedRange<Double>) -> Double {
        if range.upperBound == 1 {
            guard x > 0 && x < 1 else { return x }
            let logit = log(x / (1 - x)) + sd * z + w
            return 1 / (1 + exp(-logit))
        }
        if drift == 0 { return x * exp(sd * z - sd * sd / 2) }
        return x * exp(sd * z - sd * sd / 2 + w - Double(year) * drift * drift / 2)
    }
}

/// The yearly values of the parameters that vary from year to year, in one replication. Each
/// year's deviation of each such parameter comes from its own keyed substream
/// (`StreamKey.Purpose.yearToYear`, labelled by the parameter's field path and the year), so
/// adding variation to one parameter changes no other draw, and none of the engine's own
/// streams. One generator per worker, re-keyed for every draw.
///
/// One exception: the gender shares by ethnicity of one intake (`gender_by_ethnicity`) move
/// together. Each gender's deviation is labelled by the intake and the gender, not by the
/// ethnicity, so every ethnicity's share of, say, women moves by the same `z_t` in a year (with its
/// own σ): a common shock, so that the intake's overall share of women varies with the σ given,
/// not by less, as independent vectors would make it (averaging over ethnicities). The intake's
/// own `gender` vector keeps its own label.
///
/// A parameter with `σ = 0` and `δ = 0` does not vary (its values are those drawn for the replication, bit for bit).
final class YearlyVariation {
    /// The parameters that vary; `isShare`: an entry of a share vector (its year's weight goes to
    /// `weight`, and the vector is renormalised).
    private let varying: [(index: Int, spec: YearToYear, range: ClosedRange<Double>, pathHash: UInt64, isShare: Bool)]
    /// The share vectors with at least one varying entry: each entry's parameter and fraction
    /// (nil parameter: the `rest`), and the distinct parameters of the vector.
    private let vectors: [(terms: [(parameter: Int?, fraction: Double)], parameters: [Int])]
    private var rng: RandomStream?
    private var key = StreamKey(0)
    private var z: [Double]
    /// The wandering level `W_t` of each varying parameter (0 where δ = 0).
    private var level: [Double]
    /// This year's weight `w` of each parameter (1 unless a varying share).
    private var weight: [Double]

    init(_ model: Model) {
        let parameters = model.parameters
        let varies = parameters.map { $0.yearToYear?.varies ?? false }
        var vectors: [(terms: [(parameter: Int?, fraction: Double)], parameters: [Int])] = []
        var shareParameters = Set<Int>()
        for shares in model.shareVectors {
            let terms = shares.entries.map { entry -> (parameter: Int?, fraction: Double) in
                switch entry {
                case .value(let p): (p.index, 1)
                case .part(let p, let fraction): (p.index, fraction)
                case .rest: (nil, 1)
                }
            }
            var distinct: [Int] = []
            for case let (p?, _) in terms where !distinct.contains(p) { distinct.append(p) }
            shareParameters.formUnion(distinct)
            if distinct.contains(where: { varies[$0] }) { vectors.append((terms, distinct)) }
        }
        self.vectors = vectors
        // The common gender shock: a gender's entries of every gender_by_ethnicity vector of an
        // intake (every dated entry) share one label.
        var label: [Int: UInt64] = [:]
        for (i, intake) in model.intakes.enumerated() {
            for vectors in intake.genderByEthnicity.values {
                for shares in vectors.entries.map(\.value) {
                    for (g, entry) in shares.entries.enumerated() {
                        switch entry {
                        case .value(let p), .part(let p, _): label[p.index] = StreamKey.fnv1a("recruitment[\(i)].gender_by_ethnicity.*[\(g)]")
                        case .rest: break
                        }
                    }
                }
            }
        }
        varying = parameters.enumerated().compactMap { i, p in
            guard varies[i], let spec = p.yearToYear else { return nil }
            return (i, spec, p.range, label[i] ?? StreamKey.fnv1a(p.path), shareParameters.contains(i))
        }
        z = Array(repeating: 0, count: varying.count)
        level = Array(repeating: 0, count: varying.count)
        weight = Array(repeating: 1, count: parameters.count)
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
    /// values drawn for the replication. Must be called for every year in order from 0 (the
    /// AR(1) part and the random walk carry from one year to the next).
    ///
    /// The transient part reads the `yearToYear` substream, the walk's step the `drift` substream,
    /// both labelled by the parameter's path and the year. A parameter with `δ = 0` draws nothing
    /// from `drift` and one with `σ = 0` nothing from `yearToYear`, so adding `drift` to a number
    /// moves none of its (or any other number's) existing draws, and a scenario without `drift`
    /// is bit-identical to one written before it existed.
    func advance(year: Int, base: [Double], into values: inout [Double]) {
        guard let rng else { return }
        for (k, v) in varying.enumerated() {
            let label = StreamKey.mix(v.pathHash ^ UInt64(truncatingIfNeeded: year))
            if v.spec.sd > 0 {
                rng.rekey(key.substream(.yearToYear, labelHash: label))
                let e = gsl_ran_ugaussian(rng.rng)
                let rho = v.spec.persistence
                z[k] = year == 0 ? e : rho * z[k] + (1 - rho * rho).squareRoot() * e
            }
            if v.spec.drift > 0 {
                if year == 0 {
                    level[k] = 0
                } else {
                    rng.rekey(key.substream(.drift, labelHash: label))
                    level[k] += v.spec.drift * gsl_ran_ugaussian(rng.rng)
                }
            }
            if v.isShare {
                weight[v.index] = exp(v.spec.sd * z[k] + level[k])
            } else {
                values[v.index] = v.spec.value(base[v.index], z: z[k], level: level[k], year: year, range: v.range)
            }
        }
        // Each varying vector renormalised: its parameters become `s_i w_i / Σ_j s_j w_j`, so the
        // rest (one minus the others, Tables) comes out as `s_rest / Σ_j s_j w_j`.
        for vector in vectors {
            var drawn = 0.0, total = 0.0
            for term in vector.terms {
                guard let p = term.parameter else { continue }
                drawn += base[p] * term.fraction
                total += base[p] * term.fraction * weight[p]
            }
            if vector.terms.contains(where: { $0.parameter == nil }) { total += max(0, 1 - drawn) }
            guard total > 0 else { continue }
            for p in vector.parameters { values[p] = base[p] * weight[p] / total }
        }
    }
}

extension ParameterSpec {
    /// The path that labels the parameter's once-per-replication draw: its field path, without
    /// the `.value` of the `{value, year_to_year, persistence}` form, so that adding (or removing)
    /// year-to-year variation leaves the value drawn for each replication as it was.
    public var streamPath: String {
        yearToYear != nil && path.hasSuffix(".value") ? String(path.dropLast(".value".count)) : path
    }
}

extension Model {
    /// Every vector of shares the model holds: each intake's ethnicity and gender shares (every
    /// dated entry, and the gender shares by ethnicity) and each intervention's intake shares.
    public var shareVectors: [Shares] {
        var result: [Shares] = []
        for intake in intakes {
            result += intake.ethnicity.entries.map(\.value) + intake.gender.entries.map(\.value)
            for e in intake.genderByEthnicity.keys.sorted() { result += intake.genderByEthnicity[e]!.entries.map(\.value) }
        }
        for intervention in interventions {
            if case .intakeShares(let ethnicity, let gender) = intervention.effect { result += [ethnicity, gender].compactMap { $0 } }
        }
        return result
    }
}
