import Foundation

/// Leavers and joiners of one year between snapshots, when known (e.g. from the HO joiners and
/// leavers tables), by the snapshots' categories.
package struct ObservedFlows: Sendable {
    /// `leavers[rank][group]`, when given.
    package var leavers: [[Double]]?
    /// `joiners[group]` into the lowest rank, when given.
    package var joiners: [Double]?

    package init(leavers: [[Double]]? = nil, joiners: [Double]? = nil) {
        self.leavers = leavers
        self.joiners = joiners
    }
}

/// What `calibrate` estimates from annual snapshots of a force (and flows, when given), under
/// the engine's structure: each year officers leave, are promoted one rank up, and recruits join
/// the lowest rank; rates are constant over the years and do not depend on service.
///
/// Snapshots identify only the net change of each rank × group. Two assumptions fill the gap:
/// 1. *Leaving.* Without leavers counts for a year, each rank's officers are taken to leave at
///    an assumed annual rate, the same for every group; so differences between groups in how a
///    rank changes are put down to promotion, not leaving. (Snapshots cannot tell the two apart.)
/// 2. *Pipeline.* Promotions into each rank are what its change and its leavers imply, top rank
///    down: `P(r) = N₁(r) − N₀(r) + L(r) + P(r+1)`; recruits are what the lowest rank's change
///    implies, `J = N₁(0) − N₀(0) + L(0) + P(1)`, unless joiners are given. Transfers, demotions,
///    direct entry and re-classification (e.g. "Not stated" becoming known) are absorbed into
///    these flows; implied flows below zero are set to zero and reported.
package struct Calibration: Sendable {
    /// One rate of one rank × group: events among officers exposed, raw and shrunk.
    package struct Rate: Sendable {
        /// Events (leavers, or promotions) summed over the years; promotions may be implied.
        package var events: Double
        /// Officers exposed, summed over the years: the rank at the start of the year (leaving),
        /// or the rank below less its leavers (promotion).
        package var exposure: Double
        /// `events / exposure` and its standard error (NaN without exposure).
        package var raw: Double
        package var rawSE: Double
        /// The shrunk rate and its standard error (binomial, plus the variance of implied events).
        package var value: Double
        package var se: Double
    }

    /// The rates of one rank's groups, and the prior they were shrunk toward.
    package struct RateTable: Sendable {
        package var prior: BetaBinomialShrinkage
        /// By group.
        package var groups: [Rate]
    }

    /// An estimated share (of intake) with its standard error.
    package struct Share: Sendable {
        package var count: Double
        package var value: Double
        package var se: Double
    }

    package var categories: Categories
    /// The as-at years of the snapshots, consecutive.
    package var years: [Int]
    /// Officers per rank × group at the start and the end of the years, summed over the years.
    package var startStock: [[Double]]
    package var endStock: [[Double]]
    /// Whether leavers were given for every year (else some were imputed from `assumedLeaving`).
    package var leaversObserved: Bool
    package var joinersObserved: Bool
    /// The annual leaving rate assumed per rank where leavers were not given.
    package var assumedLeaving: [Double]
    /// Leaving rates by rank (`leaving[rank]`); estimated only when `leaversObserved`.
    package var leaving: [RateTable]?
    /// Promotion rates into each rank above the lowest (`promotion[rank - 1]` is into `rank`).
    package var promotion: [RateTable]
    /// The group promotion odds are relative to: the group with the most officers.
    package var reference: Int
    /// Recruits per year into the lowest rank, and its standard error (0 when joiners were given).
    package var intakePerYear: Double
    package var intakePerYearSE: Double
    /// Intake shares by ethnicity; by gender; by gender within each ethnicity (`[ethnicity][gender]`).
    package var intakeEthnicity: [Share]
    package var intakeGender: [Share]
    package var intakeGenderByEthnicity: [[Share]]
    /// What had to be adjusted, in words (e.g. negative implied promotions set to zero).
    package var notes: [String]
    /// Officers per rank in the last snapshot (what `ForceSize.flat` holds each rank at).
    package var lastHeadcount: [Double] = []
    /// How the fragment sets the force's size, and the year-to-year spread of rank sizes it uses
    /// for `.flat` (ForceSize.swift).
    package var size = ForceSize.flat
    package var sizeVariation = SizeVariation.assumed
    /// The year-to-year variation of the intake size written with `ForceSize.rates` and `.perYear`.
    package var intakeVariation = YearToYearEstimate.assumedIntake
    /// The year-to-year variation of the intake shares, leaving and promotion written into the
    /// fragment (promotion only where it is by rate).
    package var makeUpVariation = MakeUpVariation.assumed
    /// The partial pooling across forces applied to the intake ethnicity shares (`poolIntake`), if any.
    package var intakePooling: IntakePooling?

    /// The force's mean annual change over the years given, on the log scale: the log of its
    /// officers at the ends of the years over those at their starts (`ForceSize.trend`).
    package var trendGrowth: Double {
        let start = startStock.reduce(0) { $0 + $1.reduce(0, +) }, end = endStock.reduce(0) { $0 + $1.reduce(0, +) }
        return start > 0 && end > 0 ? log(end / start) : 0
    }

    /// Net change of a rank × group per year, `(N₁ − N₀) / N₀`: what snapshots identify by
    /// themselves (leavers and promotions out, net of promotions and recruits in). NaN when empty.
    package func netChange(rank: Int, group: Int) -> Double {
        startStock[rank][group] > 0 ? (endStock[rank][group] - startStock[rank][group]) / startStock[rank][group] : .nan
    }

    /// A group's promotion odds into `rank` relative to the reference group, and the standard
    /// error of its logarithm (delta method: `se(logit p) = se(p) / (p(1 − p))`).
    package func odds(rank: Int, group: Int) -> (factor: Double, logSE: Double) {
        let table = promotion[rank - 1]
        let p = table.groups[group], ref = table.groups[reference]
        func odds(_ x: Double) -> Double { x / (1 - x) }
        func logitSE(_ r: Rate) -> Double { r.se / (r.value * (1 - r.value)) }
        let logSE = group == reference ? 0 : (logitSE(p) * logitSE(p) + logitSE(ref) * logitSE(ref)).squareRoot()
        return (odds(p.value) / odds(ref.value), logSE)
    }
}

