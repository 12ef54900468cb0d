import Foundation

/// How a calibrated fragment sets the size of the force, apart from its make-up (docs/data.md,
/// "Force size apart from make-up"). Snapshots show how a force's size moved in the training
/// years, but that follows budgets, not a rate that carries forward: one boom year's intake
/// carried forward grows the force on and on. So by default each rank is held at its size in the
/// last snapshot, and a planner who knows the budget says otherwise.
package enum ForceSize: Sendable, Hashable, CustomStringConvertible {
    /// Each rank held at its last observed headcount: an establishment equal to the last snapshot
    /// (with the year-to-year spread of rank sizes), intake `fill`, promotion `by: vacancy` with the
    /// estimated odds as weights.
    case flat
    /// Each rank on its force's trend: as `flat`, but each establishment grows (or shrinks) every
    /// year by the force's mean annual change over the years given (`Calibration.trendGrowth`),
    /// written as dated values for `trendYears` years after the last snapshot.
    case trend
    /// The estimated intake per year carried forward and promotion by the estimated rates: the
    /// size follows the flows of the training years (the behaviour before `--size`).
    case rates
    /// An intake of this many recruits a year, promotion by the estimated rates.
    case perYear(Double)

    /// `flat`, `rates` or `per-year=N`.
    package init?(argument: String) {
        switch argument {
        case "flat": self = .flat
        case "trend": self = .trend
        case "rates": self = .rates
        default:
            guard argument.hasPrefix("per-year="), let n = Double(argument.dropFirst("per-year=".count)), n >= 0, n.isFinite else { return nil }
            self = .perYear(n)
        }
    }

    /// How many years after the last snapshot `trend` writes the establishment for (it holds after).
    package static let trendYears = 10

    /// Whether ranks are held at an establishment (intake `fill`, promotion by vacancy).
    package var holdsEstablishment: Bool { self == .flat || self == .trend }

    package var description: String {
        switch self {
        case .flat: "flat"
        case .trend: "trend"
        case .rates: "rates"
        case .perYear(let n): "per-year=\(Calibration.number(n))"
        }
    }
}

/// How much a force and its ranks move in size from one year to the next, relative to their size:
/// a force-level change common to every rank, the `scale` of the establishment (relative variance
/// `scaleTau2`), times each rank's own change around it, with the law
/// `E[ln(N₁/N₀ ÷ F₁/F₀)²] = τ² + κ/N₀` (a common relative variance `τ²`, e.g. promotions moving
/// officers between ranks, plus a count noise `κ/N₀` that matters for small ranks). A rank of `N`
/// officers a year ahead then has spread `N·√(τ² + κ/N)` around the force's scale.
///
/// The rank law is fitted by least squares of the squared residual log changes on `1/N₀` over every
/// force × rank × year of the training snapshots with at least `minimumHeadcount` officers at the
/// start; the scale's variance is the spread of forces' log changes around each year's mean over
/// forces (less the count noise `κ/F₀`), plus the variance of the national year effect, which one
/// or two training years cannot show (`nationalTau2`, an assumption from published figures). Both
/// pooled across ranks and forces (method of moments, empirical-Bayes pooling: every force gets the
/// pooled law, none its own). Negative estimates are set to 0 and the other refitted. Without
/// enough transitions, `assumed` (an assumption, said as such).
package struct SizeVariation: Sendable, Hashable {
    /// `τ²`, the common relative variance of a rank's change around its force's, and `κ`, the
    /// count-noise term (officers).
    package var tau2: Double
    package var kappa: Double
    /// The relative variance of the force-level change common to every rank.
    package var scaleTau2: Double
    /// How many rank-years it was estimated from (0 for the assumption).
    package var transitions: Int
    /// Where it comes from, in words (for the fragment's comments and the command's report).
    package var source: String
    /// How much of the force's own change (around each year's mean over forces) is persistent and
    /// how much transient, where the snapshots were given per force (`LevelVariation`); nil: not
    /// estimated, and the force's scale wanders by the whole `scaleTau2` a year.
    package var levels: LevelVariation?

    /// Ranks smaller than this at the start of a year are left out of the fit (their ratios are too
    /// coarse: a rank of 5 moving to 3 is a 51% log change).
    package static let minimumHeadcount = 20.0
    /// Fewer rank-years than this: the assumption is used.
    package static let minimumTransitions = 10

    /// The variance of the national year effect on a force's size: `τ = 0.018`, from England and
    /// Wales joiners (FTE) 12,883, 12,127, 12,789, 16,328, 9,479 in the five years to March 2024
    /// (root mean square of their year-on-year log changes 0.30; `data/README.md`)
    /// times an intake of about 6% of strength a year (the leaving rate, same source). An assumption.
    package static let nationalTau2 = 0.018 * 0.018

    /// The assumption used without enough transitions: the scale varies with the national year
    /// effect only (`nationalTau2`), ranks with `τ = 0` and `κ = 0.12` around it, the binomial noise
    /// of about 6% leaving and 6% joining a year. An assumption, not an estimate.
    package static let assumed = SizeVariation(
        tau2: 0, kappa: 0.12, scaleTau2: nationalTau2, transitions: 0,
        source: "ASSUMED (no snapshots of enough forces or years to estimate it): force scale τ = 0.018 from England and Wales joiners "
            + "2020–24 (year-on-year log changes, RMS 0.30, times an intake of about 6% of strength; data/README.md); ranks "
            + "around it τ = 0, κ = 0.12")
}

