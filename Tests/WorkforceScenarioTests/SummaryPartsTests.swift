import Foundation
import Testing
import Workforce
import WorkforceScenario
import _WorkforceTestSupport

/// `SummaryAccumulator` sums a Monte Carlo run's combinations (rank, ethnicity and gender sets,
/// and their shares on a denominator basis) from their parts; the expected-value path sums each
/// combination member by member. On whole-number records both must give the same summary, bit
/// for bit.
@Suite struct SummaryPartsTests {
    /// Feeds every record to both accumulators.
    struct Both: ReplicationSink {
        var parts: SummaryAccumulator
        var members: SummaryAccumulator
        mutating func consume(_ record: ReplicationRecord) {
            parts.consume(record)
            members.consume(record)
        }
    }

    @Test func partsEqualMemberSums() throws {
        // example.yaml with a rank aggregate and a target on a basis that leaves "Other" out.
        var text = try String(contentsOfFile: Fixtures.packageRoot + "/Scenarios/example.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "    BAME: [Black, Asian, Mixed, Other]\n", with: "    BAME: [Black, Asian, Mixed, Other]\n    Supervisors: [Sergeant, Inspector]\n")
        text = text.replacingOccurrences(of: "    by: 2024-12\n", with: "    by: 2024-12\n    denominator_excludes: Other\n")
        let model = try ScenarioLoader.parse(text: text, file: "example.yaml", directory: Fixtures.packageRoot + "/Scenarios").model
        #expect(model.dimensions.rankAggregates.count == 1)
        let plan = Plan(model)
        #expect(Basis.of(model).count == 1)
        var both = Both(parts: SummaryAccumulator(plan: plan, expected: false), members: SummaryAccumulator(plan: plan, expected: true))
        try Engine.run(plan, .init(replications: 30, seed: 5, threads: 2), into: &both)
        let a = both.parts.finish(), b = both.members.finish()
        #expect(a.projections.count == b.projections.count && a.flows.count == b.flows.count)
        var compared = 0
        for (x, y) in zip(a.projections, b.projections) {
            #expect(numbers(x.headcount) == numbers(y.headcount))
            #expect(numbers(x.share) == numbers(y.share))
            #expect(x.basisShares.map(numbers) == y.basisShares.map(numbers))
            compared += 1
        }
        for (x, y) in zip(a.flows, b.flows) { #expect(numbers(x.count) == numbers(y.count)) }
        #expect(compared > 0)
    }

    func numbers(_ q: Quantiles) -> [UInt64] { [UInt64(q.count)] + [q.mean, q.p5, q.p25, q.p50, q.p75, q.p95].map(\.bitPattern) }
}
