import WorkforceResults

/// Results of the analysis commands, read when a results folder has them. Columns are found by
/// name (others are ignored), so a file may carry more than these.

/// `sensitivity.csv` of `workforce sensitivity`: each input moved low and high on its own, and
/// the change it makes to each target's measure.
///
/// Columns used: `target`, `parameter` (the input's field path), `low_value`, `high_value` (the
/// input's values), `baseline_mean` (the target's mean measure, a share, as the scenario is),
/// `low_effect`, `high_effect` (the mean paired change in that measure, a share); optional
/// `low_probability`, `high_probability` (P(met) with the input low and high), `label` (the
/// input in words, shown instead of the path when present).
public struct Sensitivity: Sendable {
    public struct Row: Sendable {
        public var target: String
        /// The input's field path, or its label in words when the file has one.
        public var parameter: String
        public var lowValue, highValue: Figure
        public var baseline: Figure
        public var lowEffect, highEffect: Figure
        public var lowProbability, highProbability: Figure?

        /// The tornado bar's length: the distance between the two effects.
        var swing: Double { abs(highEffect.value - lowEffect.value) }
    }
    public var rows: [Row]

    public init(csv: String) throws(ResultsError) {
        let t = try ResultTable(csv, file: "sensitivity.csv")
        let c = try ["target", "parameter", "low_value", "high_value", "baseline_mean", "low_effect", "high_effect"].map { name throws(ResultsError) in try t.column(name) }
        let lowP = t.header.firstIndex(of: "low_probability"), highP = t.header.firstIndex(of: "high_probability")
        let label = t.header.firstIndex(of: "label")
        rows = t.rows.map { row in
            Row(
                target: row[c[0]], parameter: label.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? row[c[1]], lowValue: Figure(row[c[2]]), highValue: Figure(row[c[3]]), baseline: Figure(row[c[4]]),
                lowEffect: Figure(row[c[5]]), highEffect: Figure(row[c[6]]),
                lowProbability: lowP.map { Figure(row[$0]) }, highProbability: highP.map { Figure(row[$0]) })
        }
    }

    /// Target names in file order.
    public var targets: [String] { rows.map(\.target).uniqued() }
}

/// `attribution.csv` of `workforce attribute`: the change in an officer target's measure from
/// the start to its date, split between the flows.
///
/// Columns used: `target`, `component`, `shapley_mean` (a share; NA where a component has no
/// Shapley part), `start` (the measure at the start); optional `shapley_p5`, `shapley_p95` and
/// `one_at_a_time_mean`. The `total` component is the whole change; every other component with a
/// Shapley part (`structure`, `recruitment`, `leaving`, `promotion`) is a piece of it.
public struct Attribution: Sendable {
    public struct Part: Sendable {
        public var component: String
        public var shapley: Figure
        public var p5, p95, oneAtATime: Figure?
    }
    public var targets: [(target: String, start: Figure, parts: [Part])]

    public init(csv: String) throws(ResultsError) {
        let t = try ResultTable(csv, file: "attribution.csv")
        let c = try ["target", "component", "shapley_mean", "start"].map { name throws(ResultsError) in try t.column(name) }
        let optional = ["shapley_p5", "shapley_p95", "one_at_a_time_mean"].map { t.header.firstIndex(of: $0) }
        var targets: [(target: String, start: Figure, parts: [Part])] = []
        for row in t.rows {
            let f = optional.map { $0.map { Figure(row[$0]) } }
            let part = Part(component: row[c[1]], shapley: Figure(row[c[2]]), p5: f[0], p95: f[1], oneAtATime: f[2])
            if let i = targets.firstIndex(where: { $0.target == row[c[0]] }) { targets[i].parts.append(part) } else { targets.append((row[c[0]], Figure(row[c[3]]), [part])) }
        }
        self.targets = targets
    }
}

/// `sweep.csv` of `workforce sweep` (or `merge`): one row per point.
///
/// Columns: `point`; each varied input, named by its field path; then for each target
/// `<target>: probability_met` (and `<target>: p5`, `: p50`, `: p95`, not used here).
public struct Sweep: Sendable {
    public struct Point: Sendable {
        /// The inputs' values, in `parameters` order.
        public var values: [Figure]
        public var target: String
        public var probability: Figure
    }
    public var parameters: [String]
    public var points: [Point]
    /// Target names in column order.
    public var targets: [String]

    static let probabilitySuffix = ": probability_met"

    public init(csv: String) throws(ResultsError) {
        let t = try ResultTable(csv, file: "sweep.csv")
        let point = try t.column("point")
        let probabilities = t.header.indices.filter { t.header[$0].hasSuffix(Self.probabilitySuffix) }
        guard let first = probabilities.first else {
            throw ResultsError(file: "sweep.csv", message: "no '<target>\(Self.probabilitySuffix)' column; the header is \(t.header.joined(separator: ","))")
        }
        let inputs = (0..<first).filter { $0 != point }
        guard !inputs.isEmpty else {
            throw ResultsError(file: "sweep.csv", message: "no input columns between 'point' and the targets' columns")
        }
        parameters = inputs.map { t.header[$0] }
        targets = probabilities.map { String(t.header[$0].dropLast(Self.probabilitySuffix.count)) }
        let targets = targets
        points = t.rows.flatMap { row in
            zip(targets, probabilities).map { name, column in
                Point(values: inputs.map { Figure(row[$0]) }, target: name, probability: Figure(row[column]))
            }
        }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
