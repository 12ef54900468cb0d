/// Empirical-Bayes shrinkage of group rates toward their pooled rate (beta-binomial).
///
/// Each group `q` has `x_q` events among `n_q` officers. Its rate is given a Beta(μM, (1−μ)M) prior
/// whose mean `μ` is the pooled rate and whose strength `M` (in officers) is fitted to how much the
/// groups' rates differ beyond binomial noise (method of moments), so that a small group's estimate
/// is pulled toward the pool and a large group's barely moves. The posterior mean
/// `(x + μM) / (n + M)` lies strictly inside (0, 1) whatever `x` and `n` (a group of 3 with no
/// events does not get 0, nor 1 with 3 of 3).
package struct BetaBinomialShrinkage: Sendable, Hashable {
    /// The prior mean: the pooled rate, `(Σx + ½) / (Σn + 1)` (the ½ keeps it inside (0, 1) when
    /// no group, or every officer, had an event).
    package var mean: Double
    /// The prior strength `M`, in officers: between `minimumStrength` and `Σn`.
    package var strength: Double

    /// The weakest prior used: worth 2 officers, so a tiny group never gets a rate near 0 or 1
    /// from a handful of officers, even when the groups differ a lot.
    package static let minimumStrength = 2.0

    /// Fits the prior to the groups' events and exposures (groups with no exposure are ignored).
    ///
    /// Method of moments (Kleinman 1973): with weights `n_q` and observed rates `p_q = x_q / n_q`,
    /// `S = Σ n_q (p_q − μ)²` has expectation `μ(1−μ)[(k − 1) + ρ(N − Σn_q²/N)]` under the
    /// beta-binomial, where `ρ = 1/(M + 1)` is the intra-group correlation, `k` the number of groups
    /// and `N = Σ n_q`. Solving for `ρ` gives `M = 1/ρ − 1`. When the groups differ no more than
    /// binomial noise (`ρ ≤ 0`), or there is one group, `M = N`: a prior worth the whole pool.
    package init(events: [Double], exposures: [Double]) {
        let groups = zip(events, exposures).filter { $0.1 > 0 }
        let total = groups.reduce(0) { $0 + $1.1 }
        let mean = (groups.reduce(0) { $0 + $1.0 } + 0.5) / (total + 1)
        self.mean = mean
        let k = Double(groups.count)
        let spread = total - groups.reduce(0) { $0 + $1.1 * $1.1 } / max(total, 1)
        guard k > 1, spread > 0 else {
            strength = max(Self.minimumStrength, total)
            return
        }
        let s = groups.reduce(0) { sum, g in sum + g.1 * (g.0 / g.1 - mean) * (g.0 / g.1 - mean) }
        let rho = (s / (mean * (1 - mean)) - (k - 1)) / spread
        let fitted = rho > 0 ? 1 / min(rho, 1) - 1 : .infinity
        strength = min(max(total, Self.minimumStrength), max(Self.minimumStrength, fitted))
    }

    package init(mean: Double, strength: Double) {
        self.mean = mean
        self.strength = strength
    }

    /// The shrunk rate of a group with `events` among `exposure` officers, and its standard error:
    /// the posterior mean and standard deviation, `√(p(1−p)/(n + M + 1))`, with `extraVariance` (of
    /// the event count, e.g. from imputed flows) added as `extraVariance / (n + M)²`.
    package func posterior(events: Double, exposure: Double, extraVariance: Double = 0) -> (rate: Double, se: Double) {
        let n = exposure + strength
        let rate = (events + mean * strength) / n
        return (rate, (rate * (1 - rate) / (n + 1) + extraVariance / (n * n)).squareRoot())
    }
}
