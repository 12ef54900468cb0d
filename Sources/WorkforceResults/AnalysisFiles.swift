import WorkforceFormats
import Workforce
import WorkforceAnalysis

/// The outputs of the analysis commands as typed values: each command builds one, its JSON and
/// CSV files are rendered from it, the report draws it, and `workforce report` decodes the JSON
/// back into it (`ResultJSON.decode`). Shares and probabilities are fractions (0...1); nil where
/// no replication defined the quantity.

/// sensitivity.json of `workforce sensitivity` (schema `workforce.sensitivity/1`): each input
/// moved low and high on its own, and the paired change it makes to each target's measure;
/// sensitivity.csv is the same effects, one row each.
package struct SensitivityFile: Codable, Sendable, Equatable {
    package var schema = "workforce.sensitivity/1"
    package var scenario: String
    /// `relative` (± a fraction of each input) or `percentiles` (its 5th and 95th).
    package var method: String
    /// The relative change (for `relative`).
    package var change: Double
    package var seed: UInt64
    package var replications: Int
    /// Ranked within each target by swing, largest first; targets in the scenario's order.
    package var effects: [Effect]

    package init(scenario: String, method: String, change: Double, seed: UInt64, replications: Int, effects: [Effect]) {
        (self.scenario, self.method, self.change, self.seed, self.replications, self.effects) = (scenario, method, change, seed, replications, effects)
    }

    package struct Effect: Codable, Sendable, Equatable {
        package var target: String
        /// 1 for the largest swing on this target.
        package var rank: Int
        /// The input's field path.
        package var parameter: String
        /// The input in words (the scenario's `labels:`, else made from its place in the model).
        package var label: String
        /// The input's values in the low and high runs.
        package var lowValue, highValue: Double
        /// The target's mean measure as the scenario is, and the mean paired change with the
        /// input low and high; `swing` is the distance between the two changes.
        package var baselineMean, lowEffect, highEffect, swing: Double?
        /// P(met) with the input low and high; nil (left out of the JSON, NA in the CSV) when no replication
        /// defined the target's measure there (e.g. a recruits target with no recruits).
        package var lowProbability, highProbability: Double?

        package init(
            target: String, rank: Int, parameter: String, label: String, lowValue: Double, highValue: Double, baselineMean: Double?,
            lowEffect: Double?, highEffect: Double?, swing: Double?, lowProbability: Double?, highProbability: Double?
        ) {
            (self.target, self.rank, self.parameter, self.label, self.lowValue, self.highValue) = (target, rank, parameter, label, lowValue, highValue)
            (self.baselineMean, self.lowEffect, self.highEffect, self.swing) = (baselineMean, lowEffect, highEffect, swing)
            (self.lowProbability, self.highProbability) = (lowProbability, highProbability)
        }
    }

    /// sensitivity.csv: values and changes to 6 decimals, probabilities to 4, `NA` where undefined.
    package var csv: String {
        func n(_ x: Double?, _ decimals: Int = 6) -> String { CSVWriter.number(x ?? .nan, decimals) }
        return CSVWriter.table(
            [
                "target", "rank", "parameter", "low_value", "high_value", "baseline_mean", "low_effect", "high_effect", "swing",
                "low_probability", "high_probability", "label",
            ],
            effects.map { e in
                [e.target, String(e.rank), e.parameter, n(e.lowValue), n(e.highValue), n(e.baselineMean), n(e.lowEffect), n(e.highEffect),
                 n(e.swing), n(e.lowProbability, 4), n(e.highProbability, 4), e.label]
            })
    }
}

