import _CGSL

/// A key naming one random substream: a 64-bit value from which a generator's whole state is
/// set (see `RandomStream.init(key:)`). Keys are derived, never stored: the same names give the
/// same key on every machine and thread count.
///
/// Layout (docs/engine.md, "Randomness and reproducibility"): a run's master seed and a
/// replication number give the replication's key; a `Purpose` with up to three small indices
/// (`step`, `a`, `b`) or a text label give a substream of it. Distinct names give distinct keys
/// by construction (bijections of packed fields), except where a field exceeds its width.
public struct StreamKey: Sendable, Hashable {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// What a substream is for. Raw values are part of the stream layout: never renumber a
    /// case; a new use takes a new raw value (other modules may use `.custom` with a label).
    public enum Purpose: UInt8, Sendable, CaseIterable {
        /// One draw per uncertain model parameter, labelled by its field path.
        case parameter = 1
        /// Leavers of one block: step, rank, (band × groups + first group of the block).
        case leaving = 2
        /// Promotions by rate out of one block: step, rank promoted into, first group of the block.
        case promotionByRate = 3
        /// Vacancy filling into one rank: step, rank.
        case promotionByVacancy = 4
        /// Women / men (gender split) of one intake: step, intake.
        case intakeGender = 5
        /// Ethnicity split of one intake's recruits of one gender: step, intake, gender.
        case intakeEthnicity = 6
        /// Latin hypercube sampling for sweeps (from the master seed, not a replication).
        case sampling = 7
        /// One year's deviation of one number that varies from year to year, labelled by the
        /// number's field path and the simulation year (YearToYear.swift).
        case yearToYear = 8
        /// Transfers out of one block: step, rank, (first year of service × groups + first group
        /// of the block), as `leaving`.
        case transfersOut = 9
        /// One year's step of the wandering level of a number with `drift` (YearToYear.swift),
        /// labelled by the number's field path and the simulation year (from 1).
        case drift = 10
        /// Applicants of one group passing one funnel stage: step, intake, stage × groups + group.
        case funnelStage = 16
        /// The intake taken from a funnel's passers when more pass than are needed: step, intake.
        case funnelSelection = 17
        /// Promotion by pass rate into one rank, one group's applicants and then passers: step,
        /// rank promoted into, group.
        case promotionApplicants = 18
        /// The promotions taken from the passers when more pass than there are vacancies: step, rank.
        case promotionPassers = 19
        /// Which of a group's eligible officers are the ones promoted: step, rank, group.
        case promotionChosen = 20
        /// Anything else, named by a label (e.g. a helper module's own stream).
        case custom = 255
    }

    /// The key of replication `replication` of a run with master seed `master`:
    /// `mix(mix(master) XOR replication)`, with `mix` the SplitMix64 finaliser (a bijection of
    /// 64-bit words). For one master seed it is injective in the replication; replications `i`
    /// and `j` of master seeds `a ≠ b` share a key only if `mix(a) XOR mix(b) = i XOR j`, so two
    /// runs of `n` replications can overlap only when `mix(a)` and `mix(b)` agree in all but their
    /// lowest ⌈log₂ n⌉ bits (`RandomStream.runsMayOverlap`), never by being shifted copies.
    public static func replication(master: UInt64, _ replication: Int) -> StreamKey {
        StreamKey(mix(mix(master) ^ UInt64(truncatingIfNeeded: replication)))
    }

    /// The substream of this key for `purpose` at `step` with indices `a`, `b` (each taken
    /// modulo its width: step 24 bits, a and b 16 bits each, ample for any valid scenario).
    @inline(__always)
    public func substream(_ purpose: Purpose, step: Int = 0, _ a: Int = 0, _ b: Int = 0) -> StreamKey {
        let packed = UInt64(purpose.rawValue) << 56  // checked: a UInt8 raw value, widened
            | (UInt64(truncatingIfNeeded: step) & 0xFF_FFFF) << 32
            | (UInt64(truncatingIfNeeded: a) & 0xFFFF) << 16
            | (UInt64(truncatingIfNeeded: b) & 0xFFFF)
        return StreamKey(Self.mix(value ^ Self.mix(packed)))
    }

    /// The substream of this key for `purpose` named by `label` (e.g. a parameter's field path),
    /// so that what a draw is for, not its position, chooses its numbers.
    public func substream(_ purpose: Purpose, label: String) -> StreamKey {
        substream(purpose, labelHash: Self.fnv1a(label))
    }

