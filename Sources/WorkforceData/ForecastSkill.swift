import Foundation
import Workforce

/// The kinds of figure `workforce evaluate` scores, each a set of measures per force (docs/data.md,
/// "workforce evaluate"): shares are on the Home Office basis ("Not stated" left out).
package enum FigureKind: String, Sendable, CaseIterable, Codable {
    /// `count(All)`.
    case forceHeadcount = "force headcount"
    /// `share(BAME excluding Not stated)` and `share(Black excluding Not stated)`.
    case forceShare = "force share"
    /// `count(All in R)` for each rank `R` with at least `Evaluation.minimumRank` officers.
    case rankHeadcount = "rank headcount"
    /// `share(BAME in R excluding Not stated)` and `share(Black in R excluding Not stated)` for those ranks.
    case rankShare = "rank share"
}

/// One figure forecast: the projection's replications against the observed value, and the
/// "no change" forecast (the figure in the last snapshot the projection starts from).
package struct ForecastScore: Sendable {
    package var kind: FigureKind
    package var force: String
    /// The figure: its date, measure and observed value.
    package var observation: Observation
    /// The figure at the start of the projection: the no-change forecast.
    package var noChange: Double
    /// Years from the start of the projection (the last training snapshot) to the figure's date.
    package var horizon: Int
    /// Quantiles, interval hits, error (observed − median) and PIT, as for a backtest.
    package var comparison: Backtest.Comparison
    /// The continuous ranked probability score of the replications' empirical distribution, in the
    /// figure's units (officers, or a share as a fraction). NaN without replications.
    package var crps: Double

    package init(kind: FigureKind, force: String, observation: Observation, noChange: Double, draws: [Double], horizon: Int = 1) {
        self.kind = kind
        self.horizon = horizon
        self.force = force
        self.observation = observation
        self.noChange = noChange
        var sorted = draws
        sorted.removeAll { $0.isNaN }
        sorted.sort()
        comparison = Backtest.Comparison(observed: observation.value, draws: sorted)
        crps = Self.crps(observed: observation.value, sorted: sorted)
    }

    /// Whether the projection's 90% band is a single value (`p5 == p95`).
    package var isPointMass: Bool { comparison.projected.p5 == comparison.projected.p95 }

    /// The no-change forecast's absolute error, `|observed − noChange|`.
    package var noChangeError: Double { abs(observation.value - noChange) }

    /// CRPS of the empirical distribution of `sorted` values (ascending, no NaN) at `y`:
    /// `E|X − y| − ½ E|X − X'|` with both expectations over the sample, i.e.
    /// `(1/n) Σ |x_i − y| − (1/n²) Σ_i (2i − n + 1) x_(i)` (0-based `i`; the second term is
    /// `½ · (1/n²) Σ_i Σ_j |x_i − x_j|`). A point forecast scores its absolute error. Cost O(n).
    package static func crps(observed y: Double, sorted x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        let n = Double(x.count)
        var absolute = 0.0, spread = 0.0
        for (i, value) in x.enumerated() {
            absolute += abs(value - y)
            spread += (2 * Double(i) - n + 1) * value
        }
        return absolute / n - spread / (n * n)
    }
}