/// attribution.json of `workforce attribute` (schema `workforce.attribution/1`): the change in each
/// officer target's measure from the start to its date, split between the flows; attribution.csv
/// is the same parts, one row each.
package struct AttributionFile: Codable, Sendable, Equatable {
    package var schema = "workforce.attribution/1"
    package var scenario: String
    package var seed: UInt64
    package var replications: Int
    package var targets: [Target]

    package init(scenario: String, seed: UInt64, replications: Int, targets: [Target]) {
        (self.scenario, self.seed, self.replications, self.targets) = (scenario, seed, replications, targets)
    }

    package struct Target: Codable, Sendable, Equatable {
        package var target: String
        /// The measure at the start and its mean at the target's date.
        package var start, endMean: Double?
        /// One per flow (its Shapley part), then `interaction` (one-at-a-time only), `structure`
        /// and `total`: the Shapley parts and `structure` add up to `total`.
        package var components: [Component]

        package init(target: String, start: Double?, endMean: Double?, components: [Component]) {
            (self.target, self.start, self.endMean, self.components) = (target, start, endMean, components)
        }
    }

    package struct Component: Codable, Sendable, Equatable {
        package var component: String
        /// The Shapley part's mean and 90% interval over replications (nil for `interaction`).
        package var shapleyMean, shapleyP5, shapleyP95: Double?
        /// The change with this flow alone moved to the scenario's.
        package var oneAtATimeMean: Double?

        package init(component: String, shapleyMean: Double?, shapleyP5: Double?, shapleyP95: Double?, oneAtATimeMean: Double?) {
            (self.component, self.shapleyMean, self.shapleyP5, self.shapleyP95, self.oneAtATimeMean) = (component, shapleyMean, shapleyP5, shapleyP95, oneAtATimeMean)
        }
    }

    /// attribution.csv: one row per target and component, shares to 6 decimals, `NA` where undefined.
    package var csv: String {
        func n(_ x: Double?) -> String { CSVWriter.number(x ?? .nan, 6) }
        return CSVWriter.table(
            ["target", "component", "shapley_mean", "shapley_p5", "shapley_p95", "one_at_a_time_mean", "start"],
            targets.flatMap { t in
                t.components.map { c in [t.target, c.component, n(c.shapleyMean), n(c.shapleyP5), n(c.shapleyP95), n(c.oneAtATimeMean), n(t.start)] }
            })
    }
}

