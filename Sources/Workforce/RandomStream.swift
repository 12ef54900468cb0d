import _CGSL

/// The independent random streams of one replication, one per flow, so that two scenarios
/// run with the same seed use the same numbers for the same flow (common random numbers).
public enum Stream: Int, CaseIterable, Sendable {
    case parameters, leaving, promotion, recruitment
}

/// A GSL MT19937 generator owned by one replication of one flow.
///
/// Not thread-safe and not meant to be: each replication owns its streams.
final class RandomStream {
    let rng: UnsafeMutablePointer<gsl_rng>

    /// A generator seeded with `seed`, which must be in `1 ... 2^32 - 1` (GSL keeps 32 bits and
    /// treats 0 as its default seed 4357).
    init(seed: UInt32) throws(EngineError) {
        GSL.quiet()
        guard seed != 0, let rng = gsl_rng_alloc(workforce_rng_mt19937()) else {
            throw .randomNumberGenerator
        }
        gsl_rng_set(rng, UInt(seed))
        self.rng = rng
    }

    deinit { gsl_rng_free(rng) }

    /// The GSL seed of a stream: distinct for every (replication, stream) pair of one master
    /// seed, by construction (not by hashing), as long as `replication < Seeds.maxReplications`.
    ///
    /// `base` is a SplitMix64 hash of the master seed cut to 32 bits; the seed is
    /// `1 + (base + 4·replication + stream) mod (2^32 − 1)`, which never takes the aliasing value 0.
    static func seed(master: UInt64, replication: Int, stream: Stream) -> UInt32 {
        let base = UInt64(UInt32(truncatingIfNeeded: splitMix64(master)))
        let offset = UInt64(replication) &* UInt64(Stream.allCases.count) &+ UInt64(stream.rawValue)
        return UInt32(1 + (base &+ offset) % 0xFFFF_FFFF)
    }

    /// The largest number of replications whose stream seeds are all distinct.
    static let maxReplications = Int(0xFFFF_FFFE / UInt64(Stream.allCases.count))

    /// SplitMix64's finaliser (Steele, Lea and Flood 2014): spreads nearby master seeds apart.
    static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    @inline(__always) func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform integer in `0 ..< n`, `n ≥ 1`.
    @inline(__always) func index(below n: Int) -> Int {
        // gsl_rng_uniform_int needs n ≤ the generator's range (2^32 for MT19937).
        Int(gsl_rng_uniform_int(rng, UInt(n)))
    }

    /// A Binomial(n, p) draw.
    @inline(__always) func binomial(_ p: Double, _ n: Int) -> Int {
        Int(gsl_ran_binomial(rng, p, UInt32(n)))
    }

    /// A multinomial split of `n` over `probabilities` (which need not sum to one) into `counts`.
    func multinomial(_ n: Int, _ probabilities: UnsafePointer<Double>, _ counts: UnsafeMutablePointer<UInt32>, _ k: Int) {
        gsl_ran_multinomial(rng, k, UInt32(n), probabilities, counts)
    }

    /// One draw of a distribution truncated to `range`, by inversion: exactly one uniform per
    /// uncertain parameter (none for a fixed one), so two scenarios whose uncertain parameters
    /// come in the same order draw them from the same uniforms (common random numbers).
    func draw(_ distribution: Distribution, in range: ClosedRange<Double>) -> Double {
        if case .fixed(let v) = distribution { return min(max(v, range.lowerBound), range.upperBound) }
        return distribution.quantile(gsl_rng_uniform_pos(rng), in: range)
    }
}

extension Distribution {
    /// The mean of the distribution truncated to `range`: what expected-value mode uses.
    public func mean(in range: ClosedRange<Double>) -> Double {
        switch self {
        case .fixed(let v):
            return v
        case .uniform(let low, let high):
            return (low + high) / 2
        case .normal(let mean, let sd):
            let alpha = (range.lowerBound - mean) / sd
            let beta = (range.upperBound - mean) / sd
            let mass = gsl_cdf_ugaussian_P(beta) - gsl_cdf_ugaussian_P(alpha)
            guard mass > 1e-300 else { return min(max(mean, range.lowerBound), range.upperBound) }
            return mean + sd * (gsl_ran_ugaussian_pdf(alpha) - gsl_ran_ugaussian_pdf(beta)) / mass
        case .beta(let a, let b, let low, let high):
            return low + (high - low) * a / (a + b)
        case .triangular(let low, let mode, let high):
            return (low + mode + high) / 3
        }
    }
}

/// Process-wide GSL set-up.
enum GSL {
    /// Turns GSL's aborting error handler off (idempotent; GSL's handler is a C global
    /// that we only ever set to "off").
    static func quiet() { workforce_gsl_quiet() }

    /// The linked GSL's version, e.g. "2.7.1".
    static var version: String { String(cString: workforce_gsl_version()) }
}

/// Why a run could not complete.
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    case randomNumberGenerator
    case tooManyReplications(Int)
    case invalidThreads(Int)

    public var description: String {
        switch self {
        case .randomNumberGenerator:
            "GSL could not allocate a random number generator"
        case .tooManyReplications(let n):
            "\(n) replications is more than \(RandomStream.maxReplications), the most with distinct random streams"
        case .invalidThreads(let n):
            "threads must be at least 1, not \(n)"
        }
    }
}

extension Distribution {
    /// The `p` quantile of the distribution truncated to `range` (for sensitivity analysis).
    public func quantile(_ p: Double, in range: ClosedRange<Double>) -> Double {
        let x: Double
        switch self {
        case .fixed(let v):
            x = v
        case .uniform(let low, let high):
            x = low + p * (high - low)
        case .normal(let mean, let sd):
            let pa = gsl_cdf_ugaussian_P((range.lowerBound - mean) / sd)
            let pb = gsl_cdf_ugaussian_P((range.upperBound - mean) / sd)
            x = mean + sd * gsl_cdf_ugaussian_Pinv(pa + (pb - pa) * p)
        case .beta(let a, let b, let low, let high):
            x = low + (high - low) * gsl_cdf_beta_Pinv(p, a, b)
        case .triangular(let low, let mode, let high):
            let split = high > low ? (mode - low) / (high - low) : 0
            x = p < split
                ? low + ((high - low) * (mode - low) * p).squareRoot()
                : high - ((high - low) * (high - mode) * (1 - p)).squareRoot()
        }
        return x.isFinite ? min(max(x, range.lowerBound), range.upperBound) : range.lowerBound
    }

    /// The distribution of `factor × X`, for a factor > 0.
    public func scaled(by factor: Double) -> Distribution {
        switch self {
        case .fixed(let v): .fixed(v * factor)
        case .uniform(let low, let high): .uniform(low: low * factor, high: high * factor)
        case .normal(let mean, let sd): .normal(mean: mean * factor, sd: sd * factor)
        case .beta(let a, let b, let low, let high): .beta(a: a, b: b, low: low * factor, high: high * factor)
        case .triangular(let low, let mode, let high): .triangular(low: low * factor, mode: mode * factor, high: high * factor)
        }
    }
}