    /// As `substream(_:label:)`, with the label's hash (`StreamKey.fnv1a`) computed once.
    @inline(__always)
    public func substream(_ purpose: Purpose, labelHash: UInt64) -> StreamKey {
        StreamKey(Self.mix(value ^ Self.mix(UInt64(purpose.rawValue) << 56 ^ Self.mix(labelHash))))  // checked: a UInt8 raw value, widened
    }

    /// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijection of 64-bit words that
    /// spreads nearby inputs apart.
    @inline(__always)
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The 64-bit FNV-1a hash of a string's UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }  // checked: a UInt8, widened
        return h
    }
}

/// A GSL taus2 generator (L'Ecuyer's maximally equidistributed combined Tausworthe generator,
/// period ≈ 2^88) whose state is set from a `StreamKey`: one object per thread, re-keyed for
/// every substream (about 10 ns), so that each draw's numbers depend on what it is for, not on
/// how many numbers were used before it.
///
/// Not thread-safe and not meant to be: each replication owns its generator.
public final class RandomStream {
    let rng: UnsafeMutablePointer<gsl_rng>

    /// A generator positioned at the start of substream `key`.
    public init(key: StreamKey) throws(EngineError) {
        GSL.quiet()
        guard let rng = gsl_rng_alloc(workforce_rng_taus2()) else { throw .randomNumberGenerator }
        self.rng = rng
        guard workforce_taus2_set_state(rng, 1, 1, 1) == 1 else { throw .randomNumberGenerator }
        rekey(key)
    }

    deinit { gsl_rng_free(rng) }

    /// Moves the generator to the start of substream `key`: the three 32-bit state words are the
    /// key's two halves and the low half of its SplitMix64 image (forbidden small values raised
    /// as GSL does).
    @inline(__always)
    public func rekey(_ key: StreamKey) { handle.rekey(key) }

    /// The generator itself, for a loop that must not retain the stream once per draw (the
    /// engine's exits): valid while the stream lives.
    var handle: Handle { Handle(rng: rng) }

    /// `RandomStream`'s draws on its GSL generator, as a plain value (no reference counting).
    struct Handle {
        let rng: UnsafeMutablePointer<gsl_rng>

        /// `RandomStream.rekey`.
        @inline(__always) func rekey(_ key: StreamKey) {
            let k = key.value, extra = StreamKey.mix(k)
            _ = workforce_taus2_set_state(rng, UInt32(truncatingIfNeeded: k), UInt32(truncatingIfNeeded: k >> 32), UInt32(truncatingIfNeeded: extra))
        }

        /// `RandomStream.index(below:)`.
        @inline(__always) func index(below n: Int) -> Int {
            Int(gsl_rng_uniform_int(rng, UInt(min(max(1, n), 0xFFFF_FFFF))))  // checked: the argument is clamped to 1...2^32−1; the draw is below it
        }

        /// `RandomStream.binomial`.
        @inline(__always) func binomial(_ p: Double, _ n: Int) -> Int {
            Int(gsl_ran_binomial(rng, p, UInt32(clamping: n)))  // checked: UInt32(clamping:) cannot trap; the draw is at most n
        }
    }

    /// Whether runs of `replications` replications with master seeds `a` and `b` could share a
    /// replication's key (see `StreamKey.replication`): false means they cannot, by construction.
    public static func runsMayOverlap(_ a: UInt64, _ b: UInt64, replications: Int) -> Bool {
        guard a != b else { return true }
        let bits = UInt64(max(1, replications - 1)).bitWidth - UInt64(max(1, replications - 1)).leadingZeroBitCount  // checked: max(1, …) is positive
        return (StreamKey.mix(a) ^ StreamKey.mix(b)) >> UInt64(bits) == 0  // checked: bits is a bit count, 0...64
    }

    /// The largest replication count a run accepts (replication numbers are 32-bit in records).
    static let maxReplications = Int(Int32.max)  // checked: a constant that fits Int

    /// A uniform double in [0, 1).
    @inline(__always) public func uniform() -> Double { gsl_rng_uniform(rng) }

    /// A uniform integer in `0 ..< n`, `n ≥ 1` (n above taus2's range 2^32 is clamped to it).
    @inline(__always) func index(below n: Int) -> Int { handle.index(below: n) }

    /// A Binomial(n, p) draw (n clamped to 0 ... 2^32 − 1).
    @inline(__always) func binomial(_ p: Double, _ n: Int) -> Int { handle.binomial(p, n) }