/// frontier.json of `workforce solve --lever …` (schema `workforce.frontier/1`): where every target
/// is met with the probability asked, over the levers; frontier.csv is the points, one row each.
package struct FrontierFile: Codable, Sendable, Equatable {
    package var schema = "workforce.frontier/1"
    package var scenario: String
    package var targets: [String]
    package var probability: Double
    package var seed: UInt64
    package var replications: Int
    /// `monte-carlo` or `expected-value`.
    package var mode: RunManifest.Mode
    /// How the points were found, and how precise they are, in words.
    package var method: String
    package var precision: String
    package var slices: Int
    package var tolerance: Double
    package var evaluations: Int
    package var levers: [Lever]
    package var points: [Point]
    package var cheapest: Point?
    package var tradeOffs: [Double?]
    /// How the points spent replications (`settled`: each evaluation stopped once its verdict
    /// was settled at `errorRate`, or at `replications`); nil in files from before it existed,
    /// where every evaluation ran `replications`.
    package var stopping: Stopping.Kind?
    package var errorRate: Double?
    /// Replications run over every evaluation of every point.
    package var replicationsUsed: Int?

    package init(
        scenario: String, targets: [String], probability: Double, seed: UInt64, replications: Int, mode: RunManifest.Mode, method: String,
        precision: String, slices: Int, tolerance: Double, evaluations: Int, levers: [Lever], points: [Point], cheapest: Point?,
        tradeOffs: [Double?]
    ) {
        (self.scenario, self.targets, self.probability, self.seed, self.replications, self.mode) = (scenario, targets, probability, seed, replications, mode)
        (self.method, self.precision, self.slices, self.tolerance, self.evaluations) = (method, precision, slices, tolerance, evaluations)
        (self.levers, self.points, self.cheapest, self.tradeOffs) = (levers, points, cheapest, tradeOffs)
    }

    package struct Lever: Codable, Sendable, Equatable {
        /// The lever in words, and the field paths it sets (linked inputs move together).
        package var name: String
        package var paths: [String]
        /// The range searched, [low, high].
        package var range: [Double]
        /// The scenario's value (its mean, if uncertain).
        package var current: Double
        /// The cost of a unit change, for the least-change combination.
        package var cost: Double
        /// The values tried (all levers but the last); nil for the bisected last lever.
        package var grid: [Double]?

        package init(name: String, paths: [String], range: [Double], current: Double, cost: Double, grid: [Double]?) {
            (self.name, self.paths, self.range, self.current, self.cost, self.grid) = (name, paths, range, current, cost, grid)
        }
    }

    package struct Point: Codable, Sendable, Equatable {
        /// Every lever's value: the grid point's, then the last lever's boundary (or range end).
        package var levers: [Double]
        /// What was found at this grid point of the other levers.
        package var found: Frontier.Kind
        /// The last lever's bisection bracket, for a boundary.
        package var bracket: [Double]?
        package var probability: Double
        /// True when raising the last lever raises the probability.
        package var increasing: Bool
        package var monteCarloError: Double?
        /// The combination closest to the current values meeting every target from here, and its cost.
        package var leastChange: [Double]?
        package var cost: Double?
        /// Replications run over every evaluation of this point's bisection, and at its answer
        /// (nil in files from before they were recorded).
        package var replications: Int?
        package var replicationsAtAnswer: Int?
        /// What the sequential test settled at the answer (`undecided`: the cap came first).
        package var decision: SequentialTest.Decision?
        /// The standard error of `probability`, √(P(1−P)/n) over the replications at the answer.
        package var standardError: Double?

        package init(
            levers: [Double], found: Frontier.Kind, bracket: [Double]?, probability: Double, increasing: Bool, monteCarloError: Double?,
            leastChange: [Double]?, cost: Double?, replications: Int? = nil, replicationsAtAnswer: Int? = nil,
            decision: SequentialTest.Decision? = nil, standardError: Double? = nil
        ) {
            (self.levers, self.found, self.bracket, self.probability, self.increasing) = (levers, found, bracket, probability, increasing)
            (self.monteCarloError, self.leastChange, self.cost) = (monteCarloError, leastChange, cost)
            (self.replications, self.replicationsAtAnswer, self.decision, self.standardError) = (replications, replicationsAtAnswer, decision, standardError)
        }
    }

    /// frontier.csv: each lever's value, what was found, the bracket, P, the Monte Carlo error, the
    /// least-change cost and combination; 6 decimals (P 4), `NA` where there is none.
    package var csv: String {
        func n(_ x: Double?, _ decimals: Int = 6) -> String { x.map { CSVWriter.number($0, decimals) } ?? "NA" }
        let header = levers.map(\.name) + ["found", "bracket_low", "bracket_high", "probability", "monte_carlo_error", "least_change_cost"]
            + levers.map { "least_change_" + $0.name }
        return CSVWriter.table(header, points.map { p in
            p.levers.map { n($0) } + [
                p.found.rawValue, n(p.bracket?[0]), n(p.bracket?[1]), n(p.probability, 4), n(p.monteCarloError), n(p.cost),
            ] + (p.leastChange?.map { n($0) } ?? levers.map { _ in "NA" })
        })
    }
}

