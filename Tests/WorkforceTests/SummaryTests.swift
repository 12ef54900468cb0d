import Foundation
import Testing

@testable import Workforce
import _WorkforceTestSupport

/// Summaries accumulated as the records stream in: the same as from every record kept, the same
/// whatever the thread count, exact for counts, and within the documented bound for shares.
@Suite struct SummaryTests {
    /// Every number of a summary, as bit patterns, in row order.
    func numbers(_ s: Summary) -> [UInt64] {
        var out: [UInt64] = []
        for row in s.projections { out += bits(row.headcount) + bits(row.share) }
        for row in s.flows { out += bits(row.count) }
        for t in s.targets {
            out += [t.probability.bitPattern, t.neverMet.bitPattern] + bits(t.value)
            for (year, p) in t.firstMetByYear { out += [UInt64(year), p.bitPattern] }
            out.append(UInt64(bitPattern: Int64(t.medianFirstMet?.index ?? -1)))
        }
        return out
    }

    /// A `Quantiles`' count and numbers, as bit patterns.
    func bits(_ q: Quantiles) -> [UInt64] {
        let numbers: [Double] = [q.mean, q.p5, q.p25, q.p50, q.p75, q.p95]
        return [UInt64(q.count)] + numbers.map(\.bitPattern)
    }

    @Test func streamedSummaryEqualsTheOneFromEveryRecordWhateverTheThreadCount() throws {
        let model = richModel(replications: 37)
        let kept = numbers(Summary(try Engine.run(model, .init(model, threads: 1))))
        for threads in [1, 2, 5] {
            #expect(numbers(try Engine.summarize(model, .init(model, threads: threads))) == kept, "\(threads) threads")
        }
        #expect(numbers(try Engine.summarize(model, .init(replications: 37, seed: 8, threads: 2))) != kept)
    }

    /// A sink receives replication 0, 1, 2, … in order, whatever the thread count.
    @Test func sinksReceiveRecordsInReplicationOrder() throws {
        struct Order: ReplicationSink {
            var seen: [Int] = []
            mutating func consume(_ record: ReplicationRecord) { seen.append(record.replication) }
        }
        let model = richModel(replications: 60)
        for threads in [1, 3, 7] {
            var order = Order()
            try Engine.run(Plan(model), .init(model, threads: threads), into: &order)
            #expect(order.seen == Array(0..<60), "\(threads) threads")
        }
    }

    /// Whole numbers: the histogram gives exactly `Quantiles` of every value, however many.
    @Test func integerHistogramIsExact() {
        var values: [Double] = (0..<(3 * OutcomeDistribution.capacity)).map { i in
            let spread = (i * 7919) % 613, step = (i % 5) * 40
            return Double(spread + step - 100)
        }
        var distribution = OutcomeDistribution(.integer)
        for v in values { distribution.add(v) }
        let streamed = distribution.quantiles, exact = Quantiles(&values)
        #expect(bits(streamed) == bits(exact))
    }

    /// Shares: exact up to `capacity` values; beyond it each quantile is within `width / 2` of
    /// the exact one (the bound in docs/engine.md), and NaNs are left out either way.
    @Test(arguments: [OutcomeDistribution.capacity, 5 * OutcomeDistribution.capacity + 3])
    func realQuantilesAreWithinTheDocumentedBound(n: Int) {
        // Spread irregularly over [0.2, 0.35] and [0.6, 0.61], with exact 0s and 1s and NaNs.
        var values = (0..<n).map { i -> Double in
            let u = (Double(i) * 0.6180339887498949).truncatingRemainder(dividingBy: 1)
            switch i % 10 {
            case 0: return .nan
            case 1: return i % 20 == 1 ? 0 : 1
            case 2, 3: return 0.6 + 0.01 * u
            default: return 0.2 + 0.15 * u * u
            }
        }
        var distribution = OutcomeDistribution(.real)
        for v in values { distribution.add(v) }
        let streamed = distribution.quantiles, exact = Quantiles(&values)
        #expect(streamed.count == exact.count)
        let pairs: [(Double, Double)] = [(streamed.p5, exact.p5), (streamed.p25, exact.p25), (streamed.p50, exact.p50), (streamed.p75, exact.p75), (streamed.p95, exact.p95)]
        if n <= OutcomeDistribution.capacity {
            #expect(pairs.allSatisfy { $0.0.bitPattern == $0.1.bitPattern })
            #expect(streamed.mean.bitPattern == exact.mean.bitPattern)
        } else {
            for (s, e) in pairs { #expect(abs(s - e) <= OutcomeDistribution.width / 2, "\(s) against \(e)") }
            #expect(pairs.contains { $0.0 != $0.1 }, "binned, so not every quantile is exact")
            #expect(abs(streamed.mean - exact.mean) < 1e-12)
        }
    }
}