extension SizeVariation {
    /// Fits the law to force-years: each rank's headcount at the start and end of a year (`starts`,
    /// `ends`, by rank), with the year (pairs with a start below `minimumHeadcount`, or an end of 0,
    /// are left out of the rank law); `assumed` with fewer than `minimumTransitions` rank-years.
    /// `what` says what was pooled, for `source`.
    package init(forceYears: [(year: Int, starts: [Double], ends: [Double])], what: String) {
        let kept = forceYears.filter { $0.starts.reduce(0, +) > 0 && $0.ends.reduce(0, +) > 0 }
        let forceChange = kept.map { log($0.ends.reduce(0, +) / $0.starts.reduce(0, +)) }
        var changes: [(start: Double, end: Double)] = []
        for (f, change) in zip(kept, forceChange) {
            for (a, b) in zip(f.starts, f.ends) where a >= Self.minimumHeadcount && b > 0 { changes.append((a, b * exp(-change))) }
        }
        guard changes.count >= Self.minimumTransitions, let (tau2, kappa) = Self.fit(changes) else {
            self = .assumed
            return
        }
        // The spread of forces' changes around each year's mean, less their count noise.
        var squares = 0.0, inverseSizes = 0.0
        let years = Set(kept.map(\.year))
        for year in years {
            let changes = zip(kept, forceChange).filter { $0.0.year == year }
            let mean = changes.reduce(0) { $0 + $1.1 } / Double(changes.count)
            squares += changes.reduce(0) { $0 + ($1.1 - mean) * ($1.1 - mean) }
            inverseSizes += changes.reduce(0) { $0 + 1 / $1.0.starts.reduce(0, +) }
        }
        let degrees = Double(kept.count - years.count)
        let spread = degrees > 0 ? max(0, squares / degrees - kappa * inverseSizes / Double(kept.count)) : 0
        self.init(
            tau2: tau2, kappa: kappa, scaleTau2: spread + Self.nationalTau2, transitions: changes.count,
            source: "estimated from \(kept.count) force-years and \(changes.count) rank-years of \(what) (ranks of at least "
                + "\(Int(Self.minimumHeadcount)) officers): force scale τ = \(Calibration.number((spread + Self.nationalTau2).squareRoot())) "  // checked: a small constant
                + "(spread between forces \(Calibration.number(spread.squareRoot())), plus the national year effect 0.018 ASSUMED from "
                + "England and Wales joiners 2020–24), ranks around it τ = \(Calibration.number(tau2.squareRoot())), κ = \(Calibration.number(kappa))")
    }

    /// Least squares of `ln(N₁/N₀)²` on `1/N₀`: `(τ², κ)`, a negative one set to 0 and the other
    /// refitted; nil without changes.
    static func fit(_ changes: [(start: Double, end: Double)]) -> (tau2: Double, kappa: Double)? {
        guard !changes.isEmpty else { return nil }
        let x = changes.map { 1 / $0.start }, y = changes.map { log($0.end / $0.start) * log($0.end / $0.start) }
        let n = Double(changes.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        var kappa = sxx > 0 ? sxy / sxx : 0
        var tau2 = my - kappa * mx
        if kappa < 0 {
            (kappa, tau2) = (0, my)
        } else if tau2 < 0 {
            tau2 = 0
            kappa = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } / x.reduce(0) { $0 + $1 * $1 }
        }
        return (tau2, kappa)
    }

