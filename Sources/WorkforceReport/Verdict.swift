import Foundation

/// The chance that an aim is met, estimated from Monte Carlo replications, with its uncertainty.
///
/// The estimate is the fraction of `replications` that meet the aim; its uncertainty is the 95%
/// Wilson score interval, which stays inside 0...1 and is not empty at 0% or 100% (a run in which
/// no replication met an aim does not show that the aim cannot be met). The replications counted
/// are the run's: for a recruit or promotion aim whose measure is undefined in a few replications
/// (an empty denominator), the interval is slightly too narrow.
package struct Chance: Sendable, Hashable {
    /// The fraction of replications meeting the aim, 0...1.
    package var estimate: Double
    /// How many replications the estimate is from (at least 1).
    package var replications: Int
    /// The 95% Wilson score interval, 0...1.
    package var low: Double, high: Double

    /// z for a two-sided 95% interval.
    static let z = 1.959963984540054

    /// Nil for an undefined chance (NaN, or no replications).
    package init?(_ estimate: Double?, replications: Int) {
        guard let estimate, estimate.isFinite, replications > 0 else { return nil }
        let p = min(max(estimate, 0), 1), n = Double(replications), z2 = Self.z * Self.z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = Self.z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        (self.estimate, self.replications) = (p, replications)
        // At 0% or 100% the interval ends at the estimate exactly (not at a rounding error from it).
        (low, high) = (p == 0 ? 0 : max(0, centre - half), p == 1 ? 1 : min(1, centre + half))
    }

    /// The Monte Carlo standard error of the estimate: √(p(1−p)/n), and never less than the
    /// Wilson interval's half-width over z, so an estimate of 0% or 100% still carries one (there
    /// the interval is one-sided: its whole width over z).
    package var standardError: Double {
        let oneSided = estimate == 0 || estimate == 1
        return max((estimate * (1 - estimate) / Double(replications)).squareRoot(), (high - low) / ((oneSided ? 1 : 2) * Self.z))
    }

    /// The decimals of a percentage these replications support (`Figure.decimals(standardError:)`):
    /// whole percents unless the error is at most 0.1 pt (at a chance of 50%, from 250,000 replications).
    package var decimals: Int { Figure.decimals(standardError: standardError) }

    /// The estimate as a percentage to the supported precision: `68%`.
    package var percent: String { Figure(estimate).percent(decimals: decimals) }

    /// The interval's ends at the same precision: (`65%`, `71%`).
    package var interval: (low: String, high: String) {
        (Figure(low).percent(decimals: decimals), Figure(high).percent(decimals: decimals))
    }

    /// `68% (65%–71%)`: the estimate with its 95% interval, for tables whose header says so.
    package var withInterval: String {
        let (a, b) = interval
        return "\(percent) (\(a)–\(b))"
    }

    /// The bands of `Likelihood` the interval touches, lowest first.
    var bands: [Likelihood] {
        guard let lo = Likelihood(low), let hi = Likelihood(high) else { return [] }
        let all = Likelihood.allCases
        return Array(all[all.firstIndex(of: lo)!...all.firstIndex(of: hi)!])
    }
}

/// Red, amber, green: whether an aim is on track, in the words a board reads.
package enum Status: String, Sendable, CaseIterable {
    /// Green: met in most futures. The chance is above 67% and its whole 95% interval too.
    case onTrack = "on track"
    /// Amber: either way. The chance is between 33% and 67%, or too close to 33% or 67% for the
    /// replications to tell.
    case inTheBalance = "in the balance"
    /// Red: missed in most futures. The chance is below 33% and its whole 95% interval too.
    case offTrack = "off track"

    /// The colour's name on the page: `green`, `amber`, `red`.
    package var colour: String {
        switch self {
        case .onTrack: "green"
        case .inTheBalance: "amber"
        case .offTrack: "red"
        }
    }

    /// The key's line for this colour, in words.
    package var key: String { "\(colour.prefix(1).uppercased() + colour.dropFirst()), \(rawValue): \(meaning)." }

    /// What the status means, in words.
    package var meaning: String {
        switch self {
        case .onTrack: "likely to be met (chance above 67%, with the whole 95% interval above it)"
        case .inTheBalance: "the chance is between 33% and 67%, or too close to either for the replications to tell"
        case .offTrack: "unlikely to be met (chance below 33%, with the whole 95% interval below it)"
        }
    }
}

/// The verdict on one aim: the one place the report and the terminal turn a chance into words and
/// a status. A Monte Carlo chance gets a band of `Likelihood` only when its whole 95% interval
/// lies inside that band, so two runs whose intervals lie on the same side of every boundary say
/// the same thing; otherwise it reads "about 68%, between 65% and 71%", and its status changes
/// only when the interval clears a status boundary (33% or 67%).
package enum Verdict: Sendable, Hashable {
    /// The 95% interval lies inside one band.
    case settled(Likelihood, Chance)
    /// The 95% interval straddles a band boundary.
    case about(Chance)
    /// An expected-value projection (one deterministic run): met at the date, or not.
    case met, notMet
    /// No replication has the measure defined (an empty denominator throughout).
    case undefined

    /// A Monte Carlo verdict from a fraction of `replications`.
    package init(probability: Double?, replications: Int) {
        guard let chance = Chance(probability, replications: replications) else {
            self = .undefined
            return
        }
        let bands = chance.bands
        self = bands.count == 1 ? .settled(bands[0], chance) : .about(chance)
    }

    /// An expected-value verdict (`RunManifest.Mode.metInExpectedValue`).
    package init(met: Bool) { self = met ? .met : .notMet }

    /// The chance with its uncertainty; nil for an expected-value or undefined verdict.
    package var chance: Chance? {
        switch self {
        case .settled(_, let c), .about(let c): c
        case .met, .notMet, .undefined: nil
        }
    }

    /// Red, amber or green; nil when undefined.
    package var status: Status? {
        switch self {
        case .met: return .onTrack
        case .notMet: return .offTrack
        case .undefined: return nil
        case .settled(_, let c), .about(let c):
            if c.low > 0.67 { return .onTrack }
            if c.high < 0.33 { return .offTrack }
            return .inTheBalance
        }
    }

    /// In words: `likely`, `about 68%, between 65% and 71%`, `met`, `not met`, `undefined`.
    package var words: String {
        switch self {
        case .settled(let band, _): return band.rawValue
        case .about(let c):
            let (a, b) = c.interval
            return "about \(c.percent), between \(a) and \(b)"
        case .met: return "met"
        case .notMet: return "not met"
        case .undefined: return "undefined"
        }
    }

    /// The bands in words, for a table whose next column gives the chance and its interval:
    /// `likely`, or the bands an interval straddles, `about even or likely`.
    package var bands: String {
        guard case .about(let c) = self else { return words }
        return c.bands.map(\.rawValue).joined(separator: " or ")
    }

    /// Words and chance in one short phrase, for a cell or a terminal line: `likely, 72% (69%–75%)`,
    /// `about 68% (65%–71%)`, `met`, `not met`, `undefined`; the interval is the 95% one.
    package var phrase: String {
        switch self {
        case .settled(let band, let c): "\(band.rawValue), \(c.withInterval)"
        case .about(let c): "about \(c.withInterval)"
        case .met, .notMet, .undefined: words
        }
    }
}
