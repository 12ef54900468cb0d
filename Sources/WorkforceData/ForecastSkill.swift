import Workforce

/// The kinds of figure `workforce evaluate` scores, each a set of measures per force (docs/data.md,
/// "workforce evaluate"): shares are on the Home Office basis ("Not stated" left out).
public enum FigureKind: String, Sendable, CaseIterable, Codable {
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
public struct ForecastScore: Sendable {
    public var kind: FigureKind
    public var force: String
    /// The figure: its date, measure and observed value.
    public var observation: Observation
    /// The figure at the start of the projection: the no-change forecast.
    public var noChange: Double
    /// Quantiles, interval hits, error (observed − median) and PIT, as for a backtest.
    public var comparison: Backtest.Comparison
    /// The continuous ranked probability score of the replications' empirical distribution, in the
    /// figure's units (officers, or a share as a fraction). NaN without replications.
    public var crps: Double

    public init(kind: FigureKind, force: String, observation: Observation, noChange: Double, draws: [Double]) {
        self.kind = kind
        self.force = force
        self.observation = observation
        self.noChange = noChange
        var sorted = draws
        sorted.removeAll { $0.isNaN }
        sorted.sort()
        comparison = Backtest.Comparison(observed: observation.value, draws: sorted)
        crps = Self.crps(observed: observation.value, sorted: sorted)
    }

    /// The no-change forecast's absolute error, `|observed − noChange|`.
    public var noChangeError: Double { abs(observation.value - noChange) }

    /// CRPS of the empirical distribution of `sorted` values (ascending, no NaN) at `y`:
    /// `E|X − y| − ½ E|X − X'|` with both expectations over the sample, i.e.
    /// `(1/n) Σ |x_i − y| − (1/n²) Σ_i (2i − n + 1) x_(i)` (0-based `i`; the second term is
    /// `½ · (1/n²) Σ_i Σ_j |x_i − x_j|`). A point forecast scores its absolute error. Cost O(n).
    public static func crps(observed y: Double, sorted x: [Double]) -> Double {
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

/// The scores of one kind of figure over every force: the honesty of the intervals (coverage),
/// the median against "no change" (skill ratio), the whole distribution (CRPS) and the PIT
/// histogram, which is flat for calibrated forecasts.
public struct SkillSummary: Sendable {
    public var kind: FigureKind
    /// Figures scored (those with a projection).
    public var figures: Int
    /// Figures inside the 50% and 90% intervals, and their fractions (NaN without figures).
    public var in50: Int
    public var in90: Int
    public var coverage50: Double
    public var coverage90: Double
    /// Mean absolute error of the median, and of the no-change forecast.
    public var medianMAE: Double
    public var noChangeMAE: Double
    /// `medianMAE / noChangeMAE`: below 1 beats "nothing changes" (NaN when no-change is exact).
    public var skillRatio: Double
    /// Mean CRPS, and the same divided by the no-change MAE (the no-change forecast's own CRPS:
    /// a point forecast's CRPS is its absolute error), so below 1 beats it as a distribution.
    public var crps: Double
    public var crpsRatio: Double
    /// Counts of PIT values in `pitBins` equal bins of [0, 1] (a PIT of exactly 1 in the last).
    public var pitHistogram: [Int]

    /// The number of bins of the PIT histogram.
    public static let pitBins = 10

    public init(kind: FigureKind, scores: [ForecastScore]) {
        let scored = scores.filter { $0.kind == kind && $0.comparison.projected.count > 0 }
        self.kind = kind
        figures = scored.count
        in50 = scored.filter(\.comparison.in50).count
        in90 = scored.filter(\.comparison.in90).count
        let n = Double(figures)
        func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / n }
        coverage50 = figures > 0 ? Double(in50) / n : .nan
        coverage90 = figures > 0 ? Double(in90) / n : .nan
        medianMAE = mean(scored.map { abs($0.comparison.error) })
        noChangeMAE = mean(scored.map(\.noChangeError))
        skillRatio = noChangeMAE > 0 ? medianMAE / noChangeMAE : .nan
        crps = mean(scored.map(\.crps))
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
    public func value(counts: [[Double]], _ d: Dimensions) -> Double {
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
