/// Finds the value of one input at which a target is met with a given probability.
///
/// P(met) is evaluated on common random numbers at every trial value, so it is the same
/// step function of the input in every evaluation and bisection on it is consistent. The
/// search assumes P(met) is monotone in the input over the range, and finds the direction
/// from the two ends: the smallest value that reaches the probability when raising the input
/// helps, the largest when it hurts.
package enum Solver {
    package enum Verdict: Sendable, Hashable {
        /// The boundary value, bracketed: P(met) ≥ probability at `value` and below it at the
        /// other end of `bracket` (whose width is at most the tolerance).
        case found(value: Double, bracket: ClosedRange<Double>)
        /// Met with the probability at both ends of the range: `bound` is the end in the
        /// direction asked for (the lower end).
        case metThroughout(bound: Double)
        /// Not met with the probability anywhere in the range: the best probability seen and
        /// the bound where it was reached.
        case notMet(bestBound: Double, bestProbability: Double)
    }

    package struct Solution: Sendable {
        package var verdict: Verdict
        /// True when P(met) rises with the input.
        package var increasing: Bool
        /// Every evaluation, in order: (value, P(met)).
        package var evaluations: [(value: Double, probability: Double)]
        /// Every evaluation's assessment (replications used, verdict, standard error), in the
        /// same order.
        package var assessments: [Assessment]
        /// P(met) at the answer (or at the best bound).
        package var probabilityAtAnswer: Double
        /// The assessment at the answer (or at the best bound): its replications and standard
        /// error give the answer's Monte Carlo error (`standardError / |slope|`).
        package var answer: Assessment
        /// Estimated slope of P(met) near the answer (per unit of the input), from the
        /// evaluations bracketing it; nil when they do not differ.
        package var slope: Double?
    }

    /// Bisects `range` until the bracket is at most `tolerance` wide. `evaluate` returns
    /// P(met) at a value, from a fixed number of replications: the verdict at a value is
    /// P(met) ≥ `probability`. Cost: 2 + ⌈log2(width / tolerance)⌉ evaluations.
    package static func solve(
        range: ClosedRange<Double>, probability: Double, tolerance: Double,
        evaluate: (Double) throws -> Double
    ) rethrows -> Solution {
        try solve(range: range, probability: probability, tolerance: tolerance) { x in
            Assessment(probability: try evaluate(x), level: probability, replications: 0)
        }
    }

    /// Bisects `range` as above, taking each value's verdict from `assess` (`Assessment.meets`:
    /// a sequential test's settled decision, or the estimate's side of the level at the cap).
    package static func solve(
        range: ClosedRange<Double>, probability: Double, tolerance: Double,
        assess: (Double) throws -> Assessment
    ) rethrows -> Solution {
        var evaluations: [(value: Double, probability: Double)] = []
        var assessments: [Assessment] = []
        func f(_ x: Double) throws -> Assessment {
            let a = try assess(x)
            evaluations.append((x, a.probability))
            assessments.append(a)
            return a
        }
        let a = try f(range.lowerBound), b = try f(range.upperBound)
        let pa = a.probability, pb = b.probability
        let okA = a.meets, okB = b.meets
        if okA && okB {
            return Solution(
                verdict: .metThroughout(bound: range.lowerBound), increasing: pb >= pa, evaluations: evaluations, assessments: assessments,
                probabilityAtAnswer: pa, answer: a, slope: nil)
        }
        if !okA && !okB {
            let best = pa >= pb ? (range.lowerBound, pa, a) : (range.upperBound, pb, b)
            return Solution(
                verdict: .notMet(bestBound: best.0, bestProbability: best.1), increasing: pb >= pa,
                evaluations: evaluations, assessments: assessments, probabilityAtAnswer: best.1, answer: best.2, slope: nil)
        }
        let increasing = okB
        // `good` meets the probability, `bad` does not.
        var good = increasing ? range.upperBound : range.lowerBound, aGood = increasing ? b : a
        var bad = increasing ? range.lowerBound : range.upperBound
        while abs(good - bad) > tolerance {
            let mid = (good + bad) / 2
            guard mid != good && mid != bad else { break }
            let m = try f(mid)
            if m.meets { (good, aGood) = (mid, m) } else { bad = mid }
        }
        return Solution(
            verdict: .found(value: good, bracket: min(good, bad)...max(good, bad)), increasing: increasing,
            evaluations: evaluations, assessments: assessments, probabilityAtAnswer: aGood.probability, answer: aGood,
            slope: slope(evaluations))
    }

    /// The least-squares slope of P(met) against the input over the evaluations strictly
    /// between 0 and 1 (where P responds), or over the two nearest the answer's level if
    /// fewer than two; nil when the probabilities do not vary.
    static func slope(_ evaluations: [(value: Double, probability: Double)]) -> Double? {
        var points = evaluations.filter { $0.probability > 0 && $0.probability < 1 }
        if Set(points.map(\.value)).count < 2 { points = evaluations }
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.value } / n, my = points.reduce(0) { $0 + $1.probability } / n
        let sxx = points.reduce(0) { $0 + ($1.value - mx) * ($1.value - mx) }
        let sxy = points.reduce(0) { $0 + ($1.value - mx) * ($1.probability - my) }
        guard sxx > 0, sxy != 0 else { return nil }
        return sxy / sxx
    }
}
