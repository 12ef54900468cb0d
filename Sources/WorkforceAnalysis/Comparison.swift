import Workforce

/// Scenarios compared with the first (the baseline) on common random numbers, target by target.
public enum Comparison {
    /// One target in one scenario against the baseline.
    public struct TargetDifference: Sendable {
        /// The target's name (targets are matched across scenarios by name).
        public var target: String
        /// The scenario compared with the baseline (its index among the runs, ≥ 1).
        public var scenario: Int
        /// P(met) in the baseline and in this scenario.
        public var baselineProbability: Double
        public var probability: Double
        /// The paired difference of the met indicator: its mean is the difference in P(met).
        public var probabilityDifference: PairedDifference
        /// The paired difference of the target's measure at its date.
        public var measureDifference: PairedDifference
    }

    /// Compares every run after the first with the first, on the targets all runs share.
    /// Runs must have equal replications; for the pairing to mean anything, the same seed.
    public static func compare(_ runs: [RunResult]) -> [TargetDifference] {
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
