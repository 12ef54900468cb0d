import Workforce

/// Scenarios compared with the first (the baseline) on common random numbers, target by target.
package enum Comparison {
    /// One target in one scenario against the baseline.
    package struct TargetDifference: Sendable {
        /// The target's name (targets are matched across scenarios by name).
        package var target: String
        /// The scenario compared with the baseline (its index among the runs, ≥ 1).
        package var scenario: Int
        /// P(met) in the baseline and in this scenario.
        package var baselineProbability: Double
        package var probability: Double
        /// The paired difference of the met indicator: its mean is the difference in P(met).
        package var probabilityDifference: PairedDifference
        /// The paired difference of the target's measure at its date.
        package var measureDifference: PairedDifference
    }

    /// Compares every run after the first with the first, on the targets all runs share.
    /// Runs must have equal replications; for the pairing to mean anything, the same seed.
    package static func compare(_ runs: [RunResult]) -> [TargetDifference] {
        guard let baseline = runs.first else { return [] }
        var out: [TargetDifference] = []
        for (t, target) in baseline.plan.model.targets.enumerated() {
            let a = baseline.targetValues(t), aMet = baseline.targetMet(t)
            for (s, run) in runs.enumerated().dropFirst() {
                guard let u = run.plan.model.targets.firstIndex(where: { $0.name == target.name }) else { continue }
                let bMet = run.targetMet(u)
                out.append(
                    TargetDifference(
                        target: target.name, scenario: s,
                        baselineProbability: baseline.probabilityMet(t),
                        probability: run.probabilityMet(u),
                        probabilityDifference: PairedDifference(aMet, bMet),
                        measureDifference: PairedDifference(a, run.targetValues(u))))
            }
        }
        return out
    }
}
