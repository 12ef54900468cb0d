import Workforce

/// The difference `b − a` of a measure between two runs, replication by replication.
///
/// Runs with the same seed use the same random streams for the same flows (common random
/// numbers), so replication i of each run shares its luck and the paired differences vary
/// far less than the difference of two independent runs would.
package struct PairedDifference: Sendable, Hashable {
    /// Replications where both values are defined.
    package var count: Int
    /// Mean of `b − a`, and its standard error `sd / √count`.
    package var mean: Double
    package var standardError: Double
    /// Standard deviation of the paired differences.
    package var sd: Double
    /// What the standard deviation of `b − a` would be for independent runs: `√(var a + var b)`.
    package var independentSD: Double
    /// Median and 5th/95th percentiles of the paired differences.
    package var p5: Double
    package var p50: Double
    package var p95: Double

    /// 1.645: the normal quantile of a two-sided 90% interval.
    package static let z90 = 1.6448536269514722

    package init(_ a: [Double], _ b: [Double]) {
        precondition(a.count == b.count, "paired runs need equal replications")
        let pairs = zip(a, b).filter { !$0.0.isNaN && !$0.1.isNaN }
        var d = pairs.map { $0.1 - $0.0 }
        count = d.count
        let (m, v) = Self.meanAndVariance(d)
        mean = m
        sd = v.squareRoot()
        standardError = count > 0 ? (v / Double(count)).squareRoot() : .nan
        independentSD = (Self.meanAndVariance(pairs.map(\.0)).variance + Self.meanAndVariance(pairs.map(\.1)).variance).squareRoot()
        d.sort()
        p5 = Quantiles.quantile(sorted: d, 0.05)
        p50 = Quantiles.quantile(sorted: d, 0.5)
        p95 = Quantiles.quantile(sorted: d, 0.95)
    }

    /// The 90% confidence interval of the mean difference.
    package var meanInterval: ClosedRange<Double> {
        guard !mean.isNaN, !standardError.isNaN else { return .nan ... .nan }
        return (mean - Self.z90 * standardError)...(mean + Self.z90 * standardError)
    }

    /// Mean and sample variance (n − 1 denominator; 0 for fewer than two values).
    static func meanAndVariance(_ x: [Double]) -> (mean: Double, variance: Double) {
        guard !x.isEmpty else { return (.nan, .nan) }
        let mean = x.reduce(0, +) / Double(x.count)
        guard x.count > 1 else { return (mean, 0) }
        return (mean, x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1))
    }
}

extension RunResult {
    /// Target `t`'s measure at its date in every replication.
    package func targetValues(_ t: Int) -> [Double] {
        (0..<replications).map { targetValue(replication: $0, target: t) }
    }

    /// 1 where target `t` was met at its date, 0 where not, NaN where its measure is undefined
    /// (an empty denominator), per replication.
    package func targetMet(_ t: Int) -> [Double] {
        let target = plan.model.targets[t]
        return (0..<replications).map {
            let value = targetValue(replication: $0, target: t)
            return value.isNaN ? .nan : target.isMet(value) ? 1 : 0
        }
    }

    /// P(target `t` met at its date) among the replications where its measure is defined, as in
    /// `TargetSummary.probability` (NaN if none).
    package func probabilityMet(_ t: Int) -> Double {
        let defined = targetMet(t).filter { !$0.isNaN }
        return defined.isEmpty ? .nan : defined.reduce(0, +) / Double(defined.count)
    }
}
