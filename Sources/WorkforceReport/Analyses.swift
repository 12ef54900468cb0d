import WorkforceResults

/// The analysis results as the report draws them, made from the analysis commands' typed
/// outputs (`SensitivityFile`, `AttributionFile`, `SweepFile`): numbers become `Figure`s, inputs
/// their words.

/// A sensitivity analysis (`workforce sensitivity`): each input moved low and high on its own, and
/// the mean paired change it makes to each target's measure (a share).
package struct Sensitivity: Sendable {
    package struct Row: Sendable {
        package var target: String
        /// The input in words (its label), else its field path.
        package var parameter: String
        package var lowValue, highValue: Figure
        package var baseline: Figure
        package var lowEffect, highEffect: Figure
        package var lowProbability, highProbability: Figure?

        /// The tornado bar's length: the distance between the two effects.
        var swing: Double { abs(highEffect.value - lowEffect.value) }
    }
    package var rows: [Row]

    package init(_ file: SensitivityFile) {
        rows = file.effects.map { e in
            Row(
                target: e.target, parameter: e.label.isEmpty ? e.parameter : e.label, lowValue: Figure(e.lowValue, significant: 6), highValue: Figure(e.highValue, significant: 6),
                baseline: Figure(e.baselineMean), lowEffect: Figure(e.lowEffect), highEffect: Figure(e.highEffect),
                lowProbability: Figure(e.lowProbability), highProbability: Figure(e.highProbability))
        }
    }

    /// Target names in file order.
    package var targets: [String] { rows.map(\.target).uniqued() }
}

/// An attribution (`workforce attribute`): the change in an officer target's measure from the
/// start to its date, split between the flows. The `total` component is the whole change; every
/// other component with a Shapley part (`structure` and the flows) is a piece of it.
package struct Attribution: Sendable {
    package struct Part: Sendable {
        package var component: String
        package var shapley: Figure
        package var p5, p95, oneAtATime: Figure?
    }
    package var targets: [(target: String, start: Figure, parts: [Part])]

    package init(_ file: AttributionFile) {
        targets = file.targets.map { t in
            (t.target, Figure(t.start), t.components.map { c in
                Part(component: c.component, shapley: Figure(c.shapleyMean), p5: Figure(c.shapleyP5), p95: Figure(c.shapleyP95), oneAtATime: Figure(c.oneAtATimeMean))
            })
        }
    }
}

/// A sweep (`workforce sweep` or `merge`): each target's chance at every point.
package struct Sweep: Sendable {
    package struct Point: Sendable {
        /// The inputs' values, in `parameters` order.
        package var values: [Figure]
        package var target: String
        package var probability: Figure
    }
    package var parameters: [String]
    package var points: [Point]
    /// Target names in the scenario's order.
    package var targets: [String]

    /// `labels`: each input's words by its field path (from the scenario file), where known;
    /// an input without is shown by its path.
    package init(_ file: SweepFile, labels: [String: String] = [:]) {
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