extension Calibration {
    /// Estimates the rates from consecutive annual `snapshots` (counts `[rank][group]`, in
    /// `categories`, as at `years`), with `flows` for the years they are known (keyed by the year a
    /// period ends), and `assumedLeaving` per rank where leavers are not known.
    package init(
        categories: Categories, years: [Int], snapshots: [[[Double]]], flows: [Int: ObservedFlows] = [:],
        assumedLeaving: [Double]
    ) {
        precondition(snapshots.count >= 2 && snapshots.count == years.count, "two or more snapshots, one per year")
        let R = categories.ranks.count, Q = categories.groupCount
        var implied = ImpliedFlows(ranks: R, groups: Q)
        for t in 0..<(snapshots.count - 1) {
            implied.add(
                from: snapshots[t], to: snapshots[t + 1], given: flows[years[t + 1]], assumedLeaving: assumedLeaving,
                categories: categories, period: "\(years[t])→\(years[t + 1])")
        }
        let periods = Double(snapshots.count - 1)
        self.categories = categories
        self.years = years
        startStock = implied.start
        endStock = implied.end
        leaversObserved = implied.allLeavers
        joinersObserved = implied.allJoiners
        self.assumedLeaving = assumedLeaving
        leaving = implied.allLeavers
            ? (0..<R).map { Self.rateTable(implied.leavers[$0], implied.start[$0], implied.leavingVariance[$0]) } : nil
        promotion = (1..<max(1, R)).map {
            Self.rateTable(implied.promotions[$0], implied.promotionExposure[$0], implied.promotionVariance[$0])
        }
        let groupTotals: [Double] = (0..<Q).map { q in implied.start.reduce(0.0) { $0 + $1[q] } }
        reference = groupTotals.indices.max { groupTotals[$0] < groupTotals[$1] } ?? 0

        let E = categories.ethnicities.count, G = categories.genders.count
        func byEthnicity(_ values: [Double]) -> [Double] {
            (0..<E).map { e in (0..<G).reduce(0) { $0 + values[categories.group(e, $1)] } }
        }
        func byGender(_ values: [Double]) -> [Double] {
            (0..<G).map { g in (0..<E).reduce(0) { $0 + values[categories.group($1, g)] } }
        }
        let joiners = implied.joiners, joinerVariance = implied.joinerVariance
        intakePerYear = joiners.reduce(0, +) / periods
        intakePerYearSE = joinerVariance.reduce(0, +).squareRoot() / periods
        intakeEthnicity = Self.shares(byEthnicity(joiners), byEthnicity(joinerVariance))
        intakeGender = Self.shares(byGender(joiners), byGender(joinerVariance))
        intakeGenderByEthnicity = (0..<E).map { e in
            let cells = (0..<G).map { categories.group(e, $0) }
            return Self.shares(cells.map { joiners[$0] }, cells.map { joinerVariance[$0] })
        }
        notes = implied.notes
        lastHeadcount = snapshots[snapshots.count - 1].map { $0.reduce(0, +) }
    }

