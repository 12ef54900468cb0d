import Workforce

/// One-at-a-time sensitivity: each input moved down and up while everything else stays as in
/// the scenario, all runs on common random numbers, ranked by the swing in each target's measure.
package enum Sensitivity {
    /// How an input is moved.
    package enum Method: String, Sendable, CaseIterable {
        /// Multiply the input (its fixed value, or every value of its distribution) by 1 ∓ change.
        case relative
        /// Fix an uncertain input at its distribution's 5th and 95th percentiles (inputs without
        /// a distribution move by the relative change instead).
        case percentiles
    }

    /// The low and high variants of the model for parameter `index`, and the values used
    /// (the fixed values, or the means of the scaled distributions).
    package static func variants(
        of model: Model, parameter index: Int, method: Method, change: Double
    ) -> (low: Model, high: Model, lowValue: Double, highValue: Double) {
        let spec = model.parameters[index]
        func with(_ distribution: Distribution) -> (Model, Double) {
            var m = model
            m.parameters[index].distribution = distribution
            return (m, distribution.mean(in: spec.range))
        }
        let low: (Model, Double), high: (Model, Double)
        if method == .percentiles, !isFixed(spec.distribution) {
            low = with(.fixed(spec.distribution.quantile(0.05, in: spec.range)))
            high = with(.fixed(spec.distribution.quantile(0.95, in: spec.range)))
        } else {
            low = with(spec.distribution.scaled(by: 1 - change))
            high = with(spec.distribution.scaled(by: 1 + change))
        }
        return (low.0, high.0, low.1, high.1)
    }

    /// The parameters worth moving: those whose value is not identically zero (scaling zero does
    /// nothing) and, if `matching` is given, whose path is one of those paths or lies below one
    /// (`recruitment[1]` selects `recruitment[1].size` but not `recruitment[10].size`).
    package static func candidates(_ model: Model, matching prefixes: [String] = []) -> [Int] {
        model.parameters.indices.filter { i in
            let spec = model.parameters[i]
            if case .fixed(0) = spec.distribution { return false }
            return prefixes.isEmpty || prefixes.contains { ParameterSpec.isWithin(spec.path, $0) }
        }
    }


    static func isFixed(_ d: Distribution) -> Bool {
        if case .fixed = d { return true }
        return false
    }

    /// The effect of one input on one target.
    package struct Effect: Sendable {
        package var target: String
        package var parameter: String
        package var lowValue: Double
        package var highValue: Double
        /// Mean measure at the target date: baseline, low and high.
        package var baseline: Double
        package var low: PairedDifference
        package var high: PairedDifference
        /// P(met) at low and high.
        package var lowProbability: Double
        package var highProbability: Double
        /// |mean(high − baseline) − mean(low − baseline)|: the bar length of a tornado chart.
        package var swing: Double { abs(high.mean - low.mean) }
    }

    /// The effects of one parameter's low and high runs on every target, against the baseline run.
    package static func effects(parameter: String, lowValue: Double, highValue: Double, baseline: RunResult, low: RunResult, high: RunResult) -> [Effect] {
        baseline.plan.model.targets.indices.map { t in
            let base = baseline.targetValues(t)
            let defined = base.filter { !$0.isNaN }
            return Effect(
                target: baseline.plan.model.targets[t].name, parameter: parameter, lowValue: lowValue, highValue: highValue,
                baseline: defined.reduce(0, +) / Double(max(1, defined.count)),
                low: PairedDifference(base, low.targetValues(t)), high: PairedDifference(base, high.targetValues(t)),
                lowProbability: low.probabilityMet(t), highProbability: high.probabilityMet(t))
        }
    }
}
