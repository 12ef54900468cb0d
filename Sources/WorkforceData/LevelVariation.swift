import Foundation

/// How much a level (a force's size on the log scale) moves for good and how much only for a year,
/// pooled across forces: the random walk plus noise `y_t = L_t + e_t`, `L_t = L_{t−1} + η_t`,
/// `Var η = q` (persistent: the `drift` of scenario-format.md, `δ² = q`) and `Var e = r` (transient:
/// `year_to_year`, `σ² = r`). Its changes `Δ_t = y_{t+1} − y_t` have
/// `Var Δ = q + 2r` and `Cov(Δ_t, Δ_{t+1}) = −r`, so by the method of moments
/// `r̂ = −Ĉ` and `q̂ = V̂ + 2Ĉ`, from `V̂`, the pooled variance of the changes, and `Ĉ`, the pooled
/// covariance of each force's consecutive changes.
///
/// Each year's changes are taken around their mean over forces first: a change common to every
/// force that year (the national component) cannot be told from a trend in one cross-section, so
/// it is left out here and added as an assumption (`SizeVariation.nationalTau2`). Standard errors
/// from the spread of the forces' own contributions (forces are the independent units): for `V̂`
/// the force's mean squared change, for `Ĉ` its product of consecutive changes, for `q̂` the first
/// plus twice the second. An estimate below 0 is set to 0 and the other takes all of `V̂` (`r̂ < 0`:
/// consecutive changes correlate positively, all persistent; `q̂ < 0`: all transient).
///
/// With no force observed over three or more snapshots the covariance is not identified: two
/// snapshots cannot tell a level that wanders from one that returns, and the assumption is that it
/// wanders (`r = 0`, `q = V̂`), which the 2003–2005 tables support (docs/data.md).
/// Cost: linear in the number of force-years.
package struct LevelVariation: Sendable, Hashable {
    /// `q` and `r` (log scale, a year), and their standard errors (NaN where not identified).
    package var persistent: Double
    package var transient: Double
    package var persistentSE: Double
    package var transientSE: Double
    /// `V̂` and `Ĉ` as estimated (before any truncation at 0).
    package var changeVariance: Double
    package var lagCovariance: Double
    /// Forces with at least two changes (the covariance's units), and changes pooled.
    package var forces: Int
    package var changes: Int
    /// In words; an assumption says ASSUMED.
    package var source: String

    /// Fewer forces with two consecutive changes than this: the covariance is not used.
    package static let minimumForces = 5

    /// From each force's levels (log scale) at consecutive yearly snapshots, all forces aligned on
    /// the same years (`levels[force][t]`, NaN for a missing year). `what` says what was pooled.
    package init(levels: [[Double]], what: String) {
        let years = levels.map(\.count).max() ?? 0
        // Changes by force and transition, centred on the transition's mean over forces.
        var centred = levels.map { _ in [Double](repeating: .nan, count: max(0, years - 1)) }
        var squares = 0.0, degrees = 0.0, count = 0
        for t in 0..<max(0, years - 1) {
            let pairs = levels.indices.compactMap { f -> (Int, Double)? in
                guard t + 1 < levels[f].count else { return nil }
                let d = levels[f][t + 1] - levels[f][t]
                return d.isFinite ? (f, d) : nil
            }
            guard pairs.count > 1 else { continue }
            let mean = pairs.reduce(0) { $0 + $1.1 } / Double(pairs.count)
            for (f, d) in pairs {
                centred[f][t] = d - mean
                squares += (d - mean) * (d - mean)
            }
            degrees += Double(pairs.count - 1)
            count += pairs.count
        }
        let variance = degrees > 0 ? squares / degrees : .nan
        // Per force: its mean squared change and its mean product of consecutive changes.
        var units: [(square: Double, product: Double)] = []
        for row in centred {
            let d = row.filter(\.isFinite)
            var products: [Double] = []
            for t in 0..<max(0, row.count - 1) where row[t].isFinite && row[t + 1].isFinite { products.append(row[t] * row[t + 1]) }
            guard !products.isEmpty else { continue }
            units.append((d.reduce(0) { $0 + $1 * $1 } / Double(d.count), products.reduce(0, +) / Double(products.count)))
        }
        let n = Double(units.count)
        func sd(_ x: [Double]) -> Double {
            let m = x.reduce(0, +) / Double(x.count)
            return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
        }
        guard units.count >= Self.minimumForces, variance.isFinite else {
            let v = variance.isFinite ? max(0, variance) : 0
            self.init(
                persistent: v, transient: 0, persistentSE: .nan, transientSE: .nan, changeVariance: v, lagCovariance: .nan,
                forces: units.count, changes: count,
                source: "ASSUMED all persistent (fewer than three snapshots of \(Self.minimumForces) forces: two snapshots cannot tell a "
                    + "level that wanders from one that returns): q = \(Calibration.number(v)) from \(count) changes of \(what), r = 0")
            return
        }
        // The covariance with the small-sample factor of a centred product (n/(n−1), as for the variance).
        let covariance = units.reduce(0) { $0 + $1.product } / n * n / (n - 1)
        var q = variance + 2 * covariance, r = -covariance
        if r < 0 { (q, r) = (variance, 0) } else if q < 0 { (q, r) = (0, variance / 2) }
        let qSE = sd(units.map { $0.square + 2 * $0.product }) / n.squareRoot()
        let rSE = sd(units.map(\.product)) / n.squareRoot()
        self.init(
            persistent: q, transient: r, persistentSE: qSE, transientSE: rSE, changeVariance: variance, lagCovariance: covariance,
            forces: units.count, changes: count,
            source: "estimated from \(count) changes of \(what) (\(units.count) forces with two consecutive changes): "
                + "Var Δ = \(Calibration.number(variance)), Cov(Δₜ, Δₜ₊₁) = \(Calibration.number(covariance)) (se \(Calibration.number(rSE))), "
                + "so persistent q = \(Calibration.number(q)) (se \(Calibration.number(qSE))), transient r = \(Calibration.number(r))"
                + (covariance > 0 ? " (a positive covariance: all persistent)" : ""))
    }

    package init(
        persistent: Double, transient: Double, persistentSE: Double, transientSE: Double, changeVariance: Double, lagCovariance: Double,
        forces: Int, changes: Int, source: String
    ) {
        (self.persistent, self.transient, self.persistentSE, self.transientSE) = (persistent, transient, persistentSE, transientSE)
        (self.changeVariance, self.lagCovariance, self.forces, self.changes, self.source) = (changeVariance, lagCovariance, forces, changes, source)
    }
}
