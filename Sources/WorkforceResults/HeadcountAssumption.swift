import Foundation
import Workforce

/// What a run assumes about the force's size, in one line a board member understands, and the
/// numbers behind it: whether officer numbers follow a planned establishment, and whether (and
/// how) that plan is uncertain. Every run writes it into manifest.json (`headcount`) and prints
/// it under the run's summary; the report shows `sentence`.
///
/// The 90% range is that of the planned establishment at the horizon under the scenario's own
/// law for it (docs/engine.md): on the log scale, variance `σ² + t δ²` of the year-to-year and
/// drift parts plus the squared coefficient of variation of a once-per-replication distribution,
/// where `t` is the number of whole simulation years before the horizon. With several ranks
/// whose establishments vary, their log deviations are added as if perfectly correlated (so the
/// range is at most this wide), and combined with the force-wide `scale` as independent. It is
/// the range of the *plan*, not of the headcount: where recruitment cannot fill the plan, or the
/// intake is not `fill`, officers may fall short of it.
package struct HeadcountAssumption: Codable, Sendable, Equatable {
    /// How the run treats the force's size.
    package enum Kind: String, Codable, Sendable {
        /// No establishment: officer numbers follow recruitment and leaving as written.
        case notPlanned = "not-planned"
        /// An establishment known exactly: every replication has the same plan.
        case fixed
        /// An uncertain establishment whose uncertainty does not grow with the horizon
        /// (a distribution drawn once, or `year_to_year` variation only).
        case uncertain
        /// An establishment whose level wanders (`drift`): uncertainty that grows year by year.
        case growingUncertainty = "growing-uncertainty"
    }

    package var kind: Kind
    /// The month the plan is stated at: the run's horizon.
    package var at: String
    /// The planned establishment at `at`, every rank that has one, at the mean of each
    /// uncertain number (officers); nil when `notPlanned`.
    package var planned: Double?
    /// The 5% and 95% points of the plan at `at` (officers); nil unless uncertain.
    package var low: Double?
    package var high: Double?
    /// The largest `drift` δ (a year, log scale) among the establishment's numbers; nil if none.
    package var driftPerYear: Double?
    /// The assumption in one line, for the run summary and the report's first page.
    package var sentence: String

    package init(kind: Kind, at: String, planned: Double?, low: Double?, high: Double?, driftPerYear: Double?, sentence: String) {
        (self.kind, self.at, self.planned, self.low, self.high, self.driftPerYear, self.sentence) =
            (kind, at, planned, low, high, driftPerYear, sentence)
    }

    /// The assumption of `model` (cost: one pass over its establishment entries).
    package init(_ model: Model) {
        let horizon = model.timeline.horizon
        let at = Self.words(horizon)
        guard !model.establishment.isEmpty else {
            self.init(
                kind: .notPlanned, at: horizon.description, planned: nil, low: nil, high: nil, driftPerYear: nil,
                sentence: "No planned establishment: officer numbers follow recruitment and leaving as set out.")
            return
        }
        let years = Double(max(0, (horizon - model.timeline.start - 1) / 12))
        func spread(_ p: Parameter) -> (mean: Double, logSD: Double, drift: Double, varies: Bool) {
            let spec = model.parameters[p.index]
            let mean = spec.distribution.mean(in: spec.range)
            let cv = mean > 0 ? spec.distribution.sd(in: spec.range) / mean : 0
            let y = spec.yearToYear ?? YearToYear(sd: 0)
            let variance = cv * cv + y.sd * y.sd + years * y.drift * y.drift
            return (mean, variance.squareRoot(), y.drift, variance > 0)
        }
        var planned = 0.0, rankLogSD = 0.0, drift = 0.0, varies = false
        let ranks = model.establishment.keys.sorted().map { spread(model.establishment[$0]!.value(at: horizon)) }
        for r in ranks { planned += r.mean }
        for r in ranks where planned > 0 {
            rankLogSD += r.mean / planned * r.logSD
            drift = max(drift, r.drift)
            varies = varies || r.varies
        }
        var logSD = rankLogSD
        if let scale = model.establishmentScale {
            let s = spread(scale)
            planned *= s.mean
            logSD = (logSD * logSD + s.logSD * s.logSD).squareRoot()
            drift = max(drift, s.drift)
            varies = varies || s.varies
        }
        let count = Self.whole(planned)
        guard varies else {
            self.init(
                kind: .fixed, at: horizon.description, planned: planned, low: nil, high: nil, driftPerYear: nil,
                sentence: "Officer numbers are held at the planned establishment, \(count) by \(at), exactly: no uncertainty about the budget is modelled.")
            return
        }
        let low = planned * exp(-1.6448536269514722 * logSD - logSD * logSD / 2)
        let high = planned * exp(1.6448536269514722 * logSD - logSD * logSD / 2)
        let range = "90% between \(Self.whole(low)) and \(Self.whole(high))"
        if drift > 0 {
            self.init(
                kind: .growingUncertainty, at: horizon.description, planned: planned, low: low, high: high, driftPerYear: drift,
                sentence: "Officer numbers follow the planned establishment, \(count) by \(at), with budget uncertainty that grows each year: \(range) by then.")
        } else {
            self.init(
                kind: .uncertain, at: horizon.description, planned: planned, low: low, high: high, driftPerYear: nil,
                sentence: "Officer numbers follow the planned establishment, \(count) by \(at), with budget uncertainty that does not grow with time: \(range).")
        }
    }

    /// "Mar 2024".
    static func words(_ month: Month) -> String { "\(month.name) \(month.year)" }

    /// "36,123": officers, whole, with thousands separators.
    static func whole(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e15 else { return String(format: "%.3g", x) }
        let n = Int(x.rounded())  // checked: |x| < 1e15 fits Int
        var digits = String(abs(n)), out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (n < 0 ? "-" : "") + digits + out
    }
}

extension Distribution {
    /// The standard deviation of the distribution (a normal's before truncation to `range`, an
    /// upper bound on the truncated one's): for stating how uncertain a number is, not for drawing.
    package func sd(in range: ClosedRange<Double>) -> Double {
        switch self {
        case .fixed: 0
        case .uniform(let low, let high): (high - low) / 12.0.squareRoot()
        case .normal(_, let sd): sd
        case .beta(let a, let b, let low, let high): (high - low) * (a * b / ((a + b) * (a + b) * (a + b + 1))).squareRoot()
        case .triangular(let a, let c, let b): ((a * a + b * b + c * c - a * b - a * c - b * c) / 18).squareRoot()
        }
    }
}
