import Foundation

/// One pooled year-to-year σ (the `year_to_year` of scenario-format.md) and where it comes from.
///
/// Estimated by the method of moments from yearly estimates `a_t` of one quantity on its own
/// scale (log-ratio of shares, logit of a rate, log of an intake), each with the variance of its
/// sampling and imputation noise `v_t`. Under the engine's law with independent years,
/// `d = a_{t+1} − a_t` has `E[d²] = 2σ² + v_t + v_{t+1}`, so
/// `σ² = mean(d²/2 − (v_t + v_{t+1})/2)` over every pair pooled (across categories or ranks and
/// across forces: every force gets the pooled σ, an empirical-Bayes pooling with no force-level
/// term), set to 0 if negative, with standard error `sd(d²/2 − …)/√n` on σ². From fewer than
/// `minimumPairs` pairs (e.g. two snapshots), an assumption from published figures.
package struct YearToYearEstimate: Sendable, Hashable {
    /// σ, and the standard error of σ² (NaN for an assumption).
    package var sd: Double
    package var varianceSE: Double
    /// Pairs of consecutive years used (0 for an assumption).
    package var pairs: Int
    /// Where it comes from, in words; an assumption starts with "ASSUMED".
    package var source: String
    /// The persistent part (issue 19): `δ`, one year's step of the random walk the level takes
    /// (`drift` of scenario-format.md, same scale as `sd`); 0 when not split (`splitting`).
    package var drift: Double = 0
    /// Where `drift` comes from, in words (empty when not split); an assumption says ASSUMED.
    package var driftSource: String = ""

    /// The `year_to_year` σ written beside `drift`: the transient part, so that a year's change
    /// keeps the variance estimated for it, `Var Δ = 2 sd² = δ² + 2σ²` (random walk plus noise),
    /// `σ = √max(0, sd² − δ²/2)`; `sd` itself when there is no drift.
    package var transientSD: Double { drift > 0 ? max(0, sd * sd - drift * drift / 2).squareRoot() : sd }

    /// This estimate with its year's change split into a persistent part `q = δ²` and the
    /// transient rest (`transientSD`); `why` says where `q` comes from. `q` is capped at the
    /// whole change, `2 sd²` (a level cannot wander more than it changes).
    package func splitting(persistent q: Double, because why: String) -> YearToYearEstimate {
        var split = self
        split.drift = max(0, min(q, 2 * sd * sd)).squareRoot()
        split.driftSource = why
        return split
    }

    /// `source`, and the split when there is one: what the fragment's comments and the report say.
    package var description: String {
        drift > 0
            ? "\(source); of a year's change, persistent δ = \(Calibration.number(drift)) (drift), transient σ = "
                + "\(Calibration.number(transientSD)) (year_to_year): \(driftSource)"
            : source
    }

    /// Fewer pairs than this: the assumption.
    package static let minimumPairs = 5

    package init(sd: Double, varianceSE: Double, pairs: Int, source: String) {
        self.sd = sd
        self.varianceSE = varianceSE
        self.pairs = pairs
        self.source = source
    }

    /// An assumption from published figures: σ, why there is no estimate, and where σ comes from.
    package static func assumption(_ sd: Double, because why: String, from: String) -> YearToYearEstimate {
        YearToYearEstimate(sd: sd, varianceSE: .nan, pairs: 0, source: "ASSUMED (\(why)): σ = \(Calibration.number(sd)) from \(from)")
    }

    /// Pools `differences` (`d`, and the noise variance `v_t + v_{t+1}` of its two ends); `assumed`
    /// with fewer than `minimumPairs`. `what` says what was pooled, for `source`.
    package init(differences: [(d: Double, noise: Double)], what: String, assumed: YearToYearEstimate) {
        let terms = differences.filter { $0.d.isFinite && $0.noise.isFinite }.map { $0.d * $0.d / 2 - $0.noise / 2 }
        guard terms.count >= Self.minimumPairs else {
            self = assumed
            return
        }
        let n = Double(terms.count)
        let mean = terms.reduce(0, +) / n
        let se = (terms.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) / n).squareRoot()
        let sd = max(0, mean).squareRoot()
        self.init(
            sd: sd, varianceSE: se, pairs: terms.count,
            source: "estimated from \(terms.count) pairs of consecutive years of \(what): σ = \(Calibration.number(sd)) "
                + "(se of σ² \(Calibration.number(se)))")
    }
}

