import Foundation
import Workforce

/// Empirical-Bayes partial pooling of a force's intake ethnicity shares toward what the other
/// forces' recruits suggest (`calibrate --pool-intake`; docs/data.md, "Pooling the intake's make-up").
///
/// Snapshots imply a force's recruits by ethnicity from one or two years of net changes, so a small
/// force's intake shares rest on a handful of officers (and absorb re-classification and transfers).
/// The model, for each ethnicity `k` and force (or force-year) `f`, on the share scale:
/// - the force's true intake share is `π_f = R_k t_f (1 + u_f)`, where `t_f` is its officers' share
///   of `k` (the stock at the ends of the years, Jeffreys: `(x + ½)/(N + E/2)`), `R_k` the ratio of
///   recruits' share to officers' share common to the forces, and `u_f` a force's own departure
///   with relative variance `τ_k²`;
/// - the estimated share is `p_f = π_f + e_f`, with `e_f` its sampling and imputation noise, of
///   variance `v_f = se_f²` (Calibration's intake shares).
///
/// Method of moments over the forces pooled (each with at least `minimumRecruits` recruits), on the
/// raw shares `p_f = x_f / J_f` (recruits of `k` over all recruits; the Jeffreys half-recruit would
/// bias small shares up): `R_k = Σ x_f / Σ J_f t_f` and, with `d_f = p_f − R_k t_f`,
/// `τ_k² = Σ (d_f² − v_f) / Σ (R_k t_f)²` (0 if negative; standard error by linearisation,
/// `√Σ (d_f² − v_f − τ_k² (R_k t_f)²)² / Σ (R_k t_f)²`; of `R_k`, `√Σ (x_f − R_k J_f t_f)² / Σ J_f t_f`).
/// A force's pooled share is the posterior mean `w p + (1 − w) R_k t` (`p` its Jeffreys share),
/// `w = τ_k² (R_k t)² / (τ_k² (R_k t)² + v)`, with standard error `√(w v + (1 − w)² t² se(R_k)²)`
/// (the second term: the target's own estimation error); the shares are then rescaled to sum to 1.
/// Fewer than `minimumUnits` forces: no pooling.
///
/// **The variance's own uncertainty** (issue 19). `τ_k²` is estimated, with standard error `s_k`;
/// where it estimates to 0 a point at 0 would pool completely, and a large force's own recruits
/// would get no weight (the Met's 137 Black recruits: 3.89% → 2.82%, 3 standard errors). So the
/// weight is averaged over what `τ_k²` may be: `τ_k² ~ N(τ̂_k², s_k²)` truncated to `[0, ∞)` (the raw
/// moment estimate, negative or not, as its centre), carried as `varianceDraws` (its 64 quantiles
/// at `(i + ½)/64`), and `w̄ = mean w(τ²)` over them. A force whose noise `v` is small against
/// even a small `τ²` keeps much of its own evidence; a force with little keeps little. Without a
/// finite standard error, the point estimate as before. Cost: 64 weights per share.
///
/// It treats every departure from `R_k t_f` beyond the sampling noise as the force's own and lasting
/// (`u_f`): one transition cannot tell a lasting difference from a transitory one (re-classification,
/// a year's swing), so this is the least shrinkage the data support, not the most.
package struct IntakePooling: Sendable, Hashable {
    /// One force (or force-year): its recruits by ethnicity, their shares as calibrate estimates
    /// them (Jeffreys) with standard errors, and its officers' shares by ethnicity.
    package struct Unit: Sendable, Hashable {
        package var counts: [Double]
        package var shares: [Double]
        package var se: [Double]
        package var stock: [Double]
        package var recruits: Double { counts.reduce(0, +) }

        package init(counts: [Double], shares: [Double], se: [Double], stock: [Double]) {
            self.counts = counts
            self.shares = shares
            self.se = se
            self.stock = stock
        }
    }

    /// Per ethnicity: `R_k` and its standard error, `τ_k²` and the standard error of `τ_k²`
    /// (`τ_k² = ∞`: no pooling).
    package var ratio: [Double]
    package var ratioSE: [Double]
    package var variance: [Double]
    package var varianceSE: [Double]
    /// Per ethnicity: equally likely values of `τ_k²` carrying its uncertainty (see above); the
    /// point `variance[k]` alone when its standard error is not finite.
    package var varianceDraws: [[Double]]
    /// How many values `varianceDraws` holds per ethnicity when the standard error is known.
    package static let varianceQuantiles = 64
    /// Forces (or force-years) pooled.
    package var units: Int
    /// What was pooled and the estimates, in words.
    package var source: String

    /// Forces with fewer recruits are left out of the estimate (their shares are mostly noise).
    package static let minimumRecruits = 10.0
    /// Fewer forces than this: no pooling.
    package static let minimumUnits = 5

    /// Fits `R_k` and `τ_k²` to `units` (all with the same categories, `names`); `what` says what they are.
    package init(units all: [Unit], names: [String], what: String) {
        let units = all.filter { $0.recruits >= Self.minimumRecruits }
        let E = names.count
        self.units = units.count
        guard units.count >= Self.minimumUnits else {
            ratio = Array(repeating: 1, count: E)
            ratioSE = Array(repeating: .nan, count: E)
            variance = Array(repeating: .infinity, count: E)
            varianceSE = Array(repeating: .nan, count: E)
            varianceDraws = Array(repeating: [.infinity], count: E)
            source = "not pooled: \(units.count) forces of \(what) with at least \(Calibration.number(Self.minimumRecruits)) recruits "
                + "(at least \(Self.minimumUnits) needed)"
            return
        }
        var ratio: [Double] = [], ratioSE: [Double] = [], variance: [Double] = [], varianceSE: [Double] = [], draws: [[Double]] = []
        for k in 0..<E {
            let expected = units.reduce(0) { $0 + $1.recruits * $1.stock[k] }
            let r = units.reduce(0) { $0 + $1.counts[k] } / expected
            ratioSE.append(units.reduce(0) { sum, u in
                let e = u.counts[k] - r * u.recruits * u.stock[k]
                return sum + e * e
            }.squareRoot() / expected)
            let terms = units.map { u -> (a: Double, b: Double) in
                let target = r * u.stock[k], d = u.counts[k] / u.recruits - target
                return (d * d - u.se[k] * u.se[k], target * target)
            }
            let b = terms.reduce(0) { $0 + $1.b }
            let tau2 = terms.reduce(0) { $0 + $1.a } / b
            let se = terms.reduce(0) { $0 + ($1.a - tau2 * $1.b) * ($1.a - tau2 * $1.b) }.squareRoot() / b
            ratio.append(r)
            variance.append(max(0, tau2))
            varianceSE.append(se)
            draws.append(Self.draws(estimate: tau2, se: se))
        }
        self.ratio = ratio
        self.ratioSE = ratioSE
        self.variance = variance
        self.varianceSE = varianceSE
        self.varianceDraws = draws
        source = "\(units.count) force-years of \(what) with at least \(Calibration.number(Self.minimumRecruits)) recruits: "
            + names.indices.map { "\(names[$0]) ratio \(Calibration.number(ratio[$0])), τ \(Calibration.number(variance[$0].squareRoot()))" }
                .joined(separator: "; ")
    }

    /// Equally likely values of `τ²` given its moment estimate (any sign) and standard error: the
    /// quantiles at `(i + ½)/m` of `N(estimate, se²)` truncated to `[0, ∞)`; the point `max(0, estimate)`
    /// when `se` is not a positive finite number.
    static func draws(estimate: Double, se: Double) -> [Double] {
        guard se.isFinite, se > 0, estimate.isFinite else { return [max(0, estimate)] }
        let law = Distribution.normal(mean: estimate, sd: se)
        let m = varianceQuantiles
        return (0..<m).map { law.quantile((Double($0) + 0.5) / Double(m), in: 0...Double.greatestFiniteMagnitude) }
    }

    /// A unit's shares pooled toward `R_k t`, with their standard errors; unchanged without pooling.
    package func pooled(_ unit: Unit) -> (shares: [Double], se: [Double]) {
        guard variance.allSatisfy(\.isFinite) else { return (unit.shares, unit.se) }
        var shares: [Double] = [], se: [Double] = []
        for k in unit.shares.indices {
            let target = ratio[k] * unit.stock[k], v = unit.se[k] * unit.se[k]
            let w = varianceDraws[k].reduce(0.0) { sum, tau2 in
                let signal = tau2 * target * target
                return sum + (signal + v > 0 ? signal / (signal + v) : 1)
            } / Double(varianceDraws[k].count)
            shares.append(w * unit.shares[k] + (1 - w) * target)
            se.append((w * v + (1 - w) * (1 - w) * unit.stock[k] * unit.stock[k] * ratioSE[k] * ratioSE[k]).squareRoot())
        }
        let total = shares.reduce(0, +)
        guard total > 0 else { return (unit.shares, unit.se) }
        return (shares.map { $0 / total }, se.map { $0 / total })
    }
}

extension Calibration {
    /// The force's intake by ethnicity and its officers' shares by ethnicity at the ends of the
    /// years (Jeffreys), as `IntakePooling` pools them.
    package var poolingUnit: IntakePooling.Unit {
        let E = categories.ethnicities.count, G = categories.genders.count
        let stock = (0..<E).map { e in endStock.reduce(0) { sum, rank in sum + (0..<G).reduce(0) { $0 + rank[categories.group(e, $1)] } } }
        let officers = stock.reduce(0, +)
        return IntakePooling.Unit(
            counts: intakeEthnicity.map(\.count), shares: intakeEthnicity.map(\.value), se: intakeEthnicity.map(\.se),
            stock: stock.map { ($0 + 0.5) / (officers + 0.5 * Double(E)) })
    }

    /// Replaces the intake ethnicity shares by their pooled values (`pooling`), and says so in the notes.
    package mutating func poolIntake(_ pooling: IntakePooling) {
        let (shares, se) = pooling.pooled(poolingUnit)
        for k in intakeEthnicity.indices {
            intakeEthnicity[k].value = shares[k]
            intakeEthnicity[k].se = se[k]
        }
        intakePooling = pooling
    }
}