    /// A rate table from each group's events, exposures and the variance of events that were
    /// implied rather than counted, shrunk towards their beta-binomial prior.
    static func rateTable(_ events: [Double], _ exposures: [Double], _ variances: [Double]) -> RateTable {
        let prior = BetaBinomialShrinkage(events: events, exposures: exposures)
        return RateTable(prior: prior, groups: (0..<events.count).map { q in
            let x = min(max(0, events[q]), exposures[q]), n = exposures[q]
            let raw = n > 0 ? x / n : .nan
            let rawSE = n > 0 ? (raw * (1 - raw) / n + variances[q] / (n * n)).squareRoot() : .nan
            let shrunk = prior.posterior(events: x, exposure: n, extraVariance: variances[q])
            return Rate(events: x, exposure: n, raw: raw, rawSE: rawSE, value: shrunk.rate, se: shrunk.se)
        })
    }

    /// Intake shares from recruits by category: Jeffreys (½ a recruit per category) so that no
    /// share is exactly 0 or 1, with the variance of implied recruits carried into each share's SE.
    static func shares(_ counts: [Double], _ variances: [Double]) -> [Share] {
        let total = counts.reduce(0, +), totalVariance = variances.reduce(0, +)
        let n = total + 0.5 * Double(counts.count)
        return zip(counts, variances).map { count, variance in
            let p = (count + 0.5) / n
            let implied = (variance * (1 - p) * (1 - p) + p * p * (totalVariance - variance)) / (n * n)
            return Share(count: count, value: p, se: (p * (1 - p) / (n + 1) + implied).squareRoot())
        }
    }

    static func format(_ x: Double) -> String {
        // checked: whole and below 10^15 in magnitude
        abs(x) < 1e15 && abs(x - x.rounded()) < 1e-9 ? String(Int(x.rounded())) : String(format: "%.1f", x)
    }
}

/// The flows a series of snapshots implies, summed over its periods, rank × group: leavers
/// (given, or the assumed rate times the stock, with the binomial variance of that guess),
/// promotions into each rank (what the stocks and leavers leave unexplained, clipped to what is
/// possible, with a note each time) and recruits (given, or implied the same way). One owner,
/// filled period by period by `add`; read by `Calibration.init`.
private struct ImpliedFlows {
    var start: [[Double]], end: [[Double]]
    var leavers: [[Double]], leavingVariance: [[Double]]
    var promotions: [[Double]], promotionExposure: [[Double]], promotionVariance: [[Double]]
    var joiners: [Double], joinerVariance: [Double]
    var notes: [String] = []
    /// Whether every period gave its leavers (its joiners): else they are implied.
    var allLeavers = true, allJoiners = true