/// The year-to-year variation of a force's make-up flows, pooled across forces: the intake's
/// ethnicity and gender shares (additive log-ratio scale against the largest category, as the
/// engine varies shares; pooled across categories), the promotion rate (logit scale, pooled
/// across ranks) and leaving (logit scale). docs/data.md, "Year-to-year variation".
///
/// Snapshots identify leaving only with leavers counts, so the leaving σ is always the published
/// assumption (`assumedLeaving`).
package struct MakeUpVariation: Sendable, Hashable {
    package var ethnicity: YearToYearEstimate
    package var gender: YearToYearEstimate
    package var promotion: YearToYearEstimate
    package var leaving: YearToYearEstimate

    /// Categories with fewer recruits than this in either year of a pair are left out of the share
    /// pooling (the delta method's noise variance is poor for small counts); ranks with fewer
    /// promotions or non-promotions likewise.
    package static let minimumCount = 10.0

    /// Intake ethnicity shares, from two snapshots: the MPS recruits' BAME share, 16% (Apr 2020 –
    /// Feb 2021, 1,713 recruits) and 23% (2021/22) (data/README.md [S2, seed]); one
    /// change of 0.45 on the logit scale, σ = 0.45/√2 = 0.32. An assumption: one force, one pair,
    /// and a recruitment drive in it.
    package static let assumedEthnicity = YearToYearEstimate.assumption(
        0.32, because: fewSnapshots,
        from: "the MPS recruits' BAME share, 16% (2020/21) → 23% (2021/22) (a logit change of 0.45, over √2; data/README.md)")
    /// Intake gender shares, from two snapshots: MPS recruits 36.8% women (Apr 2020 – Jun 2021) and
    /// 44.5% (Apr – Sep 2022) (same source [S2, S]); a logit change of 0.32, σ = 0.32/√2 = 0.23.
    package static let assumedGender = YearToYearEstimate.assumption(
        0.23, because: fewSnapshots,
        from: "MPS recruits' share of women, 36.8% (2020/21) → 44.5% (2022/23) (a logit change of 0.32, over √2; data/README.md)")
    /// Promotion, from two snapshots: MPS pass rates of Black officers in promotion processes, 68%
    /// (2021) → 75% (2024) (same source [S]): a logit change of 0.34 over three years, σ of a
    /// year's change about 0.34/√3 = 0.20, over √2 for the deviation: 0.14. An assumption.
    package static let assumedPromotion = YearToYearEstimate.assumption(
        0.14, because: fewSnapshots,
        from: "MPS promotion pass rates of Black officers, 68% (2021) → 75% (2024) (a logit change of 0.34 over three years; data/README.md)")
    /// Leaving (never identified by snapshots): England and Wales leaving rates 6.6% (2022/23) and
    /// 6.2% (2023/24) (same source [S2/S]): a logit change of 0.067, σ = 0.067/√2 = 0.047.
    package static let assumedLeaving = YearToYearEstimate.assumption(
        0.047, because: "snapshots do not identify leaving",
        from: "England and Wales leaving rates 6.6% (2022/23) → 6.2% (2023/24) (a logit change of 0.067, over √2; data/README.md)")

    /// Why a pooled σ falls back on an assumption.
    static let fewSnapshots = "fewer than three snapshots of enough forces"

    /// The year's change of each flow split into its persistent and transient parts, from two
    /// snapshots: every persistent part an assumption (`split`).
    package static let assumed = MakeUpVariation(
        ethnicity: split(assumedEthnicity, own: nil, national: nationalEthnicity),
        gender: split(assumedGender, own: nil, national: nil),
        promotion: split(assumedPromotion, own: nil, national: nil),
        leaving: split(assumedLeaving, own: nil, national: nationalLeaving))

    // MARK: Persistent against transient (issue 19)

    /// The national component of the wander of the intake's ethnicity shares: `δ = 0.15` a year on
    /// the log-ratio scale (`q = 0.0225`). ASSUMED from the England and Wales ethnic-minority share
    /// of officers, 2% (1999), 3.6% (2006), 5.5% (2015), 6.3% (2017) (data/README.md): on each
    /// interval the logit's slope implies the share among recruits, `π = s + slope · s(1 − s)/h`
    /// at the interval's middle share `s`, with `h = 0.06` recruits a year per officer (the
    /// leaving rate, same source): 6.4% (1999–2006), 8.0% (2006–15), 12.5% (2015–17). Their logits
    /// moved by 0.23 in 8 years and 0.51 in 5.5 years, so `δ² = (0.23² + 0.51²)/13.5`, δ = 0.15.
    /// Weak: four figures, two changes, an intake that was not 6% in the austerity years, and no
    /// trend taken out (a walk with a trend would wander less). These figures lie after 2005, the
    /// start of the long-horizon check in docs/data.md, but none of them is scored there.
    package static let nationalEthnicity = (
        q: 0.15 * 0.15,
        source: "ASSUMED national part δ = 0.15 from the England and Wales ethnic-minority share of officers, 2% (1999), "
            + "3.6% (2006), 5.5% (2015), 6.3% (2017): the recruits' share each interval's trend implies (6.4%, 8.0%, 12.5%) "
            + "moved 0.23 in logit over 8 years and 0.51 over 5.5 (data/README.md)")
    /// The national wander of leaving: `δ = 0.039` a year (logit). ASSUMED from England and Wales
    /// leaving rates, 5.1–6.3% a year by group in 2007/08–2019/20 (middle 5.7%, about 2013) and
    /// 6.6% and 6.2% in 2022/23 and 2023/24 (6.4%, about 2023) (data/README.md): a logit change
    /// of 0.12 in about 10 years, `δ = 0.12/√10`.
    package static let nationalLeaving = (
        q: 0.039 * 0.039,
        source: "ASSUMED national part δ = 0.039 from England and Wales leaving rates, about 5.7% (2007/08–2019/20) → "
            + "6.4% (2022–24) (a logit change of 0.12 in about 10 years; data/README.md)")
    /// Where no national series gives the wander (gender shares, promotion), the persistent part
    /// of a year's change is ASSUMED to be the same fraction of it as for the ethnicity shares
    /// from two snapshots: `φ = q/Var Δ = 0.15² / (2 · 0.32²) = 0.11` (`nationalEthnicity` and
    /// `assumedEthnicity`).
    package static let persistentFraction = 0.15 * 0.15 / (2 * 0.32 * 0.32)

    /// `total` (a year's change, `Var Δ = 2 sd²`) split into its persistent part `q = δ²` and
    /// the transient rest. Where the flow's own persistent part was estimated (`own`, from four or
    /// more snapshots) and is more than twice its standard error, `q` is that plus the `national`
    /// part (which the estimate, centred on each year's mean over forces, leaves out). Otherwise
    /// the assumption: the `national` part, or where there is none the fraction
    /// `persistentFraction` of the year's change.
    static func split(_ total: YearToYearEstimate, own: LevelVariation?, national: (q: Double, source: String)?) -> YearToYearEstimate {
        if let own, own.persistent > 2 * own.persistentSE {
            return total.splitting(
                persistent: own.persistent + (national?.q ?? 0),
                because: "the force's own part estimated, \(own.source)" + (national.map { "; plus the \($0.source)" } ?? ""))
        }
        let why = own.map { "the force's own part not distinguishable from 0 (\($0.source))" }
            ?? "the force's own part not identified (three snapshots give one yearly change of a flow per force; four or more are needed)"
        if let national { return total.splitting(persistent: national.q, because: "\(why); \(national.source)") }
        let fraction = Calibration.number(persistentFraction)
        return total.splitting(
            persistent: persistentFraction * 2 * total.sd * total.sd,
            because: "\(why); ASSUMED the fraction \(fraction) of a year's change persists, as for the intake's ethnicity shares "
                + "(no national series of this flow in data/README.md)")
    }

    /// The persistent part of a flow, from each unit's (force × category, or force × rank) yearly
    /// values on the flow's scale, `series[unit].values[t]` (NaN where too few events), and its
    /// `key` (the category or rank): each year's values are centred on their mean over the units of
    /// the same key (the national component, which one cross-section cannot show), then
    /// `LevelVariation` (`q̂ = Var Δ + 2 Cov(Δₜ, Δₜ₊₁)`, which sampling noise independent from year
    /// to year leaves unbiased). Nil where not identified: fewer than `LevelVariation.minimumForces`
    /// units with two consecutive changes (three snapshots give one). Cost: linear in the values.
    static func persistentPart(_ series: [(key: Int, values: [Double])], what: String) -> LevelVariation? {
        var centred = series.map(\.values)
        for key in Set(series.map(\.key)) {
            let members = series.indices.filter { series[$0].key == key }
            let years = members.map { series[$0].values.count }.max() ?? 0
            for t in 0..<years {
                let xs = members.compactMap { i -> Double? in
                    t < series[i].values.count && series[i].values[t].isFinite ? series[i].values[t] : nil
                }
                guard !xs.isEmpty else { continue }
                let mean = xs.reduce(0, +) / Double(xs.count)
                for i in members where t < centred[i].count { centred[i][t] -= mean }
            }
        }
        let v = LevelVariation(levels: centred, what: what)
        return v.persistentSE.isFinite ? v : nil
    }

    /// Each force's yearly log ratios `ln(s_k/s_ref)` of its intake shares (`shares[t]`, one entry
    /// per year), for every category other than the force's largest over the years, NaN in a year
    /// with fewer than `minimumCount` recruits of it (or of the largest); keyed by category.
    static func logRatioSeries(_ shares: [[Calibration.Share]]) -> [(key: Int, values: [Double])] {
        guard let first = shares.first, shares.allSatisfy({ $0.count == first.count }) else { return [] }
        guard let ref = first.indices.max(by: { a, b in shares.reduce(0) { $0 + $1[a].value } < shares.reduce(0) { $0 + $1[b].value } })
        else { return [] }
        return first.indices.filter { $0 != ref }.map { k in
            (k, shares.map { s in
                s[k].count >= minimumCount && s[ref].count >= minimumCount ? log(s[k].value / s[ref].value) : .nan
            })
        }
    }

    package init(ethnicity: YearToYearEstimate, gender: YearToYearEstimate, promotion: YearToYearEstimate, leaving: YearToYearEstimate) {
        self.ethnicity = ethnicity
        self.gender = gender
        self.promotion = promotion
        self.leaving = leaving
    }

    /// Pools the one-year calibrations of each force (`yearly[force]`, consecutive years).
    package init(yearly: [[Calibration]], what: String) {
        var ethnicity: [(d: Double, noise: Double)] = [], gender: [(d: Double, noise: Double)] = []
        var promotion: [(d: Double, noise: Double)] = []
        for force in yearly {
            for (a, b) in zip(force, force.dropFirst()) {
                ethnicity += Self.logRatioChanges(a.intakeEthnicity, b.intakeEthnicity)
                gender += Self.logRatioChanges(a.intakeGender, b.intakeGender)
                for (ra, rb) in zip(a.promotion, b.promotion) {
                    guard let x = Self.logitRate(ra), let y = Self.logitRate(rb) else { continue }
                    promotion.append((y.value - x.value, x.variance + y.variance))
                }
            }
        }
        // Persistent against transient: each force's yearly values of each flow as series.
        var ethnicitySeries: [(key: Int, values: [Double])] = [], genderSeries: [(key: Int, values: [Double])] = []
        var promotionSeries: [(key: Int, values: [Double])] = []
        for force in yearly where force.count >= 2 {
            ethnicitySeries += Self.logRatioSeries(force.map(\.intakeEthnicity))
            genderSeries += Self.logRatioSeries(force.map(\.intakeGender))
            for r in force[0].promotion.indices where force.allSatisfy({ $0.promotion.count == force[0].promotion.count }) {
                promotionSeries.append((r, force.map { Self.logitRate($0.promotion[r])?.value ?? .nan }))
            }
        }
        let ethnicityWhat = "intake ethnicity shares (log ratio to the largest) of \(what)"
        let genderWhat = "intake gender shares (log ratio to the largest) of \(what)"
        let promotionWhat = "promotion rates (logit) by rank of \(what)"
        self.init(
            ethnicity: Self.split(
                YearToYearEstimate(differences: ethnicity, what: ethnicityWhat, assumed: Self.assumedEthnicity),
                own: Self.persistentPart(ethnicitySeries, what: ethnicityWhat), national: Self.nationalEthnicity),
            gender: Self.split(
                YearToYearEstimate(differences: gender, what: genderWhat, assumed: Self.assumedGender),
                own: Self.persistentPart(genderSeries, what: genderWhat), national: nil),
            promotion: Self.split(
                YearToYearEstimate(differences: promotion, what: promotionWhat, assumed: Self.assumedPromotion),
                own: Self.persistentPart(promotionSeries, what: promotionWhat), national: nil),
            leaving: Self.split(Self.assumedLeaving, own: nil, national: Self.nationalLeaving))
    }

    /// `ln(s_k/s_ref)` changes between two years' intake shares, for each category `k` other than
    /// the largest (over both years) with at least `minimumCount` recruits in each year. Noise
    /// variance of a year's log ratio by the delta method: `se_k²/s_k² + se_ref²/s_ref² + 2/n`
    /// (the last term undoes the multinomial covariance that `se²/s²` leaves out).
    static func logRatioChanges(_ a: [Calibration.Share], _ b: [Calibration.Share]) -> [(d: Double, noise: Double)] {
        guard a.count == b.count, let ref = a.indices.max(by: { a[$0].value + b[$0].value < a[$1].value + b[$1].value }) else { return [] }
        let na = a.reduce(0) { $0 + $1.count }, nb = b.reduce(0) { $0 + $1.count }
        guard na > 0, nb > 0 else { return [] }
        func noise(_ s: [Calibration.Share], _ k: Int, _ n: Double) -> Double {
            s[k].se * s[k].se / (s[k].value * s[k].value) + s[ref].se * s[ref].se / (s[ref].value * s[ref].value) + 2 / n
        }
        return a.indices.compactMap { k in
            guard k != ref, a[k].count >= minimumCount, b[k].count >= minimumCount else { return nil }
            let d = log(b[k].value / b[ref].value) - log(a[k].value / a[ref].value)
            return (d, noise(a, k, na) + noise(b, k, nb))
        }
    }

    /// A rank's promotion rate over its groups on the logit scale, and the variance of that
    /// (delta method on the groups' raw standard errors); nil with fewer than `minimumCount`
    /// promotions or non-promotions.
    static func logitRate(_ table: Calibration.RateTable) -> (value: Double, variance: Double)? {
        let events = table.groups.reduce(0) { $0 + $1.events }, exposure = table.groups.reduce(0) { $0 + $1.exposure }
        guard events >= minimumCount, exposure - events >= minimumCount else { return nil }
        let p = events / exposure
        let variance = table.groups.reduce(0) { sum, g in g.exposure > 0 && g.rawSE.isFinite ? sum + g.rawSE * g.rawSE * g.exposure * g.exposure : sum }
            / (exposure * exposure)
        return (log(p / (1 - p)), variance / (p * (1 - p) * p * (1 - p)))
    }
}
