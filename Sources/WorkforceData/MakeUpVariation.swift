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
public struct YearToYearEstimate: Sendable, Hashable {
    /// σ, and the standard error of σ² (NaN for an assumption).
    public var sd: Double
    public var varianceSE: Double
    /// Pairs of consecutive years used (0 for an assumption).
    public var pairs: Int
    /// Where it comes from, in words; an assumption starts with "ASSUMED".
    public var source: String

    /// Fewer pairs than this: the assumption.
    public static let minimumPairs = 5

    public init(sd: Double, varianceSE: Double, pairs: Int, source: String) {
        self.sd = sd
        self.varianceSE = varianceSE
        self.pairs = pairs
        self.source = source
    }

    /// An assumption from published figures: σ, why there is no estimate, and where σ comes from.
    public static func assumption(_ sd: Double, because why: String, from: String) -> YearToYearEstimate {
        YearToYearEstimate(sd: sd, varianceSE: .nan, pairs: 0, source: "ASSUMED (\(why)): σ = \(Calibration.number(sd)) from \(from)")
    }

    /// Pools `differences` (`d`, and the noise variance `v_t + v_{t+1}` of its two ends); `assumed`
    /// with fewer than `minimumPairs`. `what` says what was pooled, for `source`.
    public init(differences: [(d: Double, noise: Double)], what: String, assumed: YearToYearEstimate) {
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
public struct MakeUpVariation: Sendable, Hashable {
    public var ethnicity: YearToYearEstimate
    public var gender: YearToYearEstimate
    public var promotion: YearToYearEstimate
    public var leaving: YearToYearEstimate

    /// Categories with fewer recruits than this in either year of a pair are left out of the share
    /// pooling (the delta method's noise variance is poor for small counts); ranks with fewer
    /// promotions or non-promotions likewise.
    public static let minimumCount = 10.0

    /// Intake ethnicity shares, from two snapshots: the MPS recruits' BAME share, 16% (Apr 2020 –
    /// Feb 2021, 1,713 recruits) and 23% (2021/22) (data/README.md [S2, seed]); one
    /// change of 0.45 on the logit scale, σ = 0.45/√2 = 0.32. An assumption: one force, one pair,
    /// and a recruitment drive in it.
    public static let assumedEthnicity = YearToYearEstimate.assumption(
        0.32, because: fewSnapshots,
        from: "the MPS recruits' BAME share, 16% (2020/21) → 23% (2021/22) (a logit change of 0.45, over √2; data/README.md)")
    /// Intake gender shares, from two snapshots: MPS recruits 36.8% women (Apr 2020 – Jun 2021) and
    /// 44.5% (Apr – Sep 2022) (same source [S2, S]); a logit change of 0.32, σ = 0.32/√2 = 0.23.
    public static let assumedGender = YearToYearEstimate.assumption(
        0.23, because: fewSnapshots,
        from: "MPS recruits' share of women, 36.8% (2020/21) → 44.5% (2022/23) (a logit change of 0.32, over √2; data/README.md)")
    /// Promotion, from two snapshots: MPS pass rates of Black officers in promotion processes, 68%
    /// (2021) → 75% (2024) (same source [S]): a logit change of 0.34 over three years, σ of a
    /// year's change about 0.34/√3 = 0.20, over √2 for the deviation: 0.14. An assumption.
    public static let assumedPromotion = YearToYearEstimate.assumption(
        0.14, because: fewSnapshots,
        from: "MPS promotion pass rates of Black officers, 68% (2021) → 75% (2024) (a logit change of 0.34 over three years; data/README.md)")
    /// Leaving (never identified by snapshots): England and Wales leaving rates 6.6% (2022/23) and
    /// 6.2% (2023/24) (same source [S2/S]): a logit change of 0.067, σ = 0.067/√2 = 0.047.
    public static let assumedLeaving = YearToYearEstimate.assumption(
        0.047, because: "snapshots do not identify leaving",
        from: "England and Wales leaving rates 6.6% (2022/23) → 6.2% (2023/24) (a logit change of 0.067, over √2; data/README.md)")

    /// Why a pooled σ falls back on an assumption.
    static let fewSnapshots = "fewer than three snapshots of enough forces"

    public static let assumed = MakeUpVariation(
        ethnicity: assumedEthnicity, gender: assumedGender, promotion: assumedPromotion, leaving: assumedLeaving)

    public init(ethnicity: YearToYearEstimate, gender: YearToYearEstimate, promotion: YearToYearEstimate, leaving: YearToYearEstimate) {
        self.ethnicity = ethnicity
        self.gender = gender
        self.promotion = promotion
        self.leaving = leaving
    }

    /// Pools the one-year calibrations of each force (`yearly[force]`, consecutive years).
    public init(yearly: [[Calibration]], what: String) {
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
        self.init(
            ethnicity: YearToYearEstimate(differences: ethnicity, what: "intake ethnicity shares (log ratio to the largest) of \(what)", assumed: Self.assumedEthnicity),
            gender: YearToYearEstimate(differences: gender, what: "intake gender shares (log ratio to the largest) of \(what)", assumed: Self.assumedGender),
            promotion: YearToYearEstimate(differences: promotion, what: "promotion rates (logit) by rank of \(what)", assumed: Self.assumedPromotion),
            leaving: Self.assumedLeaving)
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