    /// A multinomial split of `n` over `k` `probabilities` (which need not sum to one) into
    /// `counts` (GSL draws it as successive conditional binomials).
    @inline(__always)
    func multinomial(_ n: Int, _ probabilities: UnsafePointer<Double>, _ counts: UnsafeMutablePointer<UInt32>, _ k: Int) {
        gsl_ran_multinomial(rng, k, UInt32(clamping: n), probabilities, counts)
    }

    /// A Hypergeometric draw: how many of `t` taken without replacement from `n1` marked and `n2`
    /// unmarked items are marked (counts clamped to 0 ... 2^32 − 1).
    @inline(__always) func hypergeometric(_ n1: Int, _ n2: Int, _ t: Int) -> Int {
        Int(gsl_ran_hypergeometric(rng, UInt32(clamping: n1), UInt32(clamping: n2), UInt32(clamping: t)))  // checked: clamped; the draw is at most t
    }

    /// One draw of a distribution truncated to `range`, by inversion: exactly one uniform per
    /// uncertain parameter (none for a fixed one), from the parameter's own substream.
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
            // The mass between the bounds from the tail the interval lies towards, so it does not
            // round to 0 (Φ(α) is 1 to double precision beyond α ≈ 8.3).
            let mass = alpha > 0
                ? gsl_cdf_ugaussian_Q(alpha) - gsl_cdf_ugaussian_Q(beta)
                : gsl_cdf_ugaussian_P(beta) - gsl_cdf_ugaussian_P(alpha)
            guard mass > 1e-300 else {
                // Beyond ~37 SDs: the truncated law sits at the bound nearer the mean.
                return alpha > 0 ? range.lowerBound : beta < 0 ? range.upperBound : mean
            }
            let x = mean + sd * (gsl_ran_ugaussian_pdf(alpha) - gsl_ran_ugaussian_pdf(beta)) / mass
            return min(max(x, range.lowerBound), range.upperBound)
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
            let alpha = (range.lowerBound - mean) / sd, beta = (range.upperBound - mean) / sd
            if alpha > 0 {
                // Upper tail: invert the survival function, whose values keep their precision there.
                let qa = gsl_cdf_ugaussian_Q(alpha), qb = gsl_cdf_ugaussian_Q(beta)
                x = qa > 0 ? mean + sd * gsl_cdf_ugaussian_Qinv(qa - (qa - qb) * p) : range.lowerBound
            } else {
                let pa = gsl_cdf_ugaussian_P(alpha), pb = gsl_cdf_ugaussian_P(beta)
                x = pb > 0 ? mean + sd * gsl_cdf_ugaussian_Pinv(pa + (pb - pa) * p) : range.upperBound
            }
        case .beta(let a, let b, let low, let high):
            x = low + (high - low) * Self.betaQuantile(p, a, b)
        case .triangular(let low, let mode, let high):
            let split = high > low ? (mode - low) / (high - low) : 0
            x = p < split
                ? low + ((high - low) * (mode - low) * p).squareRoot()
                : high - ((high - low) * (high - mode) * (1 - p)).squareRoot()
        }
        return x.isFinite ? min(max(x, range.lowerBound), range.upperBound) : range.lowerBound
    }

    /// The `p` quantile of the standard beta(a, b): GSL's inverse (`gsl_cdf_beta_Pinv`) where it
    /// converges; where it gives up (it returns NaN, e.g. for a = b = 10^4 at p = 0.001, for a = 1,
    /// b = 316 in the far tails, and for most p when a or b is below 0.03), the smallest double
    /// x in [0, 1] with `gsl_cdf_beta_P(x) ≥ p`, by bisection over the doubles' bit patterns
    /// (ordered as the values are for x ≥ 0): at most 64 CDF evaluations, exact to one ulp.
    /// Such draws were the range's lower end before (a silent wrong value); draws where GSL
    /// converges are unchanged. Cost: microseconds for shapes within `Limits.betaShape`; GSL's
    /// inverse does not finish for shapes of 10^6 and more, which validation refuses.
    static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        GSL.quiet()  // a failed inversion returns NaN rather than aborting, whoever calls first
        let x = gsl_cdf_beta_Pinv(p, a, b)
        if x.isFinite { return x }
        var low: UInt64 = 0, high = (1.0).bitPattern
        while low < high {
            let mid = low + (high - low) / 2
            if gsl_cdf_beta_P(Double(bitPattern: mid), a, b) < p { low = mid + 1 } else { high = mid }
        }
        return Double(bitPattern: low)
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
