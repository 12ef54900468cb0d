import _CGSL
import Foundation

/// Decides, as Bernoulli outcomes (replications meeting a target or not) arrive, whether their
/// probability `p` is at least a level `p*`, with a chance of a wrong decision of at most
/// `errorRate` whatever `p` is and however often the decision is looked at (docs/analysis.md,
/// "Answers that stop when they are settled").
///
/// **The rule.** After `n` outcomes with `S` successes and `F = n − S` failures, the evidence
/// that `p < p*` is the mixture likelihood ratio
/// `M↓ = ∫₀^{p*} (q/p*)^S ((1−q)/(1−p*))^F dq / p*` (the alternatives `q < p*`, uniformly
/// weighted), and the evidence that `p ≥ p*` is `M↑`, the same over `q ∈ (p*, 1]` divided by
/// `1 − p*`. In closed form `M↓ = B(S+1, F+1) I_{p*}(S+1, F+1) / (p* · p*^S (1−p*)^F)`, with
/// `I` the regularised incomplete beta function (GSL's `gsl_cdf_beta_P`; `M↑` with
/// `gsl_cdf_beta_Q` and `1 − p*`). The decision is `.below` once `M↓ ≥ 1/α`, `.atLeast` once
/// `M↑ ≥ 1/α`, `.undecided` before.
///
/// **The guarantee.** When `p ≥ p*`, every term `(q/p*)^X ((1−q)/(1−p*))^{1−X}` with `q < p*`
/// has expectation `p q/p* + (1−p)(1−q)/(1−p*) ≤ 1`, so `M↓` is a non-negative supermartingale
/// starting at 1, and by Ville's inequality `P(M↓ ever reaches 1/α) ≤ α`: the chance of ever
/// deciding `.below` is at most `α`, whenever it is looked at and whenever the sampling stops.
/// Symmetrically for `.atLeast` when `p < p*`. (`p = p*` counts as "at least".) With `p*` = 1,
/// `.below` is decided by the first failure (certain) and `.atLeast` never.
///
/// Cost: two incomplete beta functions per look (microseconds); no storage.
public struct SequentialTest: Sendable, Hashable {
    /// What the outcomes so far settle.
    public enum Decision: String, Sendable, Hashable, Codable {
        /// `p ≥ p*`, with a chance of error at most the error rate.
        case atLeast = "at-least"
        /// `p < p*`, likewise.
        case below
        /// Not settled yet.
        case undecided
    }

    /// The level `p*`, in (0, 1].
    public let level: Double
    /// The most a settled decision may be wrong with, in (0, 1).
    public let errorRate: Double
    public private(set) var successes = 0
    public private(set) var trials = 0

    public init(level: Double, errorRate: Double) {
        precondition(level > 0 && level <= 1, "a level in (0, 1]")
        precondition(errorRate > 0 && errorRate < 1, "an error rate in (0, 1)")
        self.level = level
        self.errorRate = errorRate
    }

    /// Counts `trials` more outcomes of which `successes` succeeded.
    public mutating func add(successes: Int, trials: Int) {
        precondition(successes >= 0 && successes <= trials)
        self.successes += successes
        self.trials += trials
    }

    /// The share of successes (NaN before any outcome).
    public var estimate: Double { trials == 0 ? .nan : Double(successes) / Double(trials) }

    /// The estimate's standard error, `√(p̂(1 − p̂)/n)` (NaN before any outcome).
    public var standardError: Double {
        trials == 0 ? .nan : (estimate * (1 - estimate) / Double(trials)).squareRoot()
    }

    /// The natural logarithms of the evidence `M↓` that `p < p*` and `M↑` that `p ≥ p*`.
    public var logEvidence: (below: Double, atLeast: Double) {
        let s = Double(successes), f = Double(trials - successes)
        if level >= 1 { return (trials > successes ? .infinity : 0, -.infinity) }
        GSL.quiet()
        let logBeta = lgamma(s + 1) + lgamma(f + 1) - lgamma(s + f + 2)
        let logNull = s * log(level) + f * log1p(-level)
        let lower = gsl_cdf_beta_P(level, s + 1, f + 1), upper = gsl_cdf_beta_Q(level, s + 1, f + 1)
        return (logBeta + log(lower) - log(level) - logNull, logBeta + log(upper) - log1p(-level) - logNull)
    }

    /// What the outcomes so far settle.
    public var decision: Decision {
        let threshold = -log(errorRate)
        let evidence = logEvidence
        if evidence.below >= threshold { return .below }
        if evidence.atLeast >= threshold { return .atLeast }
        return .undecided
    }
}
