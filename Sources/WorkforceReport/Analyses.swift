import WorkforceResults

/// The analysis results as the report draws them, made from the analysis commands' typed
/// outputs (`SensitivityFile`, `AttributionFile`, `SweepFile`): numbers become `Figure`s, inputs
/// their words.

/// A sensitivity analysis (`workforce sensitivity`): each input moved low and high on its own, and
/// the mean paired change it makes to each target's measure (a share).
public struct Sensitivity: Sendable {
    public struct Row: Sendable {
        public var target: String
        /// The input in words (its label), else its field path.
        public var parameter: String
        public var lowValue, highValue: Figure
        public var baseline: Figure
        public var lowEffect, highEffect: Figure
        public var lowProbability, highProbability: Figure?

        /// The tornado bar's length: the distance between the two effects.
        var swing: Double { abs(highEffect.value - lowEffect.value) }
    }
    public var rows: [Row]

    public init(_ file: SensitivityFile) {
        rows = file.effects.map { e in
            Row(
                target: e.target, parameter: e.label.isEmpty ? e.parameter : e.label, lowValue: Figure(e.lowValue, significant: 6), highValue: Figure(e.highValue, significant: 6),
                baseline: Figure(e.baselineMean), lowEffect: Figure(e.lowEffect), highEffect: Figure(e.highEffect),
                lowProbability: Figure(e.lowProbability), highProbability: Figure(e.highProbability))
        }
    }

    /// Target names in file order.
    public var targets: [String] { rows.map(\.target).uniqued() }
}

/// An attribution (`workforce attribute`): the change in an officer target's measure from the
/// start to its date, split between the flows. The `total` component is the whole change; every
/// other component with a Shapley part (`structure` and the flows) is a piece of it.
public struct Attribution: Sendable {
    public struct Part: Sendable {
        public var component: String
        public var shapley: Figure
        public var p5, p95, oneAtATime: Figure?
    }
    public var targets: [(target: String, start: Figure, parts: [Part])]

    public init(_ file: AttributionFile) {
        targets = file.targets.map { t in
            (t.target, Figure(t.start), t.components.map { c in
                Part(component: c.component, shapley: Figure(c.shapleyMean), p5: Figure(c.shapleyP5), p95: Figure(c.shapleyP95), oneAtATime: Figure(c.oneAtATimeMean))
            })
        }
    }
}

/// A sweep (`workforce sweep` or `merge`): each target's chance at every point.
public struct Sweep: Sendable {
    public struct Point: Sendable {
        /// The inputs' values, in `parameters` order.
        public var values: [Figure]
        public var target: String
        public var probability: Figure
    }
    public var parameters: [String]
    public var points: [Point]
    /// Target names in the scenario's order.
    public var targets: [String]

    /// `labels`: each input's words by its field path (from the scenario file), where known;
    /// an input without is shown by its path.
    public init(_ file: SweepFile, labels: [String: String] = [:]) {
        parameters = file.definition.parameters.map { labels[$0.path] ?? $0.path }
        targets = file.targets.map(\.name)
        points = file.points.flatMap { point in
            point.targets.map { v in Point(values: point.values.map { Figure($0, significant: 6) }, target: v.name, probability: Figure(v.probabilityMet)) }
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