    /// The standard deviation of the establishment's scale for a force of these rank sizes: the
    /// force's relative variance `scaleTau2` less what the ranks' own draws, independent of one
    /// another, already give its total (`τ² Σ N_r² / F²`; their count noise `κ/F` is the force's
    /// own), so that the force total has the estimated spread; 0 when they give it all.
    package func scaleSD(headcounts: [Double]) -> Double {
        let total = headcounts.reduce(0, +)
        guard total > 0 else { return 0 }
        let ranks = tau2 * headcounts.reduce(0) { $0 + $1 * $1 } / (total * total)
        return max(0, scaleTau2 - ranks).squareRoot()
    }

    /// The standard deviation of a rank's headcount a year ahead around its force's scale, in officers.
    package func sd(headcount n: Double) -> Double {
        n > 0 ? n * (tau2 + kappa / n).squareRoot() : 0
    }
}

extension HomeOfficeTable {
    /// Each rank's headcount at the start and end of each year between consecutive `years`, for
    /// every force with snapshots as at all of them: what `SizeVariation` pools. Forces without
    /// every year are left out.
    package func rankChanges(
        years: [Int], measure: Measure, mapping: CategoryMapping, categories: Categories?, workerType: String = "Police Officer"
    ) -> [(force: String, year: Int, starts: [Double], ends: [Double])] {
        forces.flatMap { force -> [(force: String, year: Int, starts: [Double], ends: [Double])] in
            let snapshots = years.compactMap {
                try? snapshot(force: force, year: $0, measure: measure, mapping: mapping, categories: categories, workerType: workerType)
            }
            guard snapshots.count == years.count, let ranks = snapshots.first?.categories.ranks.indices else { return [] }
            return zip(snapshots, snapshots.dropFirst()).map { a, b in
                (force, b.year, ranks.map { a.total(rank: $0) }, ranks.map { b.total(rank: $0) })
            }
        }
    }
}

extension YearToYearEstimate {
    /// The assumption for the intake size from published figures: England and Wales joiners (FTE,
    /// excluding transfers) 12,883, 12,127, 12,789, 16,328 and 9,479 in the five years to March 2024
    /// (data/README.md [S]): their year-on-year log changes have root mean square 0.30,
    /// and with independent years `E[d²] = 2σ²`, so σ = 0.30/√2 = 0.21. An assumption for any force
    /// (a national series, and the uplift years in it).
    package static let assumedIntake = YearToYearEstimate.assumption(
        0.21, because: MakeUpVariation.fewSnapshots,
        from: "England and Wales joiners 2020–24 (year-on-year log changes, RMS 0.30, over √2; data/README.md)")

    /// How much a force's intake size varies from one year to the next (log scale, independent
    /// years), pooled across forces: each force's yearly intakes `J_t` (joiners given, or implied
    /// by the pipeline, with standard error `s_t`, `intakes[force]`, consecutive years) give
    /// `d = ln J_{t+1} − ln J_t` with noise `s_t²/J_t² + s_{t+1}²/J_{t+1}²` (delta method); intakes
    /// of 0 are left out. `what` says what was pooled.
    package init(intakes: [[(value: Double, se: Double)]], what: String) {
        var differences: [(d: Double, noise: Double)] = []
        for force in intakes {
            for (a, b) in zip(force, force.dropFirst()) where a.value > 0 && b.value > 0 {
                differences.append((log(b.value / a.value), a.se * a.se / (a.value * a.value) + b.se * b.se / (b.value * b.value)))
            }
        }
        self.init(differences: differences, what: "yearly intakes of \(what)", assumed: Self.assumedIntake)
    }
}

extension HomeOfficeTable {
    /// Each force's calibrations of one year each (implied flows with `assumedLeaving`) between
    /// consecutive `years`, for every force with snapshots as at all of them: what
    /// `YearToYearEstimate(intakes:)` and `MakeUpVariation` pool.
    package func yearlyCalibrations(
        years: [Int], measure: Measure, mapping: CategoryMapping, categories: Categories?, assumedLeaving: [Double],
        workerType: String = "Police Officer"
    ) -> [(force: String, years: [Calibration])] {
        forces.compactMap { force in
            let snapshots = years.compactMap {
                try? snapshot(force: force, year: $0, measure: measure, mapping: mapping, categories: categories, workerType: workerType)
            }
            guard snapshots.count == years.count, let c = snapshots.first?.categories else { return nil }
            return (force, zip(snapshots, snapshots.dropFirst()).map { a, b in
                Calibration(categories: c, years: [a.year, b.year], snapshots: [a.counts, b.counts], assumedLeaving: assumedLeaving)
            })
        }
    }
}
