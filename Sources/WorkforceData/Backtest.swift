import WorkforceFormats
import Workforce

/// One published figure to check a projection against: a row of an observed-figures CSV
/// (`date,measure,value`, and optionally `source`).
package struct Observation: Sendable {
    package var date: Month
    package var measure: Measure
    /// A share as a fraction (a value written `16.6%` is read as 0.166), or a count.
    package var value: Double
    /// Where the figure comes from, as written (empty when the file has no `source` column).
    package var source: String
    package var line: Int

    /// Reads an observed-figures CSV against a model's dimensions. Columns are found by name
    /// (`date`, `measure`, `value`, optional `source`; others are ignored). Dates are `YYYY-MM`
    /// (or `YYYY-MM-DD`); values may carry thousands commas, or `%` for a share in percent. Every
    /// problem is reported with its line and column.
    package static func read(_ text: String, file: String, _ d: Dimensions) throws(InputError) -> [Observation] {
        let table = try CSVTable(parsing: text, file: file)
        let date = table.column(["date"]), measure = table.column(["measure"]), value = table.column(["value"])
        guard let date, let measure, let value else {
            throw InputError([Diagnostic(
                file: file, line: table.header.first?.line ?? 1, column: 1,
                message: "missing column \(zip(["date", "measure", "value"], [date, measure, value]).filter { $1 == nil }.map(\.0).joined(separator: ", ")); "
                    + "expected the header date,measure,value (and optionally source)")])
        }
        let source = table.column(["source"])
        var observations: [Observation] = []
        var problems: [Diagnostic] = []
        for row in table.rows {
            let month = Measure.month(row[date].trimmed)
            if month == nil { problems.append(table.problem(row[date], column: date, "'\(row[date].trimmed)' is not a month; expected YYYY-MM")) }
            var parsed: Measure?
            do {
                parsed = try Measure(parsing: row[measure].trimmed, d)
            } catch {
                problems.append(table.problem(row[measure], column: measure, error.message))
            }
            let number = Self.number(row[value].trimmed)
            if number == nil {
                problems.append(table.problem(row[value], column: value, "'\(row[value].trimmed)' is not a number; expected e.g. 0.166, 16.6% or 34,112"))
            }
            if let parsed, let number, parsed.statistic == .share, !(0...1).contains(number) {
                problems.append(table.problem(row[value], column: value, "\(row[value].trimmed) is not a share; expected a value from 0 to 1 (or 0% to 100%)"))
                continue
            }
            if let month, let parsed, let number {
                observations.append(Observation(
                    date: month, measure: parsed, value: number, source: source.map { row[$0].trimmed } ?? "", line: row[0].line))
            }
        }
        if table.rows.isEmpty { problems.append(Diagnostic(file: file, message: "no observations; expected a row per published figure")) }
        guard problems.isEmpty else { throw InputError(problems) }
        return observations
    }

    /// A plain number, with thousands commas allowed, or a percentage (`16.6%` → 0.166).
    static func number(_ text: String) -> Double? {
        let percent = text.hasSuffix("%")
        let digits = (percent ? String(text.dropLast()) : text).replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
        guard let value = Double(digits), value.isFinite else { return nil }
        return percent ? value / 100 : value
    }
}

/// Running a scenario against published figures.
package enum Backtest {
    /// The model to run: the scenario's own targets replaced by one target per observation (which
    /// makes the engine record each measure at its date), and the horizon moved to the first step
    /// ending at or after the last observed date. Dates before the start are reported.
    package static func model(_ model: Model, observations: [Observation], file: String) throws(InputError) -> Model {
        let t = model.timeline
        let early = observations.filter { $0.date < t.start }
        guard early.isEmpty else {
            throw InputError(early.map {
                Diagnostic(file: file, line: $0.line, path: "date",
                           message: "\($0.date) is before the scenario's start \(t.start); expected a date the run covers")
            })
        }
        var result = model
        result.targets = observations.enumerated().map { i, o in o.measure.target(name: "observation \(i + 1)", date: o.date) }
        let last = observations.map(\.date).max() ?? t.start
        let steps = max(1, (last - t.start + t.monthsPerStep - 1) / t.monthsPerStep)
        result.timeline.horizon = t.start + steps * t.monthsPerStep
        return result
    }

    /// Each observation compared with its projection, from a run of `Backtest.model`.
    package static func compare(_ result: RunResult, observations: [Observation]) -> [Comparison] {
        zip(observations, draws(result, observations: observations)).map { Comparison(observed: $0.value, draws: $1) }
    }

    /// Each observation's projected value in every replication, from a run of `Backtest.model`
    /// (a share is NaN in a replication where its denominator is empty).
    package static func draws(_ result: RunResult, observations: [Observation]) -> [[Double]] {
        let plan = result.plan
        let d = plan.model.dimensions
        return observations.enumerated().map { i, o in
            switch o.measure.statistic {
            case .share:
                return (0..<result.replications).map { result.targetValue(replication: $0, target: i) }
            case .count:
                let step = plan.model.timeline.step(at: o.date)
                let report = plan.reportSteps.firstIndex(of: step)!
                let cells = d.ranks.indices.filter { o.measure.ranks[$0] }.flatMap { r in
                    d.ethnicities.indices.flatMap { e in
                        d.genders.indices.filter { o.measure.group.ethnicities[e] && o.measure.group.genders[$0] }
                            .map { plan.headcountIndex(report: report, rank: r, group: d.group(e, $0)) }
                    }
                }
                return (0..<result.replications).map { rep in cells.reduce(0) { $0 + result.count(replication: rep, $1) } }
            }
        }
    }

    /// A projection compared with one observed value.
    package struct Comparison: Sendable {
        package var observed: Double
        /// The projected value over replications (mean and quantiles).
        package var projected: Quantiles
        /// Inside the central 50% interval (p25–p75) and the central 90% interval (p5–p95), bounds included.
        package var in50: Bool
        package var in90: Bool
        /// Observed − projected median.
        package var error: Double
        /// Where the observed value falls in the projected distribution: the fraction of replications
        /// below it, plus half of those equal to it (0.5 = the median; near 0 or 1 = in a tail).
        package var pit: Double

        /// Compares `observed` with one projected value per replication (NaN values are left out).
        package init(observed: Double, draws: [Double]) {
            var values = draws
            projected = Quantiles(&values)  // sorted, NaN removed
            self.observed = observed
            in50 = projected.p25 <= observed && observed <= projected.p75
            in90 = projected.p5 <= observed && observed <= projected.p95
            error = observed - projected.p50
            let below = values.filter { $0 < observed }.count, equal = values.filter { $0 == observed }.count
            pit = values.isEmpty ? .nan : (Double(below) + 0.5 * Double(equal)) / Double(values.count)
        }
    }

    /// How many observed values fell in the projected 50% and 90% intervals. A calibrated projection
    /// puts about half of them in the 50% interval and nine in ten in the 90% interval.
    package struct Coverage: Sendable, Hashable {
        package var observations: Int
        package var in50: Int
        package var in90: Int

        package init(_ comparisons: [Comparison]) {
            let defined = comparisons.filter { $0.projected.count > 0 }
            observations = defined.count
            in50 = defined.filter(\.in50).count
            in90 = defined.filter(\.in90).count
        }

        /// The fractions inside (NaN without observations).
        package var rate50: Double { observations > 0 ? Double(in50) / Double(observations) : .nan }
        package var rate90: Double { observations > 0 ? Double(in90) / Double(observations) : .nan }
    }
}