/// The scores of one kind of figure (at one horizon, or all) over every force: the honesty of the intervals (coverage),
/// the median against "no change" (skill ratio), the whole distribution (CRPS) and the PIT
/// histogram, which is flat for calibrated forecasts.
///
/// **Point masses** (issue 19): a figure whose 90% band is a single value (every replication, or
/// all but the tails, gives the same number: a rank with no minority officers whose share stays 0)
/// is left out of the coverages, which would count it as a free hit, and counted apart
/// (`pointMasses`, and how many of them missed, `pointMassesMissed`). The skill ratio and CRPS keep
/// every figure.
///
/// **Monte Carlo error of each coverage.** The band's ends are quantiles of finitely many
/// replications, so whether a figure near an end is inside is itself uncertain: a figure whose
/// PIT is `u` falls inside the 90% band with probability about
/// `Φ((0.95 − u)/s) − Φ((0.05 − u)/s)`, `s = √(0.05 · 0.95 / n)` for `n` replications (the
/// standard error of an estimated 5% point, on the PIT scale), and likewise at 25% and 75%. The
/// coverage's Monte Carlo standard error is `√(Σ p_f (1 − p_f)) / figures`. The sampling error of a
/// coverage over its figures, `√(c (1 − c) / figures)`, is the other (larger) part; both are given.
package struct SkillSummary: Sendable {
    package var kind: FigureKind
    /// The horizon (years) whose figures it scores; nil: every horizon together.
    package var horizon: Int?
    /// Figures scored (those with a projection, point masses left out).
    package var figures: Int
    /// Figures inside the 50% and 90% intervals, and their fractions (NaN without figures).
    package var in50: Int
    package var in90: Int
    package var coverage50: Double
    package var coverage90: Double
    /// The Monte Carlo standard error of each coverage (from the finite replications), and its
    /// sampling standard error over the figures, `√(c (1 − c) / figures)`.
    package var coverage50MCError: Double
    package var coverage90MCError: Double
    package var coverage50SE: Double
    package var coverage90SE: Double
    /// Figures whose 90% band is a point, left out of the coverages, and how many of those the
    /// observed value missed.
    package var pointMasses: Int
    package var pointMassesMissed: Int
    /// Mean absolute error of the median, and of the no-change forecast.
    package var medianMAE: Double
    package var noChangeMAE: Double
    /// `medianMAE / noChangeMAE`: below 1 beats "nothing changes" (NaN when no-change is exact).
    package var skillRatio: Double
    /// Mean CRPS, and the same divided by the no-change MAE (the no-change forecast's own CRPS:
    /// a point forecast's CRPS is its absolute error), so below 1 beats it as a distribution.
    package var crps: Double
    package var crpsRatio: Double
    /// Counts of PIT values in `pitBins` equal bins of [0, 1] (a PIT of exactly 1 in the last),
    /// point masses left out (their PIT is ½ whenever the figure equals the point).
    package var pitHistogram: [Int]

    /// The number of bins of the PIT histogram.
    package static let pitBins = 10

    /// The Monte Carlo standard error of the coverage of the `central` band (0.5 or 0.9) over
    /// `scores` (see above): `√(Σ p (1 − p)) / count`.
    static func monteCarloError(_ scores: [ForecastScore], central: Double) -> Double {
        let lower = (1 - central) / 2, upper = 1 - lower
        var variance = 0.0
        for score in scores {
            let u = score.comparison.pit, n = Double(score.comparison.projected.count)  // replications
            guard u.isFinite, n > 0 else { continue }
            let s = (lower * upper / n).squareRoot()
            func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
            let p = phi((upper - u) / s) - phi((lower - u) / s)
            variance += p * (1 - p)
        }
        return variance.squareRoot() / Double(scores.count)
    }

    /// The scores of `kind` at `horizon` (every horizon when nil).
    package init(kind: FigureKind, horizon: Int? = nil, scores: [ForecastScore]) {
        let all = scores.filter { $0.kind == kind && (horizon == nil || $0.horizon == horizon) && $0.comparison.projected.count > 0 }
        self.horizon = horizon
        let points = all.filter(\.isPointMass)
        let scored = all.filter { !$0.isPointMass }
        self.kind = kind
        pointMasses = points.count
        pointMassesMissed = points.filter { !$0.comparison.in90 }.count
        figures = scored.count
        in50 = scored.filter(\.comparison.in50).count
        in90 = scored.filter(\.comparison.in90).count
        let n = Double(figures)
        coverage50 = figures > 0 ? Double(in50) / n : .nan
        coverage90 = figures > 0 ? Double(in90) / n : .nan
        coverage50SE = figures > 0 ? (coverage50 * (1 - coverage50) / n).squareRoot() : .nan
        coverage90SE = figures > 0 ? (coverage90 * (1 - coverage90) / n).squareRoot() : .nan
        coverage50MCError = figures > 0 ? Self.monteCarloError(scored, central: 0.5) : .nan
        coverage90MCError = figures > 0 ? Self.monteCarloError(scored, central: 0.9) : .nan
        // The point estimates of skill and CRPS keep every figure, point masses included.
        let m = Double(all.count)
        func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / m }
        medianMAE = mean(all.map { abs($0.comparison.error) })
        noChangeMAE = mean(all.map(\.noChangeError))
        skillRatio = noChangeMAE > 0 ? medianMAE / noChangeMAE : .nan
        crps = mean(all.map(\.crps))
        crpsRatio = noChangeMAE > 0 ? crps / noChangeMAE : .nan
        var histogram = Array(repeating: 0, count: Self.pitBins)
        for score in scored where !score.comparison.pit.isNaN {
            histogram[min(Self.pitBins - 1, Int(score.comparison.pit * Double(Self.pitBins)))] += 1  // checked: a PIT in 0...1 times the bin count
        }
        pitHistogram = histogram
    }
}

extension Measure {
    /// The measure's value on a table of officers `counts[rank][group]` (groups in `d`'s order):
    /// the same officers the engine counts for its target (`Target.counts` / `countsInGroup`).
    /// A share is NaN when its denominator is empty. Officer measures only.
    package func value(counts: [[Double]], _ d: Dimensions) -> Double {
        let target = self.target(name: text, date: Month(index: 0))
        var inGroup = 0.0, total = 0.0
        for r in d.ranks.indices {
            for e in d.ethnicities.indices {
                for g in d.genders.indices {
                    let n = counts[r][d.group(e, g)]
                    switch statistic {
                    case .count:
                        if ranks[r] && group.ethnicities[e] && group.genders[g] { inGroup += n }
                    case .share:
                        if target.counts(rank: r, ethnicity: e, gender: g) { total += n }
                        if target.countsInGroup(rank: r, ethnicity: e, gender: g) { inGroup += n }
                    }
                }
            }
        }
        switch statistic {
        case .count: return inGroup
        case .share: return total > 0 ? inGroup / total : .nan
        }
    }
}