/// solve.json of `workforce solve` (schema `workforce.solve/1`): the value of one input (or of
/// several moved together) at which a target is met with a given probability, found by bisection
/// on common random numbers. Written by the command and read back by `workforce report`.
package struct SolveFile: Codable, Sendable, Equatable {
    package var schema = "workforce.solve/1"
    package var scenario, target: String
    /// The field paths varied together (one common value).
    package var vary: [String]
    /// The inputs in words (their labels), each once; absent in files from before it was written.
    package var inputs: [String]?
    /// The probability the target must be met with.
    package var probability: Double
    /// The range searched, [low, high].
    package var range: [Double]
    package var tolerance: Double
    package var seed: UInt64
    package var replications: Int
    package var mode: RunManifest.Mode
    /// `found`, `met-throughout-range` or `not-met-within-range`.
    package var verdict: String
    package var value: Double?
    /// The last bisection bracket, [low, high], for `found`.
    package var bracket: [Double]?
    /// The Monte Carlo error of `value` (the standard error of P(met) over the slope).
    package var monteCarloError: Double?
    package var probabilityAtValue: Double
    /// True when raising the input raises the probability.
    package var increasing: Bool
    package var evaluations: [Evaluation]
    /// The stopping rule (`sequential`, or `every-replication`: every value ran the cap) and its
    /// error rate; `replications` above is the cap. Absent in files from before issue 23.
    package var stopping: Stopping.Kind?
    package var errorRate: Double?
    /// Replications run over every trial value.
    package var replicationsUsed: Int?
    /// At the answer: replications run, and the standard error of P(met) there.
    package var replicationsAtValue: Int?
    package var standardErrorAtValue: Double?

    /// One trial value: P(met), the replications it took, what the sequential test settled
    /// (`at-least`, `below`, or `undecided` when the cap came first) and the standard error.
    package struct Evaluation: Codable, Sendable, Equatable {
        package var value: Double, probability: Double
        package var replications: Int?
        package var decision: SequentialTest.Decision?
        package var standardError: Double?
        package init(value: Double, probability: Double, replications: Int? = nil, decision: SequentialTest.Decision? = nil, standardError: Double? = nil) {
            (self.value, self.probability, self.replications, self.decision, self.standardError) = (value, probability, replications, decision, standardError)
        }
    }

    package init(
        scenario: String, target: String, vary: [String], inputs: [String]?, probability: Double, range: [Double], tolerance: Double,
        seed: UInt64, replications: Int, mode: RunManifest.Mode, verdict: String, value: Double?, bracket: [Double]?,
        monteCarloError: Double?, probabilityAtValue: Double, increasing: Bool, evaluations: [Evaluation]
    ) {
        (self.scenario, self.target, self.vary, self.inputs, self.probability, self.range) = (scenario, target, vary, inputs, probability, range)
        (self.tolerance, self.seed, self.replications, self.mode, self.verdict, self.value) = (tolerance, seed, replications, mode, verdict, value)
        (self.bracket, self.monteCarloError, self.probabilityAtValue, self.increasing, self.evaluations) =
            (bracket, monteCarloError, probabilityAtValue, increasing, evaluations)
    }

    /// The answer's uncertainty: half the last bracket plus the Monte Carlo error (0 when absent).
    package var error: Double {
        (bracket.map { ($0[1] - $0[0]) / 2 } ?? 0) + (monteCarloError ?? 0)
    }
}

/// compare.json of `workforce compare` (schema `workforce.compare/1`): each scenario against the
/// first (the baseline) on common random numbers, target by target. Written by the command and
/// read back by `workforce report`.
package struct CompareFile: Codable, Sendable, Equatable {
    package var schema = "workforce.compare/1"
    /// The scenarios' file stems, the baseline first.
    package var scenarios: [String]
    package var seed: UInt64
    package var replications: Int
    package var comparisons: [Entry]

    package init(scenarios: [String], seed: UInt64, replications: Int, comparisons: [Entry]) {
        (self.scenarios, self.seed, self.replications, self.comparisons) = (scenarios, seed, replications, comparisons)
    }

    package struct Entry: Codable, Sendable, Equatable {
        package var target, baseline, scenario: String
        package var baselineProbability, probability: Double
        /// The paired difference of the chances met (scenario − baseline) with its 95% interval.
        package var probabilityDifference: Interval
        /// The paired difference of the target's measure at its date (a share), over replications.
        package var measureDifference: Spread

        package init(
            target: String, baseline: String, scenario: String, baselineProbability: Double, probability: Double,
            probabilityDifference: Interval, measureDifference: Spread
        ) {
            (self.target, self.baseline, self.scenario, self.baselineProbability, self.probability) = (target, baseline, scenario, baselineProbability, probability)
            (self.probabilityDifference, self.measureDifference) = (probabilityDifference, measureDifference)
        }
    }

    package struct Interval: Codable, Sendable, Equatable {
        package var mean, low, high, standardError: Double?
        package init(mean: Double?, low: Double?, high: Double?, standardError: Double?) {
            (self.mean, self.low, self.high, self.standardError) = (mean, low, high, standardError)
        }
    }

    package struct Spread: Codable, Sendable, Equatable {
        package var mean, p5, p50, p95, pairedSd, independentSd: Double?
        package init(mean: Double?, p5: Double?, p50: Double?, p95: Double?, pairedSd: Double?, independentSd: Double?) {
            (self.mean, self.p5, self.p50, self.p95, self.pairedSd, self.independentSd) = (mean, p5, p50, p95, pairedSd, independentSd)
        }
    }
}