    init(ranks R: Int, groups Q: Int) {
        let zero = Array(repeating: Array(repeating: 0.0, count: Q), count: R)
        (start, end, leavers, leavingVariance) = (zero, zero, zero, zero)
        (promotions, promotionExposure, promotionVariance) = (zero, zero, zero)
        joiners = Array(repeating: 0.0, count: Q)
        joinerVariance = joiners
    }

    /// Adds one period, from stock `n0` to stock `n1` (rank × group), with the flows `given` for it.
    /// - Complexity: O(ranks × groups).
    mutating func add(
        from n0: [[Double]], to n1: [[Double]], given: ObservedFlows?, assumedLeaving: [Double],
        categories: Categories, period: String
    ) {
        allLeavers = allLeavers && given?.leavers != nil
        allJoiners = allJoiners && given?.joiners != nil
        var impliedJoiners = 0.0, givenJoiners = 0.0
        for q in 0..<categories.groupCount {
            let recruits = addGroup(
                q, from: n0, to: n1, given: given, assumedLeaving: assumedLeaving, categories: categories, period: period)
            if let given = given?.joiners {
                joiners[q] += given[q]
                impliedJoiners += recruits
                givenJoiners += given[q]
            }
        }
        if given?.joiners != nil && abs(impliedJoiners - givenJoiners) > 0.5 {
            notes.append("\(period): \(Calibration.format(givenJoiners)) joiners given; the snapshots and leavers imply "
                + "\(Calibration.format(impliedJoiners)) (the difference is transfers, re-classification or inconsistent data)")
        }
    }

    /// Adds group `q`'s leavers and promotions of one period and, when the period gives no
    /// joiners, its implied recruits; returns the recruits the stocks imply (before clipping).
    private mutating func addGroup(
        _ q: Int, from n0: [[Double]], to n1: [[Double]], given: ObservedFlows?, assumedLeaving: [Double],
        categories: Categories, period: String
    ) -> Double {
        let R = categories.ranks.count
        let leave = (0..<R).map { r in given?.leavers?[r][q] ?? assumedLeaving[r] * n0[r][q] }
        let leaveVariance = (0..<R).map { r in
            given?.leavers == nil ? n0[r][q] * assumedLeaving[r] * (1 - assumedLeaving[r]) : 0
        }
        var promotedInto = Array(repeating: 0.0, count: R + 1), varianceInto = promotedInto
        for r in stride(from: R - 1, through: 1, by: -1) {
            promotedInto[r] = n1[r][q] - n0[r][q] + leave[r] + promotedInto[r + 1]
            varianceInto[r] = leaveVariance[r] + varianceInto[r + 1]
        }
        for r in 0..<R {
            start[r][q] += n0[r][q]
            end[r][q] += n1[r][q]
            leavers[r][q] += leave[r]
            leavingVariance[r][q] += leaveVariance[r]
        }
        for r in 1..<max(1, R) {
            let pool = max(0, n0[r - 1][q] - leave[r - 1])
            var implied = promotedInto[r]
            if implied < -0.5 {
                notes.append("\(period): \(categories.groupName(q)) promotions into \(categories.ranks[r]) implied "
                    + "\(Calibration.format(implied)); set to 0 (more left, or were re-classified, than the assumptions allow)")
            }
            if implied > pool + 0.5 {
                notes.append("\(period): \(categories.groupName(q)) promotions into \(categories.ranks[r]) implied "
                    + "\(Calibration.format(implied)), more than the \(Calibration.format(pool)) who could be promoted; capped")
            }
            implied = min(max(0, implied), pool)
            promotions[r][q] += implied
            promotionExposure[r][q] += pool
            promotionVariance[r][q] += varianceInto[r]
        }
        let implied = n1[0][q] - n0[0][q] + leave[0] + promotedInto[min(1, R)]
        if given?.joiners == nil {
            if implied < -0.5 {
                notes.append("\(period): \(categories.groupName(q)) recruits implied \(Calibration.format(implied)); set to 0")
            }
            joiners[q] += max(0, implied)
            joinerVariance[q] += leaveVariance.reduce(0, +)
        }
        return implied
    }
}
